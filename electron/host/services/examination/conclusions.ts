// Conclusions on the AFTE range, as technical records (ISO/IEC 17025 7.5.1: who, when, what was compared, the
// scores shown) that are never changed: an amendment is a new record naming the one it amends (7.5.2). Whose
// conclusion a record is follows from the user's standing; recording one moves the comparison and its
// verification on, in the same transaction as its audit entries.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../base/canonicalJson.ts';
import { AppError, notFound } from '../../../contract/errors.ts';
import type { AfteConclusion, ConclusionRole, TechnicalRecord, Workspace } from '../../../contract/examination.ts';
import type { ConclusionView } from '../../../contract/examination.ts';
import type { ComparisonRecord } from '../../storage/repos/examination/comparisonsRepo.ts';
import { factsOf, requireVisible, standingOf, withheld, type ComparisonFacts, type Standing } from './access.ts';
import type { ExamContext, Viewer } from './context.ts';
import { currentPolicy } from './policy.ts';
import { openVerification } from './verification.ts';
import { analysisView, conclusionView } from './views.ts';
import { workspaceFor } from './workspace.ts';

export interface ConclusionFields {
  conclusion: AfteConclusion;
  basis: string;
  snapshotIds: number[];
  annotationIds: number[];
  analysisIds: number[];
}

/** Anything but Unsuitable is refused while an acquisition is marked unsuitable for comparison. */
function checkSuitable(ctx: ExamContext, comparison: ComparisonRecord, conclusion: AfteConclusion): void {
  if (conclusion === 'unsuitable') return;
  for (const [side, id] of [
    ['A', comparison.a],
    ['B', comparison.b],
  ] as const) {
    const reason = ctx.acquisitions.get(id)?.unsuitableReason;
    if (reason)
      throw new AppError(
        'invalid_input',
        `${side} is marked unsuitable for comparison (${reason}): record Unsuitable, or clear the mark on the acquisition first`,
        { field: 'conclusion', reason: 'unsuitable' },
      );
  }
}

/** The linked snapshots, annotations (at their current revision) and scores, each of this comparison and visible. */
function checkLinks(ctx: ExamContext, standing: Standing, comparisonId: number, fields: ConclusionFields) {
  const snapshots = new Map(ctx.annotations.snapshotsOf(comparisonId).map((s) => [s.id, s]));
  for (const id of fields.snapshotIds) {
    const s = snapshots.get(id);
    if (!s || withheld(standing, s.role))
      throw new AppError('invalid_input', `snapshot ${id} is not part of this comparison`, { field: 'snapshotIds' });
  }
  const annotations = new Map(ctx.annotations.ofComparison(comparisonId).map((a) => [a.id, a]));
  const annotationRefs = fields.annotationIds.map((id) => {
    const a = annotations.get(id);
    if (!a || withheld(standing, a.role))
      throw new AppError('invalid_input', `annotation ${id} is not part of this comparison`, {
        field: 'annotationIds',
      });
    if (a.withdrawn) throw new AppError('invalid_input', `annotation ${id} was withdrawn`, { field: 'annotationIds' });
    return { id, revision: a.revision };
  });
  const analyses = new Map(ctx.comparisons.analyses(comparisonId).map((a) => [a.id, a]));
  const scores = fields.analysisIds.map((id) => {
    const a = analyses.get(id);
    if (!a)
      throw new AppError('invalid_input', `analysis ${id} is not part of this comparison`, { field: 'analysisIds' });
    const view = analysisView(a);
    return {
      analysisId: id,
      algorithm: view.algorithm,
      parameters: view.parameters,
      inputs: view.inputs,
      cmc: view.cmc,
      calibrated: view.calibrated.statement,
      ranAt: view.ranAt,
    };
  });
  return { snapshotIds: fields.snapshotIds, annotationRefs, scores };
}

function technicalRecord(
  ctx: ExamContext,
  workspace: Pick<Workspace, 'a' | 'b' | 'test'>,
  scores: TechnicalRecord['scoresShown'],
): TechnicalRecord {
  const test = workspace.test;
  const side = (s: Workspace['a'], letter: 'A' | 'B'): TechnicalRecord['a'] => {
    const acquisition = ctx.acquisitions.get(s.acquisitionId)!;
    return {
      acquisitionId: s.acquisitionId,
      // A record outlives the reader's language: a test pair is kept as its set, number and side, worded on display.
      label: test ? `${test.name} · ${test.position} · ${letter}` : s.label,
      testPair: test ? { name: test.name, position: test.position } : null,
      itemId: s.itemId,
      caseId: s.caseId,
      region: s.region,
      topographySha256: acquisition.topographySha256,
      pixelUm: acquisition.lateralUm,
      files: ctx.acquisitions.files(s.acquisitionId).map((f) => ({ role: f.role, sha256: f.sha256 })),
      unsuitableReason: acquisition.unsuitableReason,
    };
  };
  return {
    a: side(workspace.a, 'A'),
    b: side(workspace.b, 'B'),
    scoresShown: scores,
    stationVersion: ctx.version,
    policy: currentPolicy(ctx).policy,
  };
}

/** Moves the comparison (and its verification) on after a conclusion of `role`, with the audit entries. */
function advance(
  ctx: ExamContext,
  viewer: Viewer,
  facts: ComparisonFacts,
  role: ConclusionRole,
  conclusion: AfteConclusion,
  at: string,
): void {
  const c = facts.comparison;
  const v = facts.verification;
  const moveComparison = (state: ComparisonRecord['state']) => {
    if (!ctx.comparisons.setState(c.id, c.version, state, at))
      throw new AppError('conflict', 'the comparison changed meanwhile; reload it and record again');
  };
  const moveVerification = (state: 'agreed' | 'disputed' | 'arbitrated', closed: boolean) => {
    if (!v || !ctx.conclusions.updateVerification(v.id, v.version, { state, closedAt: closed ? at : undefined }))
      throw new AppError('conflict', 'the verification changed meanwhile; reload it and record again');
    ctx.record(
      viewer,
      c.id,
      {
        action: `verification.${state}`,
        entityType: 'verification',
        entityId: v.id,
        caseId: ctx.caseOf(c.a),
        before: { verificationId: v.id, state: v.state },
        after: { verificationId: v.id, state },
      },
      at,
    );
  };
  if (role === 'examination') {
    if (c.testPairId !== null) return moveComparison('concluded');
    const policy = currentPolicy(ctx).policy;
    if (policy.requireFor.includes(conclusion)) {
      openVerification(ctx, viewer, c, { requestedBy: 'policy', reason: null, blind: policy.blind }, at);
      moveComparison('awaiting_verification');
    } else moveComparison('concluded');
  } else if (role === 'verification') {
    const agreed = conclusion === facts.examination?.conclusion;
    moveVerification(agreed ? 'agreed' : 'disputed', agreed);
    moveComparison(agreed ? 'verified' : 'disputed');
  } else {
    moveVerification('arbitrated', true);
    moveComparison('verified');
  }
}

/**
 * The SHA-256 of a technical record's canonical JSON: the audit entry that records a conclusion names it, so `audit
 * verify` finds a technical record (what was compared, the scores shown, the policy) changed around the station.
 */
export function technicalRecordSha256(record: unknown): string {
  // As stored: JSON drops what JSON cannot hold (undefined), so a record and its stored copy hash the same.
  return createHash('sha256')
    .update(canonicalJson(JSON.parse(JSON.stringify(record ?? null))))
    .digest('hex');
}

function auditFields(
  id: number,
  role: ConclusionRole,
  fields: ConclusionFields,
  links: ReturnType<typeof checkLinks>,
  recordSha256: string,
) {
  return {
    conclusionId: id,
    role,
    conclusion: fields.conclusion,
    basis: fields.basis,
    snapshotIds: links.snapshotIds,
    annotations: links.annotationRefs,
    analysisIds: fields.analysisIds,
    recordSha256,
  };
}

/** Writes one conclusion record (an original, or an amendment naming what it amends) with its technical record. */
function writeRecord(
  ctx: ExamContext,
  viewer: Viewer,
  standing: Standing,
  fields: ConclusionFields,
  whose: {
    comparisonId: number;
    role: ConclusionRole;
    verificationId: number | null;
    amends?: number;
    reason?: string;
  },
) {
  const links = checkLinks(ctx, standing, whose.comparisonId, fields);
  const at = ctx.now();
  const record = technicalRecord(ctx, workspaceFor(ctx, viewer, whose.comparisonId), links.scores);
  const id = ctx.conclusions.insert({
    ...whose,
    conclusion: fields.conclusion,
    basis: fields.basis,
    examinerId: viewer.userId,
    recordedAt: at,
    snapshotIds: links.snapshotIds,
    annotations: links.annotationRefs,
    record,
  });
  return { id, links, at, recordSha256: technicalRecordSha256(record) };
}

export function recordConclusion(
  ctx: ExamContext,
  viewer: Viewer,
  input: ConclusionFields & { comparisonId: number },
): { conclusion: ConclusionView; workspace: Workspace } {
  const id = ctx.tx(() => {
    const comparison = ctx.comparison(input.comparisonId);
    requireVisible(viewer, comparison);
    const facts = factsOf(ctx, comparison);
    const standing = standingOf(viewer, facts);
    const role = standing.concludesAs;
    if (!role) throw new AppError('forbidden', `you cannot record a conclusion here: ${standing.reason}`);
    checkSuitable(ctx, comparison, input.conclusion);
    const verificationId = role === 'examination' ? null : facts.verification!.id;
    const { id, links, at, recordSha256 } = writeRecord(ctx, viewer, standing, input, {
      comparisonId: comparison.id,
      role,
      verificationId,
    });
    ctx.record(
      viewer,
      comparison.id,
      {
        action: 'conclusion.record',
        entityType: 'conclusion',
        entityId: id,
        caseId: ctx.caseOf(comparison.a),
        after: {
          ...auditFields(id, role, input, links, recordSha256),
          verificationId: role === 'examination' ? null : facts.verification!.id,
        },
      },
      at,
    );
    advance(ctx, viewer, facts, role, input.conclusion, at);
    return id;
  });
  const conclusion = ctx.conclusions.get(id)!;
  ctx.changed(conclusion.comparisonId, 'conclusion');
  return { conclusion: conclusionView(conclusion), workspace: workspaceFor(ctx, viewer, conclusion.comparisonId) };
}

/**
 * Why the AFTE value of a record can no longer change, or null while it can. The examiner's value is fixed as soon
 * as a verifier has taken it: the verifier's work in progress is in the examiner's view, and following it (or
 * leaving verification by amending to a value the policy does not verify) would make agreement meaningless.
 */
function valueFixed(facts: ComparisonFacts, role: ConclusionRole): string | null {
  if (role !== 'examination') return 'a verifier’s or arbiter’s conclusion is final once recorded';
  if (facts.comparison.testPairId !== null) return null;
  const v = facts.verification;
  const untaken = !v || v.state === 'unassigned' || v.state === 'canceled';
  if (facts.comparison.state === 'concluded' || (facts.comparison.state === 'awaiting_verification' && untaken))
    return null;
  return v?.state === 'assigned'
    ? `${v.verifier?.username ?? 'a verifier'} is verifying it; a disagreement goes to an arbiter`
    : 'the verification has its second conclusion';
}

export function amendConclusion(
  ctx: ExamContext,
  viewer: Viewer,
  input: ConclusionFields & { amends: number; reason: string },
): { conclusion: ConclusionView; workspace: Workspace } {
  const id = ctx.tx(() => {
    const old = ctx.conclusions.get(input.amends);
    const comparison = old && ctx.comparisons.get(old.comparisonId);
    if (!old || !comparison)
      throw notFound('conclusion', `conclusion ${input.amends} does not exist`, { id: input.amends });
    requireVisible(viewer, comparison);
    const facts = factsOf(ctx, comparison);
    const standing = standingOf(viewer, facts);
    if (withheld(standing, old.role))
      throw notFound('conclusion', `conclusion ${input.amends} does not exist`, { id: input.amends });
    if (old.examiner.userId !== viewer.userId)
      throw new AppError('forbidden', `only ${old.examiner.username}, who recorded it, amends this conclusion`);
    if (!old.current) {
      const current = ctx.conclusions.ofComparison(comparison.id).find((c) => c.current && c.role === old.role);
      throw new AppError('conflict', `conclusion ${old.id} was amended already: amend the one in force`, {
        currentId: current?.id ?? null,
      });
    }
    if (facts.testSetOpen === false) throw new AppError('conflict', 'the test set is closed');
    const valueChanged = input.conclusion !== old.conclusion;
    if (valueChanged) {
      const fixed = valueFixed(facts, old.role);
      if (fixed)
        throw new AppError(
          'conflict',
          `the conclusion can no longer change (${fixed}); only its basis and links can be amended`,
          { field: 'conclusion' },
        );
      checkSuitable(ctx, comparison, input.conclusion);
    }
    const { id, links, at, recordSha256 } = writeRecord(ctx, viewer, standing, input, {
      comparisonId: comparison.id,
      role: old.role,
      verificationId: old.verificationId,
      amends: old.id,
      reason: input.reason,
    });
    ctx.record(
      viewer,
      comparison.id,
      {
        action: 'conclusion.amend',
        entityType: 'conclusion',
        entityId: id,
        caseId: ctx.caseOf(comparison.a),
        before: {
          conclusionId: old.id,
          conclusion: old.conclusion,
          basis: old.basis,
          snapshotIds: old.snapshotIds,
          annotations: old.annotations,
        },
        after: auditFields(id, old.role, input, links, recordSha256),
        reason: input.reason,
      },
      at,
    );
    if (valueChanged && old.role === 'examination' && comparison.testPairId === null)
      reconsiderVerification(ctx, viewer, facts, input.conclusion, at);
    return id;
  });
  const conclusion = ctx.conclusions.get(id)!;
  ctx.changed(conclusion.comparisonId, 'conclusion');
  return { conclusion: conclusionView(conclusion), workspace: workspaceFor(ctx, viewer, conclusion.comparisonId) };
}

/** After the examiner changed their conclusion: a verification the policy now asks for, or no longer does. */
function reconsiderVerification(
  ctx: ExamContext,
  viewer: Viewer,
  facts: ComparisonFacts,
  conclusion: AfteConclusion,
  at: string,
): void {
  const policy = currentPolicy(ctx).policy;
  const required = policy.requireFor.includes(conclusion);
  const c = facts.comparison;
  const v = facts.verification;
  if (c.state === 'concluded' && required) {
    openVerification(ctx, viewer, c, { requestedBy: 'policy', reason: null, blind: policy.blind }, at);
    if (!ctx.comparisons.setState(c.id, c.version, 'awaiting_verification'))
      throw new AppError('conflict', 'the comparison changed meanwhile; reload it and amend again');
  } else if (c.state === 'awaiting_verification' && !required && v?.requestedBy === 'policy') {
    if (!ctx.conclusions.updateVerification(v.id, v.version, { state: 'canceled', closedAt: at }))
      throw new AppError('conflict', 'the verification changed meanwhile; reload it and amend again');
    if (!ctx.comparisons.setState(c.id, c.version, 'concluded'))
      throw new AppError('conflict', 'the comparison changed meanwhile; reload it and amend again');
    ctx.record(
      viewer,
      c.id,
      {
        action: 'verification.canceled',
        entityType: 'verification',
        entityId: v.id,
        caseId: ctx.caseOf(c.a),
        before: { verificationId: v.id, state: v.state },
        after: { verificationId: v.id, state: 'canceled', why: 'the amended conclusion needs no verification' },
      },
      at,
    );
  }
}
