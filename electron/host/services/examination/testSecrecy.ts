// A test's casings stay anonymous to whoever is taking it. Its pairs carry real acquisition ids, and the
// ordinary reads of an acquisition (its file name, item, case, searches, other comparisons of it) would tell a
// participant which casings share a source. While a test set is open, its participants are refused those reads
// (and lists leave its casings out); the test workspace serves them what they need under neutral names.
import { AppError, type RefusalReason } from '../../../contract/errors.ts';
import type { CallDef, EventDef } from '../../../contract/rpc.ts';
import type { CallContext, CallHandler, EventSource } from '../../rpc/handlers.ts';
import type { ComparisonRecord } from '../../storage/repos/examination/comparisonsRepo.ts';
import type { ExamContext } from './context.ts';

/** The refusal (English for the API, a code for the UI's words). */
export function underTest(): AppError {
  return new AppError('forbidden', 'this casing is part of a proficiency test you are taking', {
    reason: 'under_test' satisfies RefusalReason,
  });
}

/** The acquisitions of the open test sets this user takes. */
export function acquisitionsUnderTest(ctx: ExamContext, userId: number): Set<number> {
  const rows = ctx.db
    .prepare(
      `SELECT DISTINCT p.acquisition_a AS a, p.acquisition_b AS b FROM comparisons c
         JOIN test_pairs p ON p.id = c.test_pair_id JOIN test_sets s ON s.id = p.test_set_id
        WHERE c.participant_id = ? AND s.state = 'open'`,
    )
    .all(userId) as { a: number; b: number }[];
  return new Set(rows.flatMap((r) => [r.a, r.b]));
}

/** The open test sets this user takes (their pairs' truth, results and audit entries are not theirs to read). */
export function openTestSetsTakenBy(ctx: ExamContext, userId: number): Set<number> {
  const rows = ctx.db
    .prepare(
      `SELECT DISTINCT p.test_set_id AS id FROM comparisons c
         JOIN test_pairs p ON p.id = c.test_pair_id JOIN test_sets s ON s.id = p.test_set_id
        WHERE c.participant_id = ? AND s.state = 'open'`,
    )
    .pluck()
    .all(userId) as number[];
  return new Set(rows);
}

/**
 * Whether a record of this comparison (its annotations, snapshots, hit) would name a casing of the viewer's open
 * test: a casework comparison of one, or another participant's working of the same test.
 */
export function hiddenFromParticipant(ctx: ExamContext, userId: number, c: ComparisonRecord): boolean {
  return participantSecrets(ctx, userId).hides(c);
}

/** What a user taking open tests may not read, looked up once for many records. */
export function participantSecrets(ctx: ExamContext, userId: number) {
  const acquisitions = acquisitionsUnderTest(ctx, userId);
  const testSets = acquisitions.size === 0 ? new Set<number>() : openTestSetsTakenBy(ctx, userId);
  const hides = (c: ComparisonRecord): boolean =>
    c.testPairId === null
      ? revealsUnderTest(acquisitions, c)
      : c.participantId !== userId && testSets.has(ctx.testSets.pair(c.testPairId)!.testSetId);
  const hidesComparison = (id: number | undefined): boolean => {
    const c = id === undefined ? undefined : ctx.comparisons.get(id);
    return c !== undefined && hides(c);
  };
  const comparisonOfVerification = (id: number) => ctx.conclusions.verification(id)?.comparisonId;
  // Whole cases, not items: refusing (or leaving out) only the items that hold a test's casings would tell which
  // items those are, and an item says what a casing is (its exhibit number, the firearm it was fired from).
  const cases = new Set([...acquisitions].map((id) => ctx.caseOf(id)));
  const caseOfItem = (itemId: number) =>
    ctx.db.prepare('SELECT case_id FROM items WHERE id = ?').pluck().get(itemId) as number | undefined;
  return { acquisitions, testSets, cases, caseOfItem, hides, hidesComparison, comparisonOfVerification };
}

/** A case holding a casing of the viewer's open test: its records (and so its package) would name that casing. */
export function refuseCaseUnderTest(ctx: ExamContext, userId: number, caseId: number): void {
  if (participantSecrets(ctx, userId).cases.has(caseId)) throw underTest();
}

/** The truth and results of a test set are not for whoever is still taking it, whatever their role now. */
export function refuseTestSetTaken(ctx: ExamContext, userId: number, testSetId: number): void {
  if (openTestSetsTakenBy(ctx, userId).has(testSetId))
    throw new AppError('forbidden', 'you are taking this test set: its truth and results are not yours to read', {
      reason: 'test_set_taken' satisfies RefusalReason,
    });
}

export function refuseUnderTest(hidden: Set<number>, ids: (number | undefined)[]): void {
  if (ids.some((id) => id !== undefined && hidden.has(id))) throw underTest();
}

/** A casework comparison of a casing under test would name it; the test's own comparisons are neutral. */
export function revealsUnderTest(hidden: Set<number>, c: ComparisonRecord): boolean {
  return c.testPairId === null && (hidden.has(c.a) || hidden.has(c.b));
}

type Secrets = ReturnType<typeof participantSecrets>;
type Guard = (secrets: Secrets, input: never, output: () => Promise<unknown>) => Promise<unknown>;

const before =
  (ids: (input: never) => (number | undefined)[]): Guard =>
  (secrets, input, output) => {
    refuseUnderTest(secrets.acquisitions, ids(input));
    return output();
  };

/** Work on a comparison by its id (workspace, record, verify, hit): refused on one the participant may not read. */
const onComparison =
  (id: (input: never, secrets: Secrets) => number | undefined): Guard =>
  (secrets, input, output) => {
    if (secrets.hidesComparison(id(input, secrets))) throw underTest();
    return output();
  };
const byComparisonId = onComparison((i: { comparisonId: number }) => i.comparisonId);

type Job = { acquisitionId: number | null };
const jobShown = (secrets: Secrets, job: Job) =>
  job.acquisitionId === null || !secrets.acquisitions.has(job.acquisitionId);

/** The calls of every service that name acquisitions or work on comparisons by id. */
const guards: Record<string, Guard> = {
  'acquisitions.get': before((i: { id: number }) => [i.id]),
  'acquisitions.fileContent': before((i: { acquisitionId: number }) => [i.acquisitionId]),
  // Changing a casing under test answers with its item (and changes it for every other participant).
  'acquisitions.markUnsuitable': before((i: { id: number }) => [i.id]),
  'acquisitions.clearUnsuitable': before((i: { id: number }) => [i.id]),
  'acquisitions.setRegions': before((i: { id: number }) => [i.id]),
  'acquisitions.clearRegions': before((i: { id: number }) => [i.id]),
  'compare.run': before((i: { a: number; b: number }) => [i.a, i.b]),
  'examinations.open': before((i: { a: number; b: number }) => [i.a, i.b]),
  'outbox.submitAcquisition': before((i: { acquisitionId: number }) => [i.acquisitionId]),
  // (its regions come with the acquisition's version and detection notes: the viewer page's read, not the test's)
  'acquisitions.regions': before((i: { id: number }) => [i.id]),
  'examinations.analyze': byComparisonId,
  'annotations.create': byComparisonId,
  'snapshots.create': byComparisonId,
  'conclusions.record': byComparisonId,
  'verification.request': byComparisonId,
  'hits.confirm': byComparisonId,
  'verification.claim': onComparison((i: { verificationId: number }, secrets) =>
    secrets.comparisonOfVerification(i.verificationId),
  ),
  // An item's acquisitions name their files: every item of a case holding a casing under test is refused alike.
  'acquisitions.list': (secrets, input: { itemId: number }, output) => {
    const caseId = secrets.caseOfItem(input.itemId);
    if (caseId !== undefined && secrets.cases.has(caseId)) throw underTest();
    return output();
  },
  // A case's history shows which of its items got casings (imports, files): refused as a whole, like its records.
  'audit.forCase': (secrets, input: { caseId: number }, output) => {
    if (secrets.cases.has(input.caseId)) throw underTest();
    return output();
  },
  'search.sources': async (secrets, _input, output) =>
    ((await output()) as { acquisitionId: number }[]).filter((r) => !secrets.acquisitions.has(r.acquisitionId)),
  'search.run': async (secrets, input: { acquisitionId?: number }, output) => {
    const hidden = secrets.acquisitions;
    refuseUnderTest(hidden, [input.acquisitionId]);
    const result = (await output()) as {
      query: { acquisitionId: number };
      results: { acquisitionId: number }[];
      skipped: { acquisitionId: number }[];
    };
    refuseUnderTest(hidden, [result.query.acquisitionId]);
    return {
      ...result,
      results: result.results.filter((r) => !hidden.has(r.acquisitionId)),
      skipped: result.skipped.filter((r) => !hidden.has(r.acquisitionId)),
    };
  },
  // A submission names its case and item: the jobs (and leads) of a casing under test are left out.
  'outbox.list': async (secrets, _input, output) => {
    const result = (await output()) as { jobs: Job[] };
    return { ...result, jobs: result.jobs.filter((job) => jobShown(secrets, job)) };
  },
  'outbox.leads': async (secrets, _input, output) =>
    ((await output()) as { job: Job; compare: { a: number; b: number } | null }[]).filter(
      (row) =>
        jobShown(secrets, row.job) &&
        !(row.compare && [row.compare.a, row.compare.b].some((id) => secrets.acquisitions.has(id))),
    ),
};
/** Wraps the host's handlers of those calls (a user taking no open test is served as before). */
export function guardTestAcquisitions(ctx: ExamContext, handlers: Record<string, CallHandler<CallDef>>): void {
  for (const [name, guard] of Object.entries(guards)) {
    const handler = handlers[name];
    if (!handler) continue;
    handlers[name] = async (input: unknown, c: CallContext<never>) => {
      const run = async () => handler(input as never, c as never);
      if (!c.session) return run();
      const secrets = participantSecrets(ctx, c.session.user.id);
      return secrets.acquisitions.size === 0 ? run() : guard(secrets, input as never, run);
    };
  }
}

/** Whether an event would tell its subscriber something a read would be refused (looked up when it is sent). */
type EventShown = (secrets: Secrets, payload: never) => boolean;
const itemShown = (secrets: Secrets, itemId: number) => {
  const caseId = secrets.caseOfItem(itemId);
  return caseId === undefined || !secrets.cases.has(caseId);
};
const eventGuards: Record<string, EventShown> = {
  // Another user's change to a casing under test would name its item (and so its exhibit and firearm).
  'acquisitions.changed': (secrets, p: { itemId: number; acquisitionId: number }) =>
    !secrets.acquisitions.has(p.acquisitionId) && itemShown(secrets, p.itemId),
  'capture.progress': (secrets, p: { itemId: number }) => itemShown(secrets, p.itemId),
  'outbox.onJob': (secrets, job: Job) => jobShown(secrets, job),
  'examinations.changed': (secrets, p: { comparisonId: number }) => !secrets.hidesComparison(p.comparisonId),
};
/** Wraps the host's event sources the same way: a participant is not sent what it may not read. */
export function guardTestEvents(ctx: ExamContext, sources: Record<string, EventSource<EventDef>>): void {
  for (const [name, shown] of Object.entries(eventGuards)) {
    const source = sources[name];
    if (!source) continue;
    sources[name] = (filter, emit, c) =>
      source(
        filter,
        (payload) => {
          const secrets = c.session ? participantSecrets(ctx, c.session.user.id) : undefined;
          if (!secrets || secrets.acquisitions.size === 0 || shown(secrets, payload as never)) emit(payload);
        },
        c,
      );
  }
}
