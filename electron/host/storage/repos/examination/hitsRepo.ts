// SQL of hits (write-once links between two cases, or a case and another lab's case from a network lead).
import type { Db } from '../../database.ts';
import type { Lead } from '../../../../network/protocol.ts';

export interface NetworkRefs {
  labId: string;
  caseRef: string;
  itemRef: string;
  submissionId: string;
}

export interface HitRecord {
  id: number;
  comparisonId: number;
  conclusionId: number;
  caseA: number;
  caseB: number | null;
  networkJobId: number | null;
  networkLeadId: number | null;
  networkRefs: NetworkRefs | null;
  reportJobId: number | null;
  confirmedBy: string;
  confirmedAt: string;
  note: string | null;
}

type Row = Record<string, unknown>;
const select = `SELECT h.*, u.username AS confirmed_by_name FROM hits h JOIN users u ON u.id = h.confirmed_by`;

function toHit(row: Row): HitRecord {
  return {
    id: row.id as number,
    comparisonId: row.comparison_id as number,
    conclusionId: row.conclusion_id as number,
    caseA: row.case_a as number,
    caseB: row.case_b as number | null,
    networkJobId: row.network_job_id as number | null,
    networkLeadId: row.network_lead_id as number | null,
    networkRefs: row.network_refs === null ? null : (JSON.parse(row.network_refs as string) as NetworkRefs),
    reportJobId: row.report_job_id as number | null,
    confirmedBy: row.confirmed_by_name as string,
    confirmedAt: row.confirmed_at as string,
    note: row.note as string | null,
  };
}

export class HitsRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  insert(h: Omit<HitRecord, 'id' | 'confirmedBy'> & { confirmedById: number }): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO hits (comparison_id, conclusion_id, case_a, case_b, network_job_id, network_lead_id, network_refs,
             report_job_id, confirmed_by, confirmed_at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          h.comparisonId,
          h.conclusionId,
          h.caseA,
          h.caseB,
          h.networkJobId,
          h.networkLeadId,
          h.networkRefs ? JSON.stringify(h.networkRefs) : null,
          h.reportJobId,
          h.confirmedById,
          h.confirmedAt,
          h.note,
        ).lastInsertRowid,
    );
  }

  /** Names the outbox job reporting a network hit (once; the trigger refuses a second time). */
  setReportJob(id: number, reportJobId: number): void {
    this.db.prepare('UPDATE hits SET report_job_id = ? WHERE id = ?').run(reportJobId, id);
  }

  get(id: number): HitRecord | undefined {
    const row = this.db.prepare(`${select} WHERE h.id = ?`).get(id) as Row | undefined;
    return row && toHit(row);
  }

  ofComparison(comparisonId: number): HitRecord | undefined {
    const row = this.db.prepare(`${select} WHERE h.comparison_id = ?`).get(comparisonId) as Row | undefined;
    return row && toHit(row);
  }

  /** The hit already made on a network lead (one per lead, whichever comparison answered it). */
  ofNetworkLead(jobId: number, leadId: number): HitRecord | undefined {
    const row = this.db.prepare(`${select} WHERE h.network_job_id = ? AND h.network_lead_id = ?`).get(jobId, leadId) as
      Row | undefined;
    return row && toHit(row);
  }

  forCase(caseId: number): HitRecord[] {
    return (
      this.db.prepare(`${select} WHERE @caseId IN (h.case_a, h.case_b) ORDER BY h.id`).all({ caseId }) as Row[]
    ).map(toHit);
  }
}

/** Our submissions of these acquisitions that came back with leads (read from the outbox's table). */
export function submissionsWithLeads(
  db: Db,
  acquisitionIds: number[],
): { jobId: number; acquisitionId: number; submissionId: string | null; leads: Lead[] }[] {
  return (
    db
      .prepare(
        `SELECT id, acquisition_id, submission_id, leads FROM outbox_jobs
         WHERE acquisition_id IN (SELECT value FROM json_each(?)) AND leads IS NOT NULL ORDER BY id`,
      )
      .all(JSON.stringify(acquisitionIds)) as Row[]
  ).map((row) => ({
    jobId: row.id as number,
    acquisitionId: row.acquisition_id as number,
    submissionId: row.submission_id as string | null,
    leads: JSON.parse(row.leads as string) as Lead[],
  }));
}
