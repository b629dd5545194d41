// What waits for each examiner (and, for managers, what waits for an assignment). Entries name the pair and the
// state only: a verifier's entry never says what the first examiner concluded.
import type { WorklistEntry } from '../../../contract/examination.ts';
import type { ComparisonRecord } from '../../storage/repos/examination/comparisonsRepo.ts';
import type { VerificationRecord } from '../../storage/repos/examination/conclusionsRepo.ts';
import { factsOf, ineligibility, standingOf } from './access.ts';
import type { ExamContext, Viewer } from './context.ts';
import { summaryOf, testLabels } from './workspace.ts';
import { participantSecrets } from './testSecrecy.ts';

export function worklist(ctx: ExamContext, viewer: Viewer): WorklistEntry[] {
  const entries: WorklistEntry[] = [];
  // Casework on a casing of an open test the viewer takes names it: it waits until the test closes.
  const { hides } = participantSecrets(ctx, viewer.userId);
  const add = (kind: WorklistEntry['kind'], c: ComparisonRecord, since: string, v?: VerificationRecord) => {
    if (hides(c)) return;
    const facts = factsOf(ctx, c);
    const summary = summaryOf(ctx, facts, standingOf(viewer, facts));
    const test = testLabels(ctx, c)?.test;
    entries.push({
      kind,
      comparisonId: c.id,
      verificationId: v?.id ?? null,
      testSetId: summary.testSetId,
      a: summary.a.label,
      b: summary.b.label,
      test: test ? { name: test.name, position: test.position } : null,
      state: c.state,
      since,
    });
  };
  for (const c of ctx.comparisons.openWorkedOnBy(viewer.userId)) add('examine', c, c.openedAt);
  for (const c of ctx.comparisons.testComparisonsOf(viewer.userId)) add('test', c, c.openedAt);
  for (const v of ctx.conclusions.verificationsIn(['unassigned', 'assigned', 'disputed', 'arbitrating'])) {
    const c = ctx.comparison(v.comparisonId);
    const examiner = ctx.conclusions.current(c.id, 'examination')?.examiner.userId;
    if (v.state === 'assigned' && v.verifier?.userId === viewer.userId) add('verify', c, v.createdAt, v);
    else if (v.state === 'arbitrating' && v.arbiter?.userId === viewer.userId) add('arbitrate', c, v.createdAt, v);
    else if (v.state === 'unassigned' && ineligibility(ctx, factsOf(ctx, c), viewer.userId, 'verifier') === null)
      add('claim', c, v.createdAt, v);
    if (examiner === viewer.userId && (v.state === 'unassigned' || v.state === 'assigned'))
      add('awaiting_verification', c, v.createdAt, v);
    if (viewer.manager && v.state === 'unassigned') add('assign_verifier', c, v.createdAt, v);
    if (viewer.manager && v.state === 'disputed') add('assign_arbiter', c, v.createdAt, v);
  }
  return entries;
}
