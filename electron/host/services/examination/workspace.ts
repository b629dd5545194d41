// The workspace of one comparison for one user, filtered by what they may see (access.ts), and the summaries
// lists show. Serving the first examination to someone is remembered: they can no longer verify it blind.
import type { ComparisonSummary, Workspace } from '../../../contract/examination.ts';
import type { ComparisonRecord } from '../../storage/repos/examination/comparisonsRepo.ts';
import { submissionsWithLeads } from '../../storage/repos/examination/hitsRepo.ts';
import { factsOf, requireVisible, standingOf, withheld, type ComparisonFacts, type Standing } from './access.ts';
import type { ExamContext, Viewer } from './context.ts';
import { hitView } from './hitViews.ts';
import { analysisView, annotationView, conclusionView, sideView, snapshotView, verificationView } from './views.ts';

/** The neutral name of a test pair's side, or null for casework. */
export function testLabels(
  ctx: ExamContext,
  c: ComparisonRecord,
): { a: string; b: string; test: Workspace['test'] } | null {
  if (c.testPairId === null) return null;
  const pair = ctx.testSets.pair(c.testPairId)!;
  const set = ctx.testSets.get(pair.testSetId)!;
  const of = ctx.testSets.pairs(set.id).length;
  const base = `${set.name} · pair ${pair.position}`;
  return {
    a: `${base} · A`,
    b: `${base} · B`,
    test: { testSetId: set.id, name: set.name, position: pair.position, of },
  };
}

/** The conclusion in force: the arbiter's, else the examiner's (the verifier's agrees with it when verified). */
export function conclusionInForce(ctx: ExamContext, facts: ComparisonFacts) {
  const v = facts.verification;
  const arbitration =
    v?.state === 'arbitrated' ? ctx.conclusions.current(facts.comparison.id, 'arbitration', v.id) : undefined;
  return arbitration ?? facts.examination;
}

export function summaryOf(ctx: ExamContext, facts: ComparisonFacts, standing: Standing): ComparisonSummary {
  const c = facts.comparison;
  const labels = testLabels(ctx, c);
  const side = (id: number, label: string | null) => {
    const source = ctx.sources.acquisition(id)!;
    return labels
      ? { acquisitionId: id, label: label!, caseId: null, itemId: null }
      : {
          acquisitionId: id,
          label: `${source.labCaseNumber} / ${source.exhibitNumber}`,
          caseId: source.caseId,
          itemId: source.itemId,
        };
  };
  const inForce = standing.blind ? undefined : conclusionInForce(ctx, facts);
  return {
    id: c.id,
    state: c.state,
    origin: c.origin === 'test' ? 'worklist' : (c.origin as ComparisonSummary['origin']),
    a: side(c.a, labels?.a ?? null),
    b: side(c.b, labels?.b ?? null),
    openedBy: c.openedByName,
    openedAt: c.openedAt,
    conclusion: inForce?.conclusion ?? null,
    examiner: facts.examination?.examiner.username ?? null,
    testSetId: labels?.test?.testSetId ?? null,
    version: c.version,
  };
}

/** The network lead this pair answers: our submission of one side, whose lead's X3P is the other side's topography. */
export function leadOf(
  ctx: ExamContext,
  c: ComparisonRecord,
): (Workspace['lead'] & { submissionId: string | null; otherSubmissionId: string; ours: number }) | null {
  const topography = (id: number) => ctx.acquisitions.get(id)?.topographySha256 ?? null;
  for (const job of submissionsWithLeads(ctx.db, [c.a, c.b])) {
    const other = job.acquisitionId === c.a ? c.b : c.a;
    const sha = topography(other);
    if (!sha) continue;
    const lead = job.leads.find((l) => l.otherArtifacts.some((a) => a.role === 'x3p' && a.sha256 === sha));
    if (lead)
      return {
        jobId: job.jobId,
        leadId: lead.leadId,
        otherLabId: lead.otherLabId,
        otherCaseRef: lead.otherCaseRef,
        otherItemRef: lead.otherItemRef,
        submissionId: job.submissionId,
        otherSubmissionId: lead.otherSubmissionId,
        ours: job.acquisitionId,
      };
  }
  return null;
}

function scaleOf(a: number | null, b: number | null): Workspace['scale'] {
  if (a === null || b === null)
    return {
      commonPixelUm: a ?? b,
      resampled: false,
      note: `the pixel size of ${a === null ? 'A' : 'B'} is unknown: it is shown at its own pixels, without a scale bar`,
    };
  if (Math.abs(a - b) <= 0.005 * Math.max(a, b)) return { commonPixelUm: Math.max(a, b), resampled: false, note: null };
  const common = Math.max(a, b);
  const fmt = (v: number) => `${Number(v.toPrecision(4))} µm`;
  return {
    commonPixelUm: common,
    resampled: true,
    note: `A has ${fmt(a)} pixels and B ${fmt(b)}: both are shown resampled to ${fmt(common)}`,
  };
}

export function workspaceFor(ctx: ExamContext, viewer: Viewer, comparisonId: number): Workspace {
  const comparison = ctx.comparison(comparisonId);
  requireVisible(viewer, comparison);
  const facts = factsOf(ctx, comparison);
  const standing = standingOf(viewer, facts);
  const labels = testLabels(ctx, comparison);
  const a = sideView(ctx, comparison, 'a', labels?.a ?? null);
  const b = sideView(ctx, comparison, 'b', labels?.b ?? null);
  const missing = [a, b].filter((s) => !s.topography);
  const visible = <T extends { role: 'examination' | 'verification' | 'arbitration' }>(rows: T[]) =>
    rows.filter((r) => !withheld(standing, r.role));
  const conclusions = visible(ctx.conclusions.ofComparison(comparisonId));
  const annotations = visible(ctx.annotations.ofComparison(comparisonId));
  const snapshots = visible(ctx.annotations.snapshotsOf(comparisonId));
  const sawFirstExamination = [...conclusions, ...annotations, ...snapshots].some((r) => r.role === 'examination');
  if (sawFirstExamination) ctx.tx(() => ctx.comparisons.recordViewer(comparisonId, viewer.userId, ctx.now()));
  const lead = comparison.testPairId === null ? leadOf(ctx, comparison) : null;
  const hit = ctx.hits.ofComparison(comparisonId);
  const analysis = ctx.comparisons.analyses(comparisonId).at(-1);
  return {
    comparison: summaryOf(ctx, facts, standing),
    a,
    b,
    scale: scaleOf(a.pixelUm, b.pixelUm),
    tools3d:
      missing.length === 0
        ? { available: true, reason: null }
        : {
            available: false,
            reason: `${missing.map((s) => s.side.toUpperCase()).join(' and ')} ${missing.length === 1 ? 'has' : 'have'} no topography (2D images only): relight, relief, false colour, profiles and CMC need a topography on both sides`,
          },
    analysis: analysis ? analysisView(analysis) : null,
    access: {
      role: standing.role,
      blind: standing.blind,
      canConclude: standing.concludesAs !== null,
      cannotConcludeReason: standing.reason,
      cannotConclude: standing.why,
      canAnnotate: standing.annotatesAs !== null,
    },
    conclusions: conclusions.map(conclusionView),
    annotations: annotations.map(annotationView),
    snapshots: snapshots.map(snapshotView),
    verification: facts.verification ? verificationView(facts.verification, standing.blind) : null,
    hit: hit ? hitView(ctx, hit, null) : null,
    lead: lead && {
      jobId: lead.jobId,
      leadId: lead.leadId,
      otherLabId: lead.otherLabId,
      otherCaseRef: lead.otherCaseRef,
      otherItemRef: lead.otherItemRef,
    },
    test: labels?.test ?? null,
  };
}
