import type { Db } from '../database.ts';
import { SqlClauses } from './sqlClauses.ts';
import type { Case, CaseFields, Item, ItemFields } from '../../../contract/cases.ts';
import type { z } from 'zod';
import type { caseListInputSchema } from '../../../contract/cases.ts';

export type CaseListQuery = z.output<typeof caseListInputSchema>;

// Field name (contract) → column name (SQL). The one place the two spellings meet.
const caseColumns = {
  labCaseNumber: 'lab_case_number',
  agency: 'agency',
  agencyCaseNumber: 'agency_case_number',
  offence: 'offence',
  offenceDate: 'offence_date',
  receivedDate: 'received_date',
  status: 'status',
  notes: 'notes',
} as const satisfies Record<keyof CaseFields, string>;

const itemColumns = {
  kind: 'kind',
  exhibitNumber: 'exhibit_number',
  description: 'description',
  calibre: 'calibre',
  origin: 'origin',
  brand: 'brand',
  headstamp: 'headstamp',
  primerMaterial: 'primer_material',
  caseMaterial: 'case_material',
  firingPinShape: 'firing_pin_shape',
  breechFaceClass: 'breech_face_class',
  recoveryPlace: 'recovery_place',
  recoveryDate: 'recovery_date',
  firearmItemId: 'firearm_item_id',
  make: 'make',
  model: 'model',
  serialNumber: 'serial_number',
  firearmType: 'firearm_type',
} as const satisfies Record<keyof ItemFields, string>;

const sortColumns: Record<CaseListQuery['sortBy'], string> = {
  labCaseNumber: 'c.lab_case_number',
  agency: 'c.agency',
  status: 'c.status',
  receivedDate: 'c.received_date',
  updatedAt: 'c.updated_at',
  createdAt: 'c.created_at',
};

type Row = Record<string, unknown>;

function fromRow<T>(row: Row, columns: Record<string, string>, extra: Record<string, string>): T {
  const out: Row = {};
  for (const [field, column] of Object.entries({ ...columns, ...extra })) out[field] = row[column] ?? null;
  return out as T;
}

const caseExtra = {
  id: 'id',
  itemCount: 'item_count',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  createdBy: 'created_by_name',
  version: 'version',
};
const itemExtra = { id: 'id', caseId: 'case_id', createdAt: 'created_at', updatedAt: 'updated_at', version: 'version' };

const caseSelect = `SELECT c.*, (SELECT count(*) FROM items i WHERE i.case_id = c.id) AS item_count, u.username AS created_by_name
  FROM cases c JOIN users u ON u.id = c.created_by`;

export class CasesRepo {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  list(query: CaseListQuery): { rows: Case[]; total: number } {
    // Three characters or more: the trigram index finds the text anywhere in the case numbers, agency or
    // offence. Shorter Latin text: a prefix of the lab case number (an index range on its NOCASE column).
    // Shorter text in other scripts is a whole word in Chinese or Japanese ("枪击" in "枪击案"), so it is found
    // anywhere too, by a scan (trigrams cannot hold two characters).
    const text = query.query ?? '';
    const characters = [...text].length;
    const shortWord = characters > 0 && characters < 3 && /[^\p{Script=Latin}\p{N}\p{P}\p{Zs}]/u.test(text);
    const escaped = text.replace(/[\\%_]/g, (m) => `\\${m}`);
    const q = new SqlClauses()
      .when(
        characters >= 3 ? text : undefined,
        'c.id IN (SELECT rowid FROM cases_search WHERE cases_search MATCH @match)',
        { match: `"${text.replaceAll('"', '""')}"` },
      )
      .when(
        shortWord ? text : undefined,
        `(${['lab_case_number', 'agency_case_number', 'agency', 'offence'].map((c) => `c.${c} LIKE @anywhere ESCAPE '\\'`).join(' OR ')})`,
        { anywhere: `%${escaped}%` },
      )
      .when(
        characters > 0 && characters < 3 && !shortWord ? text : undefined,
        "c.lab_case_number LIKE @prefix ESCAPE '\\'",
        {
          prefix: `${escaped}%`,
        },
      )
      .when(query.status, 'c.status = @status', { status: query.status })
      .when(query.agency, 'c.agency = @agency COLLATE NOCASE', { agency: query.agency })
      .when(query.receivedFrom, 'c.received_date >= @from', { from: query.receivedFrom })
      .when(query.receivedTo, 'c.received_date <= @to', { to: query.receivedTo });
    const whereSql = q.where();
    const params = q.params;
    const total = this.db.prepare(`SELECT count(*) FROM cases c ${whereSql}`).pluck().get(params) as number;
    const order = `${sortColumns[query.sortBy]} ${query.sortDir === 'asc' ? 'ASC' : 'DESC'}, c.id ${query.sortDir === 'asc' ? 'ASC' : 'DESC'}`;
    const rows = this.db
      .prepare(`${caseSelect} ${whereSql} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: query.pageSize, offset: (query.page - 1) * query.pageSize }) as Row[];
    return { rows: rows.map((r) => fromRow<Case>(r, caseColumns, caseExtra)), total };
  }

  get(id: number): Case | undefined {
    const row = this.db.prepare(`${caseSelect} WHERE c.id = ?`).get(id) as Row | undefined;
    return row && fromRow<Case>(row, caseColumns, caseExtra);
  }

  byLabCaseNumber(labCaseNumber: string): Case | undefined {
    const row = this.db.prepare(`${caseSelect} WHERE c.lab_case_number = ?`).get(labCaseNumber) as Row | undefined;
    return row && fromRow<Case>(row, caseColumns, caseExtra);
  }

  insert(fields: CaseFields, userId: number, now: string): number {
    const cols = Object.keys(caseColumns) as (keyof CaseFields)[];
    const sql = `INSERT INTO cases (${cols.map((f) => caseColumns[f]).join(', ')}, created_at, updated_at, created_by)
      VALUES (${cols.map((f) => `@${f}`).join(', ')}, @now, @now, @userId)`;
    const params: Row = { now, userId };
    for (const f of cols) params[f] = fields[f] ?? null;
    return Number(this.db.prepare(sql).run(params).lastInsertRowid);
  }

  /** Updates the given fields if the record is still at `version`; returns false when someone else changed it. */
  update(id: number, version: number, fields: Partial<CaseFields>, now: string): boolean {
    return updateVersioned(this.db, 'cases', caseColumns, id, version, fields, now);
  }

  items(caseId: number): Item[] {
    const rows = this.db
      .prepare('SELECT * FROM items WHERE case_id = ? ORDER BY exhibit_number, id')
      .all(caseId) as Row[];
    return rows.map((r) => fromRow<Item>(r, itemColumns, itemExtra));
  }

  item(id: number): Item | undefined {
    const row = this.db.prepare('SELECT * FROM items WHERE id = ?').get(id) as Row | undefined;
    return row && fromRow<Item>(row, itemColumns, itemExtra);
  }

  insertItem(caseId: number, fields: ItemFields, now: string): number {
    const cols = Object.keys(itemColumns) as (keyof ItemFields)[];
    const sql = `INSERT INTO items (case_id, ${cols.map((f) => itemColumns[f]).join(', ')}, created_at, updated_at)
      VALUES (@caseId, ${cols.map((f) => `@${f}`).join(', ')}, @now, @now)`;
    const params: Row = { caseId, now };
    for (const f of cols) params[f] = fields[f] ?? null;
    return Number(this.db.prepare(sql).run(params).lastInsertRowid);
  }

  updateItem(id: number, version: number, fields: Partial<ItemFields>, now: string): boolean {
    return updateVersioned(this.db, 'items', itemColumns, id, version, fields, now);
  }

  /** Every case and item as its fields (for audit verification: what the audit entries say they should be). */
  everyCaseFields(): { id: number; fields: Record<string, unknown> }[] {
    return (this.db.prepare('SELECT * FROM cases ORDER BY id').all() as Row[]).map((row) => ({
      id: row.id as number,
      fields: fromRow<Record<string, unknown>>(row, caseColumns, {}),
    }));
  }

  everyItemFields(): { id: number; caseId: number; fields: Record<string, unknown> }[] {
    return (this.db.prepare('SELECT * FROM items ORDER BY id').all() as Row[]).map((row) => ({
      id: row.id as number,
      caseId: row.case_id as number,
      fields: fromRow<Record<string, unknown>>(row, itemColumns, {}),
    }));
  }

  touch(caseId: number, now: string): void {
    this.db.prepare('UPDATE cases SET updated_at = ? WHERE id = ?').run(now, caseId);
  }
}

function updateVersioned(
  db: Db,
  table: string,
  columns: Record<string, string>,
  id: number,
  version: number,
  fields: Row,
  now: string,
): boolean {
  const changed = Object.keys(fields).filter((f) => f in columns && fields[f] !== undefined);
  const sets = changed.map((f) => `${columns[f]} = @${f}`);
  const sql = `UPDATE ${table} SET ${[...sets, 'updated_at = @now', 'version = version + 1'].join(', ')} WHERE id = @id AND version = @version`;
  const params: Row = { id, version, now };
  for (const f of changed) params[f] = fields[f] ?? null;
  return db.prepare(sql).run(params).changes === 1;
}
