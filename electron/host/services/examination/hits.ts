// Hits: a verified identification confirmed as a link between two cases. Within this lab it links both case
// records; for a pair that answers a network lead it links our case to the other lab's, and the report to the hub
// is queued in the outbox in the same transaction (so it is sent exactly once, or the hit is not recorded).
import { AppError, notFound } from '../../../contract/errors.ts';
import type { HitView } from '../../../contract/examination.ts';
import { leadsCaseNumber } from '../outbox/leadCasing.ts';
import { factsOf, requireVisible } from './access.ts';
import type { ExamContext, Viewer } from './context.ts';
import { hitView } from './hitViews.ts';
import { participantSecrets } from './testSecrecy.ts';
import { conclusionInForce, leadOf } from './workspace.ts';

export function confirmHit(ctx: ExamContext, viewer: Viewer, input: { comparisonId: number; note?: string }): HitView {
  const id = ctx.tx(() => {
    const comparison = ctx.comparison(input.comparisonId);
    requireVisible(viewer, comparison);
    if (comparison.testPairId !== null) throw new AppError('invalid_input', 'a test pair does not make hits');
    const existing = ctx.hits.ofComparison(comparison.id);
    if (existing)
      throw new AppError('conflict', `this comparison is hit ${existing.id} already`, { hitId: existing.id });
    const facts = factsOf(ctx, comparison);
    const final = conclusionInForce(ctx, facts);
    if (comparison.state !== 'verified' || !final)
      throw new AppError(
        'conflict',
        `a hit needs a verified identification; this comparison is ${comparison.state.replace('_', ' ')}` +
          (comparison.state === 'concluded' ? ' (ask for a verification first)' : ''),
        { reason: 'not_verified' },
      );
    if (final.conclusion !== 'identification')
      throw new AppError('conflict', `the verified conclusion is ${final.conclusion}, not an identification`, {
        reason: 'not_identification',
      });
    const a = ctx.sources.acquisition(comparison.a)!;
    const b = ctx.sources.acquisition(comparison.b)!;
    const lead = leadOf(ctx, comparison);
    const at = ctx.now();
    let hit: {
      caseA: number;
      caseB: number | null;
      networkJobId: number | null;
      networkLeadId: number | null;
      networkRefs: { labId: string; caseRef: string; itemRef: string; submissionId: string } | null;
      reportJobId: number | null;
    };
    if (lead) {
      if (!ctx.networkHits)
        throw new AppError('unavailable', 'this station cannot report hits to the network yet; nothing was recorded');
      // Another comparison (the lead's casing fetched twice) may have answered this lead: it is reported once.
      const made = ctx.hits.ofNetworkLead(lead.jobId, lead.leadId);
      if (made)
        throw new AppError(
          'conflict',
          `lead ${lead.leadId} of this submission is hit ${made.id} already (comparison ${made.comparisonId})`,
          { hitId: made.id },
        );
      const ours = lead.ours === a.acquisitionId ? a : b;
      hit = {
        caseA: ours.caseId,
        caseB: null,
        networkJobId: lead.jobId,
        networkLeadId: lead.leadId,
        networkRefs: {
          labId: lead.otherLabId,
          caseRef: lead.otherCaseRef,
          itemRef: lead.otherItemRef,
          submissionId: lead.otherSubmissionId,
        },
        reportJobId: null,
      };
    } else {
      if (a.caseId === b.caseId)
        throw new AppError(
          'invalid_input',
          `both casings belong to case ${a.labCaseNumber}: the conclusion records it; a hit links two cases`,
          { reason: 'same_case' },
        );
      if (a.labCaseNumber === leadsCaseNumber || b.labCaseNumber === leadsCaseNumber)
        throw new AppError(
          'invalid_input',
          'one casing is another lab’s (fetched from a network lead), but no lead of this station’s submissions names this pair',
          { reason: 'no_lead' },
        );
      hit = {
        caseA: a.caseId,
        caseB: b.caseId,
        networkJobId: null,
        networkLeadId: null,
        networkRefs: null,
        reportJobId: null,
      };
    }
    const id = ctx.hits.insert({
      ...hit,
      comparisonId: comparison.id,
      conclusionId: final.id,
      confirmedById: viewer.userId,
      confirmedAt: at,
      note: input.note ?? null,
    });
    if (lead) {
      // Queued with the hit (same transaction): reported once, or neither exists.
      const report = ctx.networkHits!.enqueue({
        submissionJobId: lead.jobId,
        leadId: lead.leadId,
        hitRef: String(id),
        conclusion: 'identification',
        confirmedAt: at,
      });
      ctx.hits.setReportJob(id, report.id);
      hit.reportJobId = report.id;
    }
    // Both case records get the link.
    for (const caseId of [hit.caseA, hit.caseB].filter((c): c is number => c !== null))
      ctx.record(
        viewer,
        comparison.id,
        {
          action: 'hit.confirm',
          entityType: 'hit',
          entityId: id,
          caseId,
          after: {
            hitId: id,
            conclusionId: final.id,
            cases: [hit.caseA, hit.caseB],
            network: hit.networkRefs
              ? { ...hit.networkRefs, leadId: hit.networkLeadId, jobId: hit.networkJobId }
              : null,
            reportJobId: hit.reportJobId,
          },
          reason: input.note ?? null,
        },
        at,
      );
    return id;
  });
  ctx.changed(input.comparisonId, 'hit');
  return hitView(ctx, ctx.hits.get(id)!, null);
}

/** A case's hits, less those naming a casing of a test the viewer is taking (the hit would say how it concluded). */
export function hitsForCase(ctx: ExamContext, viewer: Viewer, caseId: number): HitView[] {
  if (!ctx.cases.get(caseId)) throw notFound('case', `case ${caseId} does not exist`, { id: caseId });
  const { hides } = participantSecrets(ctx, viewer.userId);
  return ctx.hits
    .forCase(caseId)
    .filter((hit) => !hides(ctx.comparison(hit.comparisonId)))
    .map((hit) => hitView(ctx, hit, caseId));
}
