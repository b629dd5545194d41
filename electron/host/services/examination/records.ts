// Every examination record touching a case, for case packages and reports: comparisons, analyses, annotations
// with every revision, snapshots, conclusions (originals and amendments), verifications and hits. A reader who
// is a blind verifier in that case is refused: an export is one more way to see the first examination.
import { AppError, type RefusalReason, notFound } from '../../../contract/errors.ts';
import type { ExaminationRecords } from '../../../contract/examination.ts';
import { factsOf, heldBackFromLists } from './access.ts';
import type { ExamContext, Viewer } from './context.ts';
import { hitView } from './hitViews.ts';
import { analysisView, annotationView, conclusionView, sideView, snapshotView, verificationView } from './views.ts';
import { leadOf, summaryOf } from './workspace.ts';
import { participantSecrets, refuseCaseUnderTest, underTest } from './testSecrecy.ts';

const openBook = {
  role: 'reviewer' as const,
  blind: false,
  concludesAs: null,
  reason: null,
  why: null,
  annotatesAs: null,
};

export function recordsForCase(ctx: ExamContext, caseId: number, viewer: Viewer | null): ExaminationRecords {
  if (!ctx.cases.get(caseId)) throw notFound('case', `case ${caseId} does not exist`, { id: caseId });
  const comparisons = ctx.comparisons.list({ caseId, limit: 1_000_000 });
  if (viewer) {
    // This read is also the gate of the case's package and report (packagesService examinationRecordsFor): a
    // case holding a casing of the reader's open test, or casework on one, is refused whole, never cut short.
    refuseCaseUnderTest(ctx, viewer.userId, caseId);
    const { hides } = participantSecrets(ctx, viewer.userId);
    if (comparisons.some(hides)) throw underTest();
    const blind = new Set(ctx.conclusions.blindFor(viewer.userId));
    const pending = comparisons.find((c) => blind.has(c.id));
    if (pending)
      throw new AppError(
        'forbidden',
        `you are verifying comparison ${pending.id} of this case blind: its records are yours to see after you record your conclusion`,
        { reason: 'blind_verifier' satisfies RefusalReason, comparisonId: pending.id },
      );
  }
  const records: ExaminationRecords = {
    caseId,
    comparisons: [],
    analyses: [],
    annotations: [],
    snapshots: [],
    conclusions: [],
    verifications: [],
    hits: [],
  };
  for (const c of comparisons) {
    const facts = factsOf(ctx, c);
    records.comparisons.push({
      ...summaryOf(ctx, facts, openBook),
      a: sideView(ctx, c, 'a', null),
      b: sideView(ctx, c, 'b', null),
      leadJobId: leadOf(ctx, c)?.jobId ?? null,
    });
    records.analyses.push(...ctx.comparisons.analyses(c.id).map(analysisView));
    records.annotations.push(
      ...ctx.annotations
        .ofComparison(c.id)
        .map((a) => ({ ...annotationView(a), revisions: ctx.annotations.revisions(a.id) })),
    );
    records.snapshots.push(...ctx.annotations.snapshotsOf(c.id).map(snapshotView));
    records.conclusions.push(...ctx.conclusions.ofComparison(c.id).map(conclusionView));
    records.verifications.push(...ctx.conclusions.verificationsOf(c.id).map((v) => verificationView(v, false)));
    const hit = ctx.hits.ofComparison(c.id);
    if (hit) records.hits.push(hitView(ctx, hit, caseId));
  }
  // Whoever reads (exports) these records has seen every first examination in them.
  if (viewer) {
    const at = ctx.now();
    const seen = new Set(records.conclusions.filter((c) => c.role === 'examination').map((c) => c.comparisonId));
    ctx.tx(() => {
      for (const id of seen) ctx.comparisons.recordViewer(id, viewer.userId, at);
    });
  }
  return records;
}

export interface AuditEntryLike {
  entityType: string;
  entityId: string | null;
  username: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

const examinationEntities = new Set(['conclusion', 'annotation', 'snapshot', 'verification', 'hit']);
const comparisonOf = (entry: AuditEntryLike) => entry.after?.comparisonId ?? entry.before?.comparisonId;

/**
 * Audit entries as a reader may see them: other people's work on a comparison they verify blind, or could still
 * verify blind (heldBackFromLists), is left out (with the storing of its snapshots' PNGs, entries named by the
 * file's hash); and a reader shown the first examination of a comparison here is remembered as having seen it,
 * like in the workspace, so they cannot then verify it blind.
 */
export function auditShownTo<E extends AuditEntryLike>(
  ctx: ExamContext,
  viewer: { userId: number; username: string },
  entries: E[],
): E[] {
  const blind = new Set(
    ctx.conclusions
      .verificationsIn(['unassigned', 'assigned'])
      .filter((v) => v.blind && heldBackFromLists(ctx, viewer, factsOf(ctx, ctx.comparison(v.comparisonId))))
      .map((v) => v.comparisonId),
  );
  const snapshotFiles = new Set(
    [...blind].flatMap((id) =>
      ctx.annotations
        .snapshotsOf(id)
        .filter((snapshot) => snapshot.author.userId !== viewer.userId)
        .map((snapshot) => snapshot.sha256),
    ),
  );
  const shown = entries.filter((entry) => {
    if (blind.size === 0 || entry.username === viewer.username) return true;
    if (entry.entityType === 'evidence') return entry.entityId === null || !snapshotFiles.has(entry.entityId);
    if (!examinationEntities.has(entry.entityType)) return true;
    const comparisonId = comparisonOf(entry);
    return typeof comparisonId !== 'number' || !blind.has(comparisonId);
  });
  const seen = new Set(
    shown
      .filter(
        (e) =>
          examinationEntities.has(e.entityType) && e.entityType !== 'verification' && e.username !== viewer.username,
      )
      .filter((e) => (e.after?.role ?? 'examination') === 'examination')
      .map(comparisonOf)
      .filter((id): id is number => typeof id === 'number'),
  );
  if (seen.size) {
    const at = ctx.now();
    ctx.tx(() => {
      for (const id of seen) if (ctx.comparisons.get(id)) ctx.comparisons.recordViewer(id, viewer.userId, at);
    });
  }
  return withoutTestCasings(ctx, viewer.userId, shown);
}

/**
 * A case's history names its casings (their import, files, comparisons): a participant's open test's are left out,
 * with the test set's own entries (they hold its truth) and the other participants' work on its pairs.
 */
function withoutTestCasings<E extends AuditEntryLike>(ctx: ExamContext, userId: number, entries: E[]): E[] {
  const { acquisitions: hidden, testSets: sets, hides } = participantSecrets(ctx, userId);
  if (hidden.size === 0) return entries;
  const otherWork = (e: E) => {
    const comparisonId = comparisonOf(e);
    const comparison = typeof comparisonId === 'number' ? ctx.comparisons.get(comparisonId) : undefined;
    return comparison !== undefined && hides(comparison);
  };
  const files = new Set(
    [...hidden].flatMap((id) => [
      ...ctx.acquisitions.files(id).map((f) => f.sha256),
      ctx.acquisitions.get(id)?.topographySha256 ?? '',
    ]),
  );
  const names = (values: Record<string, unknown> | null) =>
    values !== null && [values.acquisitionId, values.a, values.b].some((v) => typeof v === 'number' && hidden.has(v));
  return entries.filter(
    (e) =>
      !(e.entityType === 'acquisition' && hidden.has(Number(e.entityId))) &&
      !(e.entityType === 'test_set' && sets.has(Number(e.entityId))) &&
      !otherWork(e) &&
      !(e.entityType === 'evidence' && e.entityId !== null && files.has(e.entityId)) &&
      !names(e.before) &&
      !names(e.after),
  );
}
