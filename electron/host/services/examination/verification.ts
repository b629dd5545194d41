// Verification: a second examiner's independent conclusion (blind per the lab's policy), assigned by a manager or
// claimed by an eligible examiner; a disagreement goes to an arbiter a manager names, whose conclusion is final.
// Eligibility is the host's: never the examiner, never someone who worked on the first examination, and for a
// blind verification never someone already shown it.
import { AppError, notFound } from '../../../contract/errors.ts';
import { roleAllows } from '../../../contract/auth.ts';
import type { IneligibleCode, Person, VerificationView } from '../../../contract/examination.ts';
import type { ComparisonRecord } from '../../storage/repos/examination/comparisonsRepo.ts';
import type { VerificationRecord } from '../../storage/repos/examination/conclusionsRepo.ts';
import { factsOf, ineligibility, requireVisible, standingOf } from './access.ts';
import type { ExamContext, Viewer } from './context.ts';
import { currentPolicy } from './policy.ts';
import { verificationView } from './views.ts';

/** Opens a verification on a concluded comparison (the caller moves the comparison's state). */
export function openVerification(
  ctx: ExamContext,
  viewer: Viewer,
  comparison: ComparisonRecord,
  how: { requestedBy: 'policy' | 'request'; reason: string | null; blind: boolean },
  at: string,
): number {
  const id = ctx.conclusions.insertVerification({
    comparisonId: comparison.id,
    blind: how.blind,
    requestedBy: how.requestedBy,
    requestReason: how.reason,
    requesterId: viewer.userId,
    at,
  });
  ctx.record(
    viewer,
    comparison.id,
    {
      action: 'verification.open',
      entityType: 'verification',
      entityId: id,
      caseId: ctx.caseOf(comparison.a),
      after: { verificationId: id, blind: how.blind, requestedBy: how.requestedBy },
      reason: how.reason,
    },
    at,
  );
  return id;
}

function requireVerification(ctx: ExamContext, id: number): VerificationRecord {
  const v = ctx.conclusions.verification(id);
  if (!v) throw notFound('verification', `verification ${id} does not exist`, { id });
  return v;
}

function viewOf(ctx: ExamContext, viewer: Viewer, id: number): VerificationView {
  const v = requireVerification(ctx, id);
  const standing = standingOf(viewer, factsOf(ctx, ctx.comparison(v.comparisonId)));
  return verificationView(v, standing.blind);
}

/** Asks for a verification the policy did not (e.g. so that an identification can become a hit). */
export function requestVerification(
  ctx: ExamContext,
  viewer: Viewer,
  input: { comparisonId: number; reason: string },
): VerificationView {
  const id = ctx.tx(() => {
    const comparison = ctx.comparison(input.comparisonId);
    requireVisible(viewer, comparison);
    if (comparison.testPairId !== null) throw new AppError('invalid_input', 'test pairs are not verified');
    const facts = factsOf(ctx, comparison);
    if (!facts.examination) throw new AppError('conflict', 'there is no conclusion to verify yet');
    if (facts.examination.examiner.userId !== viewer.userId && !viewer.manager)
      throw new AppError('forbidden', 'the examiner or a manager asks for a verification');
    if (comparison.state !== 'concluded')
      throw new AppError(
        'conflict',
        comparison.state === 'verified'
          ? 'this comparison is verified already'
          : 'a verification is already in progress',
      );
    const at = ctx.now();
    const id = openVerification(
      ctx,
      viewer,
      comparison,
      { requestedBy: 'request', reason: input.reason, blind: currentPolicy(ctx).policy.blind },
      at,
    );
    if (!ctx.comparisons.setState(comparison.id, comparison.version, 'awaiting_verification'))
      throw new AppError('conflict', 'the comparison changed meanwhile; reload it and ask again');
    return id;
  });
  ctx.changed(input.comparisonId, 'verification');
  return viewOf(ctx, viewer, id);
}

export function verificationCandidates(
  ctx: ExamContext,
  input: { verificationId: number; as: 'verifier' | 'arbiter' },
): (Person & { eligible: boolean; reason: string | null; why: IneligibleCode | null })[] {
  const v = requireVerification(ctx, input.verificationId);
  const facts = factsOf(ctx, ctx.comparison(v.comparisonId));
  return ctx.users
    .list()
    .filter((u) => !u.disabled && roleAllows(u.role, 'conclusion.write'))
    .map((u) => {
      const no = ineligibility(ctx, facts, u.id, input.as);
      return {
        userId: u.id,
        username: u.username,
        displayName: u.displayName,
        eligible: no === null,
        reason: no?.reason ?? null,
        why: no?.code ?? null,
      };
    });
}

/** Assigns (or reassigns, before they record) the verifier: a manager's act, or an eligible examiner's claim. */
export function assignVerifier(
  ctx: ExamContext,
  viewer: Viewer,
  input: { verificationId: number; verifierId: number; version: number },
  claim: boolean,
): VerificationView {
  const v = ctx.tx(() => {
    const v = requireVerification(ctx, input.verificationId);
    const comparison = ctx.comparison(v.comparisonId);
    const allowed = claim ? ['unassigned'] : ['unassigned', 'assigned'];
    if (!allowed.includes(v.state))
      throw new AppError(
        'conflict',
        v.state === 'assigned'
          ? `${v.verifier?.username} has this verification already`
          : `this verification is ${v.state}`,
      );
    const why = ineligibility(ctx, factsOf(ctx, comparison), input.verifierId, 'verifier');
    if (why) throw new AppError('forbidden', `cannot verify: ${why.reason}`, { reason: 'ineligible' });
    if (!ctx.conclusions.updateVerification(v.id, input.version, { state: 'assigned', verifierId: input.verifierId }))
      throw new AppError('conflict', 'the verification changed meanwhile; reload it');
    const verifier = ctx.users.byId(input.verifierId)!;
    ctx.record(viewer, comparison.id, {
      action: claim ? 'verification.claim' : 'verification.assign',
      entityType: 'verification',
      entityId: v.id,
      caseId: ctx.caseOf(comparison.a),
      before: { verificationId: v.id, state: v.state, verifier: v.verifier?.username ?? null },
      after: { verificationId: v.id, state: 'assigned', verifier: verifier.username },
    });
    return v;
  });
  ctx.changed(v.comparisonId, 'verification');
  return viewOf(ctx, viewer, v.id);
}

export function assignArbiter(
  ctx: ExamContext,
  viewer: Viewer,
  input: { verificationId: number; arbiterId: number; version: number; note?: string },
): VerificationView {
  const v = ctx.tx(() => {
    const v = requireVerification(ctx, input.verificationId);
    if (v.state !== 'disputed' && v.state !== 'arbitrating')
      throw new AppError('conflict', `an arbiter is named after a disagreement; this verification is ${v.state}`);
    const comparison = ctx.comparison(v.comparisonId);
    const why = ineligibility(ctx, factsOf(ctx, comparison), input.arbiterId, 'arbiter');
    if (why) throw new AppError('forbidden', `cannot arbitrate: ${why.reason}`, { reason: 'ineligible' });
    if (
      !ctx.conclusions.updateVerification(v.id, input.version, {
        state: 'arbitrating',
        arbiterId: input.arbiterId,
        arbiterNote: input.note ?? null,
      })
    )
      throw new AppError('conflict', 'the verification changed meanwhile; reload it');
    ctx.record(viewer, comparison.id, {
      action: 'verification.arbiter',
      entityType: 'verification',
      entityId: v.id,
      caseId: ctx.caseOf(comparison.a),
      before: { verificationId: v.id, state: v.state, arbiter: v.arbiter?.username ?? null },
      after: { verificationId: v.id, state: 'arbitrating', arbiter: ctx.users.byId(input.arbiterId)!.username },
      reason: input.note ?? null,
    });
    return v;
  });
  ctx.changed(v.comparisonId, 'verification');
  return viewOf(ctx, viewer, v.id);
}
