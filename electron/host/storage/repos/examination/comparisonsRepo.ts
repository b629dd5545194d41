// SQL of comparisons, their analyses and who has been shown their first examination (see migration 80).
import type { Db } from '../../database.ts';
import type { ComparisonState } from '../../../../contract/examination.ts';
import { SqlClauses } from '../sqlClauses.ts';

export interface ComparisonRecord {
  id: number;
  a: number;
  b: number;
  origin: string;
  state: ComparisonState;
  openedBy: number;
  openedByName: string;
  openedAt: string;
  testPairId: number | null;
  participantId: number | null;
  startedAt: string | null;
  concludedAt: string | null;
  version: number;
}

export interface AnalysisRecord {
  id: number;
  comparisonId: number;
  ranBy: string;
  ranAt: string;
  algorithmName: string;
  algorithmVersion: string;
  topographyA: string;
  topographyB: string;
  result: Record<string, unknown>;
}

type Row = Record<string, unknown>;

const select = `SELECT c.*, u.username AS opened_by_name FROM comparisons c JOIN users u ON u.id = c.opened_by`;

function toComparison(row: Row): ComparisonRecord {
  return {
    id: row.id as number,
    a: row.acquisition_a as number,
    b: row.acquisition_b as number,
    origin: row.origin as string,
    state: row.state as ComparisonState,
    openedBy: row.opened_by as number,
    openedByName: row.opened_by_name as string,
    openedAt: row.opened_at as string,
    testPairId: row.test_pair_id as number | null,
    participantId: row.participant_id as number | null,
    startedAt: row.started_at as string | null,
    concludedAt: row.concluded_at as string | null,
    version: row.version as number,
  };
}

function toAnalysis(row: Row): AnalysisRecord {
  return {
    id: row.id as number,
    comparisonId: row.comparison_id as number,
    ranBy: row.ran_by_name as string,
    ranAt: row.ran_at as string,
    algorithmName: row.algorithm_name as string,
    algorithmVersion: row.algorithm_version as string,
    topographyA: row.topography_a as string,
    topographyB: row.topography_b as string,
    result: JSON.parse(row.result as string) as Record<string, unknown>,
  };
}

export class ComparisonsRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  insert(c: {
    a: number;
    b: number;
    origin: string;
    openedBy: number;
    openedAt: string;
    testPairId?: number;
    participantId?: number;
  }): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO comparisons (acquisition_a, acquisition_b, origin, opened_by, opened_at, test_pair_id, participant_id)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(c.a, c.b, c.origin, c.openedBy, c.openedAt, c.testPairId ?? null, c.participantId ?? null).lastInsertRowid,
    );
  }

  get(id: number): ComparisonRecord | undefined {
    const row = this.db.prepare(`${select} WHERE c.id = ?`).get(id) as Row | undefined;
    return row && toComparison(row);
  }

  /** The casework comparison of two acquisitions, whichever was A. */
  casework(x: number, y: number): ComparisonRecord | undefined {
    const row = this.db
      .prepare(
        `${select} WHERE c.test_pair_id IS NULL AND min(c.acquisition_a, c.acquisition_b) = min(@x, @y)
           AND max(c.acquisition_a, c.acquisition_b) = max(@x, @y)`,
      )
      .get({ x, y }) as Row | undefined;
    return row && toComparison(row);
  }

  /** Casework comparisons touching a case or an acquisition, newest first. */
  list(filter: { caseId?: number; acquisitionId?: number; states?: string[]; limit: number }): ComparisonRecord[] {
    const q = new SqlClauses()
      .when(
        filter.caseId,
        `EXISTS (SELECT 1 FROM acquisitions x JOIN items i ON i.id = x.item_id
           WHERE x.id IN (c.acquisition_a, c.acquisition_b) AND i.case_id = @caseId)`,
        { caseId: filter.caseId },
      )
      .when(filter.acquisitionId, '@acquisitionId IN (c.acquisition_a, c.acquisition_b)', {
        acquisitionId: filter.acquisitionId,
      })
      .when(filter.states?.length ? 1 : undefined, `c.state IN (SELECT value FROM json_each(@states))`, {
        states: JSON.stringify(filter.states ?? []),
      });
    q.clauses.push('c.test_pair_id IS NULL');
    return (
      this.db.prepare(`${select} ${q.where()} ORDER BY c.id DESC LIMIT @limit`).all({
        ...q.params,
        limit: filter.limit,
      }) as Row[]
    ).map(toComparison);
  }

  /** Comparisons of the test pairs of one set (every participant). */
  ofTestSet(testSetId: number): ComparisonRecord[] {
    return (
      this.db
        .prepare(
          `${select} JOIN test_pairs p ON p.id = c.test_pair_id WHERE p.test_set_id = ? ORDER BY p.position, c.id`,
        )
        .all(testSetId) as Row[]
    ).map(toComparison);
  }

  /** Comparisons in one of these states, for the worklist. */
  inStates(states: ComparisonState[]): ComparisonRecord[] {
    return (
      this.db
        .prepare(`${select} WHERE c.state IN (SELECT value FROM json_each(?)) ORDER BY c.id`)
        .all(JSON.stringify(states)) as Row[]
    ).map(toComparison);
  }

  /** Open comparisons a user has worked on (opened, annotated or snapshotted) without a conclusion. */
  openWorkedOnBy(userId: number): ComparisonRecord[] {
    return (
      this.db
        .prepare(
          `${select} WHERE c.state = 'open' AND c.test_pair_id IS NULL AND (c.opened_by = @userId
             OR EXISTS (SELECT 1 FROM annotations n WHERE n.comparison_id = c.id AND n.author_id = @userId)
             OR EXISTS (SELECT 1 FROM snapshots s WHERE s.comparison_id = c.id AND s.author_id = @userId))
           ORDER BY c.id`,
        )
        .all({ userId }) as Row[]
    ).map(toComparison);
  }

  testComparisonsOf(participantId: number): ComparisonRecord[] {
    return (
      this.db
        .prepare(
          `${select} JOIN test_pairs p ON p.id = c.test_pair_id JOIN test_sets t ON t.id = p.test_set_id
           WHERE c.participant_id = ? AND t.state = 'open' AND c.state = 'open' ORDER BY t.id, p.position`,
        )
        .all(participantId) as Row[]
    ).map(toComparison);
  }

  /** Moves the state if the row is still at `version`; false when someone changed it meanwhile. */
  setState(id: number, version: number, state: ComparisonState, concludedAt?: string): boolean {
    return (
      this.db
        .prepare(
          `UPDATE comparisons SET state = ?, concluded_at = coalesce(concluded_at, ?), version = version + 1
           WHERE id = ? AND version = ?`,
        )
        .run(state, concludedAt ?? null, id, version).changes === 1
    );
  }

  /** Starts a test pair's clock (first opening by its participant); false if it had started. */
  start(id: number, at: string): boolean {
    return (
      this.db
        .prepare('UPDATE comparisons SET started_at = ?, version = version + 1 WHERE id = ? AND started_at IS NULL')
        .run(at, id).changes === 1
    );
  }

  /** Remembers that a user was shown the first examination (conclusion, annotations or snapshots). */
  recordViewer(comparisonId: number, userId: number, at: string): void {
    this.db
      .prepare('INSERT OR IGNORE INTO comparison_viewers (comparison_id, user_id, first_seen_at) VALUES (?, ?, ?)')
      .run(comparisonId, userId, at);
  }

  hasSeen(comparisonId: number, userId: number): boolean {
    return (
      this.db
        .prepare('SELECT 1 FROM comparison_viewers WHERE comparison_id = ? AND user_id = ?')
        .get(comparisonId, userId) !== undefined
    );
  }

  insertAnalysis(a: Omit<AnalysisRecord, 'id' | 'ranBy'> & { ranById: number }): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO comparison_analyses (comparison_id, ran_by, ran_at, algorithm_name, algorithm_version, topography_a,
             topography_b, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          a.comparisonId,
          a.ranById,
          a.ranAt,
          a.algorithmName,
          a.algorithmVersion,
          a.topographyA,
          a.topographyB,
          JSON.stringify(a.result),
        ).lastInsertRowid,
    );
  }

  analyses(comparisonId: number): AnalysisRecord[] {
    return (
      this.db
        .prepare(
          `SELECT x.*, u.username AS ran_by_name FROM comparison_analyses x JOIN users u ON u.id = x.ran_by
           WHERE x.comparison_id = ? ORDER BY x.id`,
        )
        .all(comparisonId) as Row[]
    ).map(toAnalysis);
  }
}
