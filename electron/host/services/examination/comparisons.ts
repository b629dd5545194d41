// Opening, listing and analysing comparisons.
import { AppError } from '../../../contract/errors.ts';
import { isUniqueViolation } from '../../storage/database.ts';
import type { ComparisonSummary, StoredAnalysis, Workspace } from '../../../contract/examination.ts';
import type { SurfaceView } from '../../../contract/analysis.ts';
import { factsOf, heldBackFromLists, requireVisible, standingOf } from './access.ts';
import type { ExamContext, Viewer } from './context.ts';
import { summaryOf, workspaceFor } from './workspace.ts';
import { analysisView } from './views.ts';
import { acquisitionsUnderTest, hiddenFromParticipant, revealsUnderTest, underTest } from './testSecrecy.ts';

export const algorithmName = 'casebench-cmc';

/** The casework comparison of two acquisitions (made, audited, on first opening) and its workspace. */
export function openComparison(
  ctx: ExamContext,
  viewer: Viewer,
  input: { a: number; b: number; origin: ComparisonSummary['origin'] },
): Workspace {
  const caseA = ctx.caseOf(input.a);
  const caseB = ctx.caseOf(input.b);
  let comparison = ctx.comparisons.casework(input.a, input.b);
  if (!comparison) {
    const at = ctx.now();
    try {
      const id = ctx.tx(() => {
        const id = ctx.comparisons.insert({ ...input, openedBy: viewer.userId, openedAt: at });
        ctx.record(
          viewer,
          id,
          {
            action: 'comparison.open',
            entityType: 'comparison',
            entityId: id,
            caseId: caseA,
            after: { a: input.a, b: input.b, bCaseId: caseB, origin: input.origin },
          },
          at,
        );
        return id;
      });
      ctx.changed(id, 'comparison');
    } catch (error) {
      // Another connection opened the same pair a moment ago: theirs is the comparison.
      if (!isUniqueViolation(error)) throw error;
    }
    comparison = ctx.comparisons.casework(input.a, input.b)!;
  }
  return workspaceFor(ctx, viewer, comparison.id);
}

/** The workspace by id; a test pair's clock starts when the examiner taking it first opens it. */
export function getComparison(ctx: ExamContext, viewer: Viewer, comparisonId: number): Workspace {
  const comparison = ctx.comparison(comparisonId);
  requireVisible(viewer, comparison);
  if (hiddenFromParticipant(ctx, viewer.userId, comparison)) throw underTest();
  if (comparison.participantId === viewer.userId && comparison.startedAt === null) {
    const at = ctx.now();
    ctx.tx(() => {
      if (ctx.comparisons.start(comparisonId, at))
        ctx.record(
          viewer,
          comparisonId,
          { action: 'test.start', entityType: 'comparison', entityId: comparisonId },
          at,
        );
    });
  }
  return workspaceFor(ctx, viewer, comparisonId);
}

export function listComparisons(
  ctx: ExamContext,
  viewer: Viewer,
  filter: { caseId?: number; acquisitionId?: number; states?: ComparisonSummary['state'][]; limit: number },
): ComparisonSummary[] {
  const at = ctx.now();
  const hidden = acquisitionsUnderTest(ctx, viewer.userId);
  const shown = ctx.comparisons.list(filter).filter((comparison) => !revealsUnderTest(hidden, comparison));
  return shown.map((comparison) => {
    const facts = factsOf(ctx, comparison);
    const standing = standingOf(viewer, facts);
    const summary = summaryOf(
      ctx,
      facts,
      heldBackFromLists(ctx, viewer, facts) ? { ...standing, blind: true } : standing,
    );
    // Being shown the conclusion is being shown the first examination.
    if (summary.conclusion !== null) ctx.tx(() => ctx.comparisons.recordViewer(comparison.id, viewer.userId, at));
    return summary;
  });
}

/** Runs the pair's CMC comparison (the search service's compare, itself audited) and records it on the comparison. */
export async function analyzeComparison(
  ctx: ExamContext,
  viewer: Viewer,
  comparisonId: number,
  signal: AbortSignal,
): Promise<{ analysis: StoredAnalysis; surfaces: { a: SurfaceView; b: SurfaceView } }> {
  const comparison = ctx.comparison(comparisonId);
  requireVisible(viewer, comparison);
  const topography = (id: number) => ctx.acquisitions.get(id)?.topographySha256 ?? null;
  const [shaA, shaB] = [topography(comparison.a), topography(comparison.b)];
  if (!shaA || !shaB)
    throw new AppError(
      'invalid_input',
      `${!shaA ? 'A' : 'B'} has no topography: CMC compares two topographies (2D comparison needs no analysis)`,
      { reason: 'no_topography' },
    );
  const result = await ctx.search.compare(viewer, { a: comparison.a, b: comparison.b }, { signal });
  const { surfaces, a: _a, b: _b, timing: _t, ...kept } = result;
  const at = ctx.now();
  const id = ctx.tx(() => {
    const id = ctx.comparisons.insertAnalysis({
      comparisonId,
      ranById: viewer.userId,
      ranAt: at,
      algorithmName,
      algorithmVersion: ctx.version,
      topographyA: shaA,
      topographyB: shaB,
      result: kept,
    });
    ctx.record(
      viewer,
      comparisonId,
      {
        action: 'comparison.analyze',
        entityType: 'comparison_analysis',
        entityId: id,
        caseId: ctx.caseOf(comparison.a),
        after: {
          analysisId: id,
          algorithm: `${algorithmName} ${ctx.version}`,
          cmc: kept.cmc,
          registration: kept.registration,
          inputs: { a: shaA, b: shaB },
        },
      },
      at,
    );
    return id;
  });
  ctx.changed(comparisonId, 'analysis');
  return { analysis: analysisView(ctx.comparisons.analyses(comparisonId).find((x) => x.id === id)!), surfaces };
}
