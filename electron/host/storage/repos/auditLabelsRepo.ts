import {
  auditReferenceKeys,
  auditReferenceListKeys,
  type AuditReference,
  type AuditReferenceType,
} from '../../../contract/audit.ts';
import type { Db } from '../database.ts';

// The lab's own references for what audit entries point at, so people read "LAB-2026-0042 / Q1" instead of the
// internal ids the entries store: cases by lab case number, items by exhibit, acquisitions by exhibit and region,
// users by user name, calibrations by their reference ('CAL-2026-0003'), examination records (comparisons,
// conclusions, analyses, snapshots, verifications, hits) by their comparison's two sides, an annotation by the
// acquisition it is drawn on. An acquisition's region goes apart, as a code the screen words in the reader's
// language. Looked up per page of entries (a handful of indexed queries), never stored in the chain.
export interface AuditLabels {
  caseNumber(caseId: number | null): string | null;
  entity(entityType: string, entityId: string | null): string | null;
  /** An acquisition's region code ('breech_face'), for the screen to word; null for anything else. */
  region(entityType: string, entityId: string | null): string | null;
  /**
   * The references for the ids the entry's values name ('item:12' → its label), and for the record the entry
   * concerns itself when it is an examination record or a calibration, for the screen to show.
   */
  references(entry: DetailedEntry): Record<string, AuditReference>;
}

interface DetailedEntry {
  entityType?: string;
  entityId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

const asId = (value: unknown) =>
  typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;

/** Examination records named by their comparison: the table and the column holding it. */
const ofComparison: Partial<Record<AuditReferenceType, string>> = {
  conclusion: 'conclusions',
  comparison_analysis: 'comparison_analyses',
  snapshot: 'snapshots',
  verification: 'verifications',
  hit: 'hits',
};

/**
 * The [record type, id] pairs an entry's values name by id (auditReferenceKeys, and each id of the lists in
 * auditReferenceListKeys), at any depth (a conclusion's annotations: [{ annotationId, revision }]); bounded.
 */
function namedIds(entry: DetailedEntry): Array<[AuditReferenceType, number]> {
  const found: Array<[AuditReferenceType, number]> = [];
  const keys: Record<string, AuditReferenceType> = { ...auditReferenceKeys, ...auditReferenceListKeys };
  const walk = (value: unknown, key: string | null, depth: number) => {
    if (found.length >= 500 || depth > 4) return;
    if (Array.isArray(value)) for (const v of value.slice(0, 100)) walk(v, key, depth + 1);
    else if (typeof value === 'object' && value !== null)
      for (const [k, v] of Object.entries(value).slice(0, 100)) walk(v, k, depth + 1);
    else if (key !== null && Object.hasOwn(keys, key)) {
      const id = asId(value);
      if (Number.isSafeInteger(id)) found.push([keys[key]!, id]);
    }
  };
  walk(entry.before, null, 0);
  walk(entry.after, null, 0);
  return found;
}

/** The entry's own record, when it is of a kind named by reference beyond the entity label (examination, calibration). */
function ownRecord(entry: DetailedEntry): [AuditReferenceType, number] | null {
  const type = entry.entityType as AuditReferenceType | undefined;
  const id = asId(entry.entityId);
  return type &&
    (type in ofComparison || type === 'comparison' || type === 'annotation' || type === 'calibration') &&
    Number.isSafeInteger(id)
    ? [type, id]
    : null;
}

export function auditLabels(
  db: Db,
  entries: Array<{ caseId: number | null; entityType: string; entityId: string | null } & DetailedEntry>,
): AuditLabels {
  const named = entries.flatMap((e) => {
    const own = ownRecord(e);
    return [...namedIds(e), ...(own ? [own] : [])];
  });
  const ids = (type: string) => [
    ...new Set([
      ...entries
        .filter((e) => e.entityType === type && e.entityId && /^\d+$/.test(e.entityId))
        .map((e) => Number(e.entityId)),
      ...named.flatMap(([namedType, id]) => (namedType === type ? [id] : [])),
    ]),
  ];
  const lookup = <T>(sql: string, wanted: number[]): T[] =>
    wanted.length === 0
      ? []
      : (db.prepare(sql.replace('(?)', `(${wanted.map(() => '?').join(',')})`)).all(...wanted) as T[]);

  // Examination records → their comparison; an annotation → the acquisition it is on.
  const comparisonOf = new Map<string, number>();
  for (const [type, table] of Object.entries(ofComparison))
    for (const row of lookup<{ id: number; comparisonId: number }>(
      `SELECT id, comparison_id AS comparisonId FROM ${table} WHERE id IN (?)`,
      ids(type),
    ))
      comparisonOf.set(`${type}:${row.id}`, row.comparisonId);
  const annotationOn = new Map(
    lookup<{ id: number; acquisitionId: number }>(
      'SELECT id, acquisition_id AS acquisitionId FROM annotations WHERE id IN (?)',
      ids('annotation'),
    ).map((r) => [r.id, r.acquisitionId]),
  );
  const comparisonIds = [...new Set([...ids('comparison'), ...comparisonOf.values()])];
  const comparisons = new Map(
    lookup<{ id: number; a: number; b: number }>(
      'SELECT id, acquisition_a AS a, acquisition_b AS b FROM comparisons WHERE id IN (?)',
      comparisonIds,
    ).map((r) => [r.id, r]),
  );

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
  const acquisitionIds = [
    ...new Set([
      ...ids('acquisition'),
      ...annotationOn.values(),
      ...[...comparisons.values()].flatMap((c) => [c.a, c.b]),
    ]),
  ];
  const acquisitions = new Map(
    lookup<{ id: number; exhibit: string; number: string; region: string }>(
      `SELECT a.id, i.exhibit_number AS exhibit, c.lab_case_number AS number, a.region
       FROM acquisitions a JOIN items i ON i.id = a.item_id JOIN cases c ON c.id = i.case_id WHERE a.id IN (?)`,
      acquisitionIds,
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
      'SELECT id, reference FROM calibrations WHERE id IN (?)',
      ids('calibration'),
    ).map((r) => [r.id, r.reference]),
  );

  // Network records by the station's submission: its case and exhibit as sent, its acquisition's region.
  type Submission = { id: number; caseRef: string; itemRef: string; region: string | null };
  const submissionColumns = `j.id, j.case_ref AS caseRef, j.item_ref AS itemRef, a.region
    FROM outbox_jobs j LEFT JOIN acquisitions a ON a.id = j.acquisition_id`;
  const reports = new Map(
    lookup<{ id: number; jobId: number; leadId: number }>(
      'SELECT id, job_id AS jobId, lead_id AS leadId FROM outbox_hit_reports WHERE id IN (?)',
      ids('hit_report'),
    ).map((r) => [r.id, r]),
  );
  // A lead id is the hub's; the station's hits (and reports) say which submission it is a lead of.
  const leadJobs = new Map<number, Set<number>>();
  for (const sql of [
    'SELECT network_lead_id AS leadId, network_job_id AS jobId FROM hits WHERE network_lead_id IN (?)',
    'SELECT lead_id AS leadId, job_id AS jobId FROM outbox_hit_reports WHERE lead_id IN (?)',
  ])
    for (const row of lookup<{ leadId: number; jobId: number }>(sql, ids('lead')))
      leadJobs.set(row.leadId, new Set([...(leadJobs.get(row.leadId) ?? []), row.jobId]));
  const submissions = new Map(
    lookup<Submission>(`SELECT ${submissionColumns} WHERE j.id IN (?)`, [
      ...new Set([
        ...ids('network_job'),
        ...[...reports.values()].map((r) => r.jobId),
        ...[...leadJobs.values()].flatMap((jobs) => (jobs.size === 1 ? [...jobs] : [])),
      ]),
    ]).map((r) => [r.id, r]),
  );
  const networkReference = (
    network: NonNullable<AuditReference['network']>,
    jobId: number | undefined,
    leadNumber?: number,
  ): AuditReference | null => {
    const job = jobId === undefined ? undefined : submissions.get(jobId);
    if (!job) return null;
    return {
      label: `${job.caseRef} / ${job.itemRef}`,
      region: job.region as AuditReference['region'],
      network,
      ...(leadNumber === undefined ? {} : { leadNumber }),
    };
  };

  const acquisitionReference = (id: number): AuditReference | null => {
    const row = acquisitions.get(id);
    return row ? { label: `${row.number} / ${row.exhibit}`, region: row.region as AuditReference['region'] } : null;
  };
  const comparisonReference = (id: number | undefined): AuditReference | null => {
    const comparison = id === undefined ? undefined : comparisons.get(id);
    const a = comparison && acquisitionReference(comparison.a);
    const b = comparison && acquisitionReference(comparison.b);
    return a && b ? { label: `${a.label} ↔ ${b.label}`, sides: [a, b] } : null;
  };
  const plain = (labels: Map<number, string>) => (id: number) => {
    const label = labels.get(id);
    return label === undefined ? null : { label };
  };
  const byType: Record<AuditReferenceType, (id: number) => AuditReference | null> = {
    case: plain(cases),
    item: plain(items),
    acquisition: acquisitionReference,
    user: plain(users),
    calibration: plain(calibrations),
    comparison: comparisonReference,
    annotation: (id) => {
      const on = annotationOn.get(id);
      return on === undefined ? null : acquisitionReference(on);
    },
    conclusion: (id) => comparisonReference(comparisonOf.get(`conclusion:${id}`)),
    comparison_analysis: (id) => comparisonReference(comparisonOf.get(`comparison_analysis:${id}`)),
    snapshot: (id) => comparisonReference(comparisonOf.get(`snapshot:${id}`)),
    verification: (id) => comparisonReference(comparisonOf.get(`verification:${id}`)),
    hit: (id) => comparisonReference(comparisonOf.get(`hit:${id}`)),
    network_job: (id) => networkReference('network_job', id),
    lead: (id) => {
      const jobs = leadJobs.get(id);
      return jobs?.size === 1 ? networkReference('lead', [...jobs][0], id) : null;
    },
    hit_report: (id) => {
      const report = reports.get(id);
      return report ? networkReference('hit_report', report.jobId, report.leadId) : null;
    },
  };
  const referenceOf = (type: string, id: number): AuditReference | null =>
    Object.hasOwn(byType, type) ? byType[type as AuditReferenceType](id) : null;
  return {
    caseNumber: (caseId) => (caseId === null ? null : (cases.get(caseId) ?? null)),
    entity: (type, id) => (id && /^\d+$/.test(id) && referenceOf(type, Number(id))?.label) || null,
    region: (type, id) => (type === 'acquisition' && id && acquisitions.get(Number(id))?.region) || null,
    references: (entry) => {
      const own = ownRecord(entry);
      return Object.fromEntries(
        [...namedIds(entry), ...(own ? [own] : [])].flatMap(([type, id]) => {
          const reference = referenceOf(type, id);
          return reference ? [[`${type}:${id}`, reference]] : [];
        }),
      );
    },
  };
}

/** The case with this lab case number (any letter case), or null. */
export function caseIdByNumber(db: Db, labCaseNumber: string): number | null {
  return (
    (db.prepare('SELECT id FROM cases WHERE lab_case_number = ?').pluck().get(labCaseNumber.trim()) as
      number | undefined) ?? null
  );
}
