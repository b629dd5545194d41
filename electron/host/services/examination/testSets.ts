// Testing mode (proficiency and validation, ISO/IEC 17025 7.2.2): a manager puts pairs with known ground truth
// before examiners, who work them in the same workspace under neutral names; the truth stays in the host until
// the manager reads the results (conclusions against truth, time from first opening to conclusion).
import { AppError, notFound } from '../../../contract/errors.ts';
import { roleAllows } from '../../../contract/auth.ts';
import { testOutcomes, type AfteConclusion, type TestResults } from '../../../contract/examination.ts';
import type { z } from 'zod';
import type { testSetDetailSchema, testSetSummarySchema } from '../../../contract/examination.ts';
import type { TestSetRecord } from '../../storage/repos/examination/testSetsRepo.ts';
import type { ExamContext, Viewer } from './context.ts';
import { refuseTestSetTaken } from './testSecrecy.ts';

type Summary = z.input<typeof testSetSummarySchema>;
type Detail = z.input<typeof testSetDetailSchema>;
type Outcome = (typeof testOutcomes)[number];

function summaryOf(ctx: ExamContext, set: TestSetRecord): Summary {
  const comparisons = ctx.comparisons.ofTestSet(set.id);
  const participants = new Map<number, Summary['participants'][number]>();
  for (const c of comparisons) {
    const u = ctx.users.byId(c.participantId!)!;
    participants.set(u.id, { userId: u.id, username: u.username, displayName: u.displayName });
  }
  return {
    id: set.id,
    name: set.name,
    instructions: set.instructions,
    state: set.state,
    pairs: ctx.testSets.pairs(set.id).length,
    participants: [...participants.values()],
    concluded: comparisons.filter((c) => c.state !== 'open').length,
    createdBy: set.createdBy,
    createdAt: set.createdAt,
    closedAt: set.closedAt,
    version: set.version,
  };
}

function detailOf(ctx: ExamContext, set: TestSetRecord): Detail {
  return {
    ...summaryOf(ctx, set),
    pairList: ctx.testSets.pairs(set.id).map((p) => ({ position: p.position, a: p.a, b: p.b, truth: p.truth })),
  };
}

function requireSet(ctx: ExamContext, id: number): TestSetRecord {
  const set = ctx.testSets.get(id);
  if (!set) throw notFound('test_set', `test set ${id} does not exist`, { id });
  return set;
}

export function createTestSet(
  ctx: ExamContext,
  viewer: Viewer,
  input: {
    name: string;
    instructions: string;
    pairs: { a: number; b: number; truth: 'same_source' | 'different_source' }[];
    participants: number[];
  },
): Detail {
  const id = ctx.tx(() => {
    for (const p of input.pairs) for (const acquisitionId of [p.a, p.b]) ctx.caseOf(acquisitionId);
    const participants = input.participants.map((userId) => {
      const user = ctx.users.byId(userId);
      if (!user || user.disabled)
        throw new AppError('invalid_input', `user ${userId} cannot take a test`, { field: 'participants' });
      if (userId === viewer.userId)
        throw new AppError('invalid_input', 'whoever builds a test knows its truth, so cannot take it', {
          field: 'participants',
        });
      if (!roleAllows(user.role, 'conclusion.write'))
        throw new AppError('invalid_input', `${user.username} (${user.role}) does not record conclusions`, {
          field: 'participants',
        });
      if (roleAllows(user.role, 'examination.manage'))
        throw new AppError('invalid_input', `${user.username} is a ${user.role} and can read the ground truth`, {
          field: 'participants',
        });
      return user;
    });
    const at = ctx.now();
    const id = ctx.testSets.insert({
      name: input.name,
      instructions: input.instructions,
      createdBy: viewer.userId,
      at,
    });
    input.pairs.forEach((p, i) => {
      const pairId = ctx.testSets.insertPair({ testSetId: id, position: i + 1, a: p.a, b: p.b, truth: p.truth });
      for (const user of participants)
        ctx.comparisons.insert({
          a: p.a,
          b: p.b,
          origin: 'test',
          openedBy: viewer.userId,
          openedAt: at,
          testPairId: pairId,
          participantId: user.id,
        });
    });
    ctx.record(
      viewer,
      null,
      {
        action: 'test_set.create',
        entityType: 'test_set',
        entityId: id,
        after: {
          name: input.name,
          instructions: input.instructions,
          pairs: input.pairs.map((p, i) => ({ position: i + 1, ...p })),
          participants: participants.map((u) => u.username),
        },
      },
      at,
    );
    return id;
  });
  return detailOf(ctx, requireSet(ctx, id));
}

/** Everyone who records conclusions, and whether they can take a test (managers can read its truth). */
export function examiners(ctx: ExamContext) {
  return ctx.users
    .list()
    .filter((u) => roleAllows(u.role, 'conclusion.write'))
    .map((u) => ({
      userId: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      disabled: u.disabled,
      canTakeTests: !u.disabled && !roleAllows(u.role, 'examination.manage'),
    }));
}

export function listTestSets(ctx: ExamContext): Summary[] {
  return ctx.testSets.list().map((s) => summaryOf(ctx, s));
}

export function getTestSet(ctx: ExamContext, viewer: Viewer, id: number): Detail {
  const set = requireSet(ctx, id);
  refuseTestSetTaken(ctx, viewer.userId, id);
  return detailOf(ctx, set);
}

export function closeTestSet(
  ctx: ExamContext,
  viewer: Viewer,
  input: { id: number; version: number; reason: string },
): Summary {
  ctx.tx(() => {
    const set = requireSet(ctx, input.id);
    if (set.state === 'closed') throw new AppError('conflict', 'the test set is closed already');
    const at = ctx.now();
    if (!ctx.testSets.close(input.id, input.version, at))
      throw new AppError('conflict', 'the test set changed meanwhile; reload it');
    ctx.record(
      viewer,
      null,
      {
        action: 'test_set.close',
        entityType: 'test_set',
        entityId: input.id,
        before: { state: 'open' },
        after: { state: 'closed' },
        reason: input.reason,
      },
      at,
    );
  });
  return summaryOf(ctx, requireSet(ctx, input.id));
}

function outcomeOf(truth: 'same_source' | 'different_source', conclusion: AfteConclusion | null): Outcome {
  if (conclusion === null) return 'pending';
  if (conclusion === 'identification') return truth === 'same_source' ? 'correct' : 'false_positive';
  if (conclusion === 'elimination') return truth === 'different_source' ? 'correct' : 'false_negative';
  return conclusion === 'unsuitable' ? 'unsuitable' : 'inconclusive';
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function testResults(ctx: ExamContext, viewer: Viewer, id: number): TestResults {
  const set = requireSet(ctx, id);
  refuseTestSetTaken(ctx, viewer.userId, id);
  const pairs = new Map(ctx.testSets.pairs(id).map((p) => [p.id, p]));
  const rows = ctx.comparisons.ofTestSet(id).map((c) => {
    const pair = pairs.get(c.testPairId!)!;
    const records = ctx.conclusions.ofComparison(c.id).filter((k) => k.role === 'examination');
    const inForce = records.find((k) => k.current) ?? null;
    const first = records.find((k) => k.amends === null);
    const user = ctx.users.byId(c.participantId!)!;
    return {
      participant: { userId: user.id, username: user.username, displayName: user.displayName },
      position: pair.position,
      comparisonId: c.id,
      truth: pair.truth,
      conclusion: inForce?.conclusion ?? null,
      outcome: outcomeOf(pair.truth, inForce?.conclusion ?? null),
      // From the first opening to the first conclusion (an amendment later does not add to it).
      seconds:
        first && c.startedAt ? Math.max(0, (Date.parse(first.recordedAt) - Date.parse(c.startedAt)) / 1000) : null,
      annotations: ctx.annotations.ofComparison(c.id).filter((a) => !a.withdrawn).length,
    };
  });
  const summarize = (username: string, of: typeof rows): TestResults['summary'][number] => {
    const counts = Object.fromEntries(testOutcomes.map((o) => [o, of.filter((r) => r.outcome === o).length])) as Record<
      Outcome,
      number
    >;
    const concluded = (truth: string) => of.filter((r) => r.truth === truth && r.outcome !== 'pending').length;
    const rate = (n: number, d: number) => (d === 0 ? null : n / d);
    return {
      username,
      counts,
      falsePositiveRate: rate(counts.false_positive, concluded('different_source')),
      falseNegativeRate: rate(counts.false_negative, concluded('same_source')),
      medianSeconds: median(of.map((r) => r.seconds).filter((s): s is number => s !== null)),
    };
  };
  const people = [...new Set(rows.map((r) => r.participant.username))];
  return {
    testSet: summaryOf(ctx, set),
    rows,
    summary: [
      ...people.map((p) =>
        summarize(
          p,
          rows.filter((r) => r.participant.username === p),
        ),
      ),
      summarize('*', rows),
    ],
  };
}
