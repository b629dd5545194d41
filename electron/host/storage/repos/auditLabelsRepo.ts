import { auditReferenceKeys } from '../../../contract/audit.ts';
import type { Db } from '../database.ts';
import { calibrationReferenceSql } from './calibrationsRepo.ts';

// The lab's own references for what audit entries point at, so people read "LAB-2026-0042 / Q1" instead of the
// internal ids the entries store: cases by lab case number, items by exhibit, acquisitions by exhibit and region,
// users by user name, calibrations by their reference ('CAL-2026-0003'). An acquisition's region goes apart, as a code the screen words in the reader's language. Looked up per page of entries (a handful of indexed queries), never stored in the chain.
export interface AuditLabels {
  caseNumber(caseId: number | null): string | null;
  entity(entityType: string, entityId: string | null): string | null;
  /** An acquisition's region code ('breech_face'), for the screen to word; null for anything else. */
  region(entityType: string, entityId: string | null): string | null;
  /** The references for the ids the entry's values name ('item:12' → its label), for the screen to show. */
  references(entry: DetailedEntry): Record<string, { label: string; region?: string | null }>;
}

interface DetailedEntry {
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** The [record type, id] pairs an entry's values name by id (auditReferenceKeys). */
function namedIds(entry: DetailedEntry): Array<[string, number]> {
  const found: Array<[string, number]> = [];
  for (const values of [entry.before, entry.after])
    for (const [key, type] of Object.entries(auditReferenceKeys)) {
      const value = values?.[key];
      const id = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? +value : NaN;
      if (Number.isSafeInteger(id)) found.push([type, id]);
    }
  return found;
}

export function auditLabels(
  db: Db,
  entries: Array<{ caseId: number | null; entityType: string; entityId: string | null } & DetailedEntry>,
): AuditLabels {
  const ids = (type: string) => [
    ...new Set([
      ...entries
        .filter((e) => e.entityType === type && e.entityId && /^\d+$/.test(e.entityId))
        .map((e) => Number(e.entityId)),
      ...entries.flatMap((e) => namedIds(e).flatMap(([named, id]) => (named === type ? [id] : []))),
    ]),
  ];
  const lookup = <T>(sql: string, wanted: number[]): T[] =>
    wanted.length === 0
      ? []
      : (db.prepare(sql.replace('(?)', `(${wanted.map(() => '?').join(',')})`)).all(...wanted) as T[]);

  const caseIds = [
    ...new Set([...entries.map((e) => e.caseId).filter((id): id is number => id !== null), ...ids('case')]),
  ];
  const cases = new Map(
    lookup<{ id: number; number: string }>(
      'SELECT id, lab_case_number AS number FROM cases WHERE id IN (?)',
      caseIds,
    ).map((r) => [r.id, r.number]),
  );
  const items = new Map(
    lookup<{ id: number; exhibit: string; number: string }>(
      `SELECT i.id, i.exhibit_number AS exhibit, c.lab_case_number AS number
       FROM items i JOIN cases c ON c.id = i.case_id WHERE i.id IN (?)`,
      ids('item'),
    ).map((r) => [r.id, `${r.number} / ${r.exhibit}`]),
  );
  const acquisitions = new Map(
    lookup<{ id: number; exhibit: string; number: string; region: string }>(
      `SELECT a.id, i.exhibit_number AS exhibit, c.lab_case_number AS number, a.region
       FROM acquisitions a JOIN items i ON i.id = a.item_id JOIN cases c ON c.id = i.case_id WHERE a.id IN (?)`,
      ids('acquisition'),
    ).map((r) => [r.id, r]),
  );
  const users = new Map(
    lookup<{ id: number; username: string }>('SELECT id, username FROM users WHERE id IN (?)', ids('user')).map((r) => [
      r.id,
      r.username,
    ]),
  );
  const calibrations = new Map(
    lookup<{ id: number; reference: string }>(
      `SELECT c.id, ${calibrationReferenceSql('c')} AS reference FROM calibrations c WHERE c.id IN (?)`,
      ids('calibration'),
    ).map((r) => [r.id, r.reference]),
  );
  const byType: Record<string, Map<number, string>> = {
    case: cases,
    item: items,
    acquisition: new Map([...acquisitions].map(([id, r]) => [id, `${r.number} / ${r.exhibit}`])),
    user: users,
    calibration: calibrations,
  };
  return {
    caseNumber: (caseId) => (caseId === null ? null : (cases.get(caseId) ?? null)),
    entity: (type, id) => (id && byType[type]?.get(Number(id))) || null,
    region: (type, id) => (type === 'acquisition' && id && acquisitions.get(Number(id))?.region) || null,
    references: (entry) =>
      Object.fromEntries(
        namedIds(entry).flatMap(([type, id]) => {
          const label = byType[type]?.get(id);
          const region = type === 'acquisition' ? (acquisitions.get(id)?.region ?? null) : undefined;
          return label ? [[`${type}:${id}`, region === undefined ? { label } : { label, region }]] : [];
        }),
      ),
  };
}

/** The case with this lab case number (any letter case), or null. */
export function caseIdByNumber(db: Db, labCaseNumber: string): number | null {
  return (
    (db.prepare('SELECT id FROM cases WHERE lab_case_number = ?').pluck().get(labCaseNumber.trim()) as
      number | undefined) ?? null
  );
}
