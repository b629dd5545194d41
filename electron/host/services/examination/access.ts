// Who may see and do what in a comparison. The one place these rules live: every call that returns or changes
// examination records asks here, so a blind verifier is served nothing of the first examination by any path.
import { notFound } from '../../../contract/errors.ts';
import { roleAllows } from '../../../contract/auth.ts';
import type { CannotConcludeCode, ConclusionRole, IneligibleCode } from '../../../contract/examination.ts';
import type { ComparisonRecord } from '../../storage/repos/examination/comparisonsRepo.ts';
import type { ConclusionRecord, VerificationRecord } from '../../storage/repos/examination/conclusionsRepo.ts';
import type { ExamContext, Viewer } from './context.ts';

export interface Standing {
  role: 'examiner' | 'verifier' | 'arbiter' | 'participant' | 'reviewer';
  /** A blind verifier before their own conclusion: the first examination is withheld. */
  blind: boolean;
  /** Whose conclusion this user would record now; null = none, for `reason`. */
  concludesAs: ConclusionRole | null;
  reason: string | null;
  /** The same reason as a code and the person it names, for the UI's words; null when concludesAs is set. */
  why: { code: CannotConcludeCode; who: string | null } | null;
  /** Whose annotations and snapshots this user makes now; null = none. */
  annotatesAs: ConclusionRole | null;
}

/** Everything the rules look at for one comparison. */
export interface ComparisonFacts {
  comparison: ComparisonRecord;
  verification: VerificationRecord | undefined;
  /** The examiner's conclusion in force. */
  examination: ConclusionRecord | undefined;
  testSetOpen: boolean | null;
}

export function factsOf(ctx: ExamContext, comparison: ComparisonRecord): ComparisonFacts {
  const pair = comparison.testPairId === null ? undefined : ctx.testSets.pair(comparison.testPairId);
  return {
    comparison,
    verification: ctx.conclusions.verificationOf(comparison.id),
    examination: ctx.conclusions.current(comparison.id, 'examination'),
    testSetOpen: pair ? ctx.testSets.get(pair.testSetId)?.state === 'open' : null,
  };
}

export function standingOf(viewer: Viewer, facts: ComparisonFacts): Standing {
  const { comparison: c, verification: v, examination: exam } = facts;
  const none = (
    role: Standing['role'],
    [reason, code, who = null]: Reason,
    annotatesAs: ConclusionRole | null = null,
  ): Standing => ({ role, blind: false, concludesAs: null, reason, why: { code, who }, annotatesAs });
  const may = (role: Standing['role'], concludesAs: ConclusionRole, blind = false): Standing => ({
    role,
    blind,
    concludesAs,
    reason: null,
    why: null,
    annotatesAs: concludesAs,
  });
  if (c.testPairId !== null) {
    if (c.participantId !== viewer.userId)
      return none('reviewer', ['a test pair is concluded by the examiner taking it', 'test_other_participant']);
    if (!facts.testSetOpen) return none('participant', ['the test set is closed', 'test_closed']);
    if (exam)
      return none(
        'participant',
        ['you have recorded your conclusion; amend it if needed', 'test_concluded'],
        'examination',
      );
    return may('participant', 'examination');
  }
  if (v?.state === 'assigned' && v.verifier?.userId === viewer.userId) return may('verifier', 'verification', v.blind);
  if (v?.state === 'arbitrating' && v.arbiter?.userId === viewer.userId) return may('arbiter', 'arbitration');
  if (!exam) return may('examiner', 'examination');
  if (exam.examiner.userId === viewer.userId)
    return none(
      'examiner',
      ['you recorded the conclusion of this comparison; amend it if needed', 'own_conclusion'],
      c.state === 'verified' ? null : 'examination',
    );
  return none('reviewer', stateReason(facts));
}

/** Why not, in English (error messages, the API) and as a code with the person it names (the UI's words). */
type Reason = [string, CannotConcludeCode, (string | null)?];

function stateReason({ comparison: c, verification: v, examination: exam }: ComparisonFacts): Reason {
  switch (c.state) {
    case 'awaiting_verification':
      return v?.verifier
        ? [`${v.verifier.username} is verifying this comparison`, 'being_verified', v.verifier.username]
        : [
            'this comparison waits for a verifier (a manager assigns one, or an eligible examiner claims it)',
            'awaiting_verifier',
          ];
    case 'disputed':
      return v?.arbiter
        ? [`${v.arbiter.username} is arbitrating this comparison`, 'being_arbitrated', v.arbiter.username]
        : ['the verifier disagreed: a manager assigns an arbiter', 'awaiting_arbiter'];
    default:
      return [
        `${exam?.examiner.username ?? 'another examiner'} concluded this comparison`,
        'concluded_by_another',
        exam?.examiner.username ?? null,
      ];
  }
}

/** Whether a record of this role is withheld from the viewer (the first examination, from a blind verifier). */
export function withheld(standing: Standing, role: ConclusionRole): boolean {
  return standing.blind && role === 'examination';
}

/** Test pairs are seen by the examiner taking them and by managers only; casework by every examiner. */
export function requireVisible(viewer: Viewer, comparison: ComparisonRecord): void {
  if (comparison.testPairId !== null && comparison.participantId !== viewer.userId && !viewer.manager)
    throw notFound('comparison', `comparison ${comparison.id} does not exist`, { id: comparison.id });
}

/** Why a user may not verify (or arbitrate): in English (errors, the API) and as a code (the UI's words). */
export interface Ineligible {
  reason: string;
  code: IneligibleCode;
}

/** Why a user may not verify (or arbitrate) a comparison, or null when they may. */
export function ineligibility(
  ctx: ExamContext,
  facts: ComparisonFacts,
  userId: number,
  as: 'verifier' | 'arbiter',
): Ineligible | null {
  const no = (reason: string, code: IneligibleCode): Ineligible => ({ reason, code });
  const user = ctx.users.byId(userId);
  if (!user) return no('no such user', 'no_user');
  if (user.disabled) return no(`${user.username} is disabled`, 'disabled');
  if (!roleAllows(user.role, 'conclusion.write'))
    return no(`${user.username} (${user.role}) cannot record conclusions`, 'no_conclusions');
  const examiners = ctx.conclusions
    .ofComparison(facts.comparison.id)
    .filter((c) => c.role === 'examination')
    .map((c) => c.examiner.userId);
  if (examiners.includes(userId))
    return no(`${user.username} is the examiner: no one verifies their own work`, 'is_examiner');
  if (ctx.annotations.hasWorkedAs(facts.comparison.id, userId, 'examination'))
    return no(`${user.username} annotated or photographed the first examination`, 'worked_first');
  const v = facts.verification;
  if (as === 'arbiter') {
    if (v?.verifier?.userId === userId)
      return no(`${user.username} is the verifier: the arbiter is a third examiner`, 'is_verifier');
    return null;
  }
  if (v?.blind && ctx.comparisons.hasSeen(facts.comparison.id, userId))
    return no(`${user.username} has seen the first examination, so cannot verify it blind`, 'saw_first');
  return null;
}

/**
 * Whether lists and case histories hold back this comparison's first examination from the viewer: they are its
 * blind verifier, or its blind verification waits for a verifier's conclusion and the viewer could still be that
 * verifier. Reading a case (its history, its comparisons: what a case page shows unasked) must not cost an examiner
 * their eligibility; opening the comparison itself shows the first examination, and counts as having seen it.
 */
export function heldBackFromLists(ctx: ExamContext, viewer: { userId: number }, facts: ComparisonFacts): boolean {
  const v = facts.verification;
  if (!v?.blind || (v.state !== 'unassigned' && v.state !== 'assigned')) return false;
  if (v.state === 'assigned' && v.verifier?.userId === viewer.userId) return true;
  return ineligibility(ctx, facts, viewer.userId, 'verifier') === null;
}
