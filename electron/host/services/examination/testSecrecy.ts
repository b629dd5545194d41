// A test's casings stay anonymous to whoever is taking it. Its pairs carry real acquisition ids, and the
// ordinary reads of an acquisition (its file name, item, case, searches, other comparisons of it) would tell a
// participant which casings share a source. While a test set is open, its participants are refused those reads
// (and lists leave its casings out); the test workspace serves them what they need under neutral names.
import { AppError } from '../../../contract/errors.ts';
import type { CallDef } from '../../../contract/rpc.ts';
import type { CallContext, CallHandler } from '../../rpc/handlers.ts';
import type { ComparisonRecord } from '../../storage/repos/examination/comparisonsRepo.ts';
import type { ExamContext } from './context.ts';

export const underTestReason = 'this casing is part of a proficiency test you are taking';

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

export function refuseUnderTest(hidden: Set<number>, ids: (number | undefined)[]): void {
  if (ids.some((id) => id !== undefined && hidden.has(id))) throw new AppError('forbidden', underTestReason);
}

/** A casework comparison of a casing under test would name it; the test's own comparisons are neutral. */
export function revealsUnderTest(hidden: Set<number>, c: ComparisonRecord): boolean {
  return c.testPairId === null && (hidden.has(c.a) || hidden.has(c.b));
}

type Guard = (hidden: Set<number>, input: never, output: () => Promise<unknown>) => Promise<unknown>;
type Rows<K extends string> = Record<K, { acquisitionId?: number; id?: number }[]>;

const before =
  (ids: (input: never) => (number | undefined)[]): Guard =>
  (hidden, input, output) => {
    refuseUnderTest(hidden, ids(input));
    return output();
  };

/** The reads of other services that name acquisitions, by call. */
const guards: Record<string, Guard> = {
  'acquisitions.get': before((i: { id: number }) => [i.id]),
  'acquisitions.fileContent': before((i: { acquisitionId: number }) => [i.acquisitionId]),
  'compare.run': before((i: { a: number; b: number }) => [i.a, i.b]),
  'examinations.open': before((i: { a: number; b: number }) => [i.a, i.b]),
  // An item's acquisitions name their files: the item holding a casing under test is refused.
  'acquisitions.list': async (hidden, _input, output) => {
    const result = (await output()) as Rows<'rows'>;
    refuseUnderTest(
      hidden,
      result.rows.map((r) => r.id),
    );
    return result;
  },
  'search.sources': async (hidden, _input, output) =>
    ((await output()) as { acquisitionId: number }[]).filter((r) => !hidden.has(r.acquisitionId)),
  'search.run': async (hidden, input: { acquisitionId?: number }, output) => {
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
};

/** Wraps the host's handlers of those reads (a user taking no open test is served as before). */
export function guardTestAcquisitions(ctx: ExamContext, handlers: Record<string, CallHandler<CallDef>>): void {
  for (const [name, guard] of Object.entries(guards)) {
    const handler = handlers[name];
    if (!handler) continue;
    handlers[name] = async (input: unknown, c: CallContext<never>) => {
      const run = async () => handler(input as never, c as never);
      if (!c.session) return run();
      const hidden = acquisitionsUnderTest(ctx, c.session.user.id);
      return hidden.size === 0 ? run() : guard(hidden, input as never, run);
    };
  }
}
