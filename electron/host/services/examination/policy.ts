// The lab's verification policy: which conclusions need a verifier and whether verification is blind. A manager
// setting (station setting, audited with before/after and the reason); the default follows common practice:
// identifications and eliminations, blind. A conclusion records the policy it was made under.
import { AppError } from '../../../contract/errors.ts';
import {
  defaultVerificationPolicy,
  verificationPolicySchema,
  type VerificationPolicy,
} from '../../../contract/examination.ts';
import type { ExamContext, Viewer } from './context.ts';

export const policyKey = 'examination.verificationPolicy';

export function currentPolicy(ctx: ExamContext): {
  policy: VerificationPolicy;
  source: 'station' | 'default';
  updatedAt: string | null;
  updatedBy: string | null;
} {
  const stored = ctx.settings.get(policyKey);
  if (!stored) return { policy: defaultVerificationPolicy, source: 'default', updatedAt: null, updatedBy: null };
  const parsed = verificationPolicySchema.safeParse(stored.value);
  // Only setPolicy writes this row, validated; anything else is a damaged database, said loudly.
  if (!parsed.success)
    throw new AppError('internal', `the station setting ${policyKey} holds ${JSON.stringify(stored.value)}`);
  const by = stored.updatedBy === null ? null : (ctx.users.byId(stored.updatedBy)?.username ?? null);
  return { policy: parsed.data, source: 'station', updatedAt: stored.updatedAt, updatedBy: by };
}

export function setPolicy(ctx: ExamContext, viewer: Viewer, policy: VerificationPolicy, reason: string) {
  const at = ctx.now();
  ctx.tx(() => {
    const before = currentPolicy(ctx);
    ctx.settings.set(policyKey, policy, at, viewer.userId);
    ctx.record(
      viewer,
      null,
      {
        action: 'verification.policy',
        entityType: 'station_setting',
        entityId: policyKey,
        before: { ...before.policy, source: before.source },
        after: { ...policy },
        reason,
      },
      at,
    );
  });
  return currentPolicy(ctx).policy;
}
