// SQL of test sets and their pairs (the ground truth: only managers are served it, by the host's rule).
import type { Db } from '../../database.ts';

export interface TestSetRecord {
  id: number;
  name: string;
  instructions: string;
  state: 'open' | 'closed';
  createdBy: string;
  createdById: number;
  createdAt: string;
  closedAt: string | null;
  version: number;
}

export interface TestPairRecord {
  id: number;
  testSetId: number;
  position: number;
  a: number;
  b: number;
  truth: 'same_source' | 'different_source';
}

type Row = Record<string, unknown>;
const select = `SELECT t.*, u.username AS created_by_name FROM test_sets t JOIN users u ON u.id = t.created_by`;

function toSet(row: Row): TestSetRecord {
  return {
    id: row.id as number,
    name: row.name as string,
    instructions: row.instructions as string,
    state: row.state as 'open' | 'closed',
    createdBy: row.created_by_name as string,
    createdById: row.created_by as number,
    createdAt: row.created_at as string,
    closedAt: row.closed_at as string | null,
    version: row.version as number,
  };
}

function toPair(row: Row): TestPairRecord {
  return {
    id: row.id as number,
    testSetId: row.test_set_id as number,
    position: row.position as number,
    a: row.acquisition_a as number,
    b: row.acquisition_b as number,
    truth: row.truth as TestPairRecord['truth'],
  };
}

export class TestSetsRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  insert(t: { name: string; instructions: string; createdBy: number; at: string }): number {
    return Number(
      this.db
        .prepare('INSERT INTO test_sets (name, instructions, created_by, created_at) VALUES (?, ?, ?, ?)')
        .run(t.name, t.instructions, t.createdBy, t.at).lastInsertRowid,
    );
  }

  insertPair(p: Omit<TestPairRecord, 'id'>): number {
    return Number(
      this.db
        .prepare(
          'INSERT INTO test_pairs (test_set_id, position, acquisition_a, acquisition_b, truth) VALUES (?, ?, ?, ?, ?)',
        )
        .run(p.testSetId, p.position, p.a, p.b, p.truth).lastInsertRowid,
    );
  }

  get(id: number): TestSetRecord | undefined {
    const row = this.db.prepare(`${select} WHERE t.id = ?`).get(id) as Row | undefined;
    return row && toSet(row);
  }

  list(): TestSetRecord[] {
    return (this.db.prepare(`${select} ORDER BY t.id DESC`).all() as Row[]).map(toSet);
  }

  pairs(testSetId: number): TestPairRecord[] {
    return (
      this.db.prepare('SELECT * FROM test_pairs WHERE test_set_id = ? ORDER BY position').all(testSetId) as Row[]
    ).map(toPair);
  }

  pair(id: number): TestPairRecord | undefined {
    const row = this.db.prepare('SELECT * FROM test_pairs WHERE id = ?').get(id) as Row | undefined;
    return row && toPair(row);
  }

  close(id: number, version: number, at: string): boolean {
    return (
      this.db
        .prepare(
          "UPDATE test_sets SET state = 'closed', closed_at = ?, version = version + 1 WHERE id = ? AND version = ? AND state = 'open'",
        )
        .run(at, id, version).changes === 1
    );
  }
}
