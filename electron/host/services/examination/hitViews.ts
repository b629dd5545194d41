// A hit as a case record shows it: this lab's side, the linked case (local or another lab's), who concluded it.
import { notFound } from '../../../contract/errors.ts';
import type { HitView } from '../../../contract/examination.ts';
import type { HitRecord } from '../../storage/repos/examination/hitsRepo.ts';
import type { ExamContext } from './context.ts';

function localSide(ctx: ExamContext, acquisitionId: number) {
  const s = ctx.sources.acquisition(acquisitionId);
  if (!s) throw notFound('acquisition', `acquisition ${acquisitionId} does not exist`, { id: acquisitionId });
  return {
    kind: 'local' as const,
    caseId: s.caseId,
    labCaseNumber: s.labCaseNumber,
    itemId: s.itemId,
    exhibitNumber: s.exhibitNumber,
    acquisitionId,
  };
}

/** The hit seen from `caseId` (its side is `here`), or from A when null. */
export function hitView(ctx: ExamContext, hit: HitRecord, caseId: number | null): HitView {
  const comparison = ctx.comparison(hit.comparisonId);
  const conclusion = ctx.conclusions.get(hit.conclusionId)!;
  const examination = ctx.conclusions.current(comparison.id, 'examination');
  const verifiers = ctx.conclusions
    .ofComparison(comparison.id)
    .filter((c) => c.current && c.role !== 'examination' && c.conclusion === conclusion.conclusion)
    .map((c) => c.examiner.username);
  let here;
  let linked;
  if (hit.networkRefs && hit.networkLeadId !== null) {
    const ours = ctx.caseOf(comparison.a) === hit.caseA ? comparison.a : comparison.b;
    here = localSide(ctx, ours);
    linked = { kind: 'network' as const, ...hit.networkRefs, leadId: hit.networkLeadId };
  } else {
    const a = localSide(ctx, comparison.a);
    const b = localSide(ctx, comparison.b);
    [here, linked] = caseId !== null && b.caseId === caseId ? [b, a] : [a, b];
  }
  return {
    id: hit.id,
    comparisonId: hit.comparisonId,
    conclusionId: hit.conclusionId,
    conclusion: conclusion.conclusion,
    here,
    linked,
    examiner: examination?.examiner.username ?? conclusion.examiner.username,
    verifiedBy: verifiers,
    confirmedBy: hit.confirmedBy,
    confirmedAt: hit.confirmedAt,
    note: hit.note,
    report:
      hit.reportJobId === null
        ? null
        : { outboxJobId: hit.reportJobId, state: ctx.networkHits?.state(hit.reportJobId)?.state ?? 'unknown' },
  };
}
