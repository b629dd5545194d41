import type { Db } from '../database.ts';

// The figures of the manager's dashboard, each a small aggregate query (indexes: outbox_jobs_due, calibrations_rig).

export class DashboardRepo {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  /** Submissions by state: count, how many changed state more than a day ago, and the oldest change. */
  queueByState(
    nowIso: string,
    dayAgoIso: string,
  ): { state: string; count: number; olderThanDay: number; oldest: string | null }[] {
    void nowIso;
    return this.db
      .prepare(
        `SELECT state, count(*) AS count, sum(updated_at < @dayAgo) AS olderThanDay, min(updated_at) AS oldest
         FROM outbox_jobs GROUP BY state ORDER BY state`,
      )
      .all({ dayAgo: dayAgoIso }) as { state: string; count: number; olderThanDay: number; oldest: string | null }[];
  }

  /** The newest calibration of each kind and rig (the one capture would use). */
  latestCalibrations(): { kind: string; rigProfile: string; expiresAt: string }[] {
    return this.db
      .prepare(
        `SELECT kind, rig_profile AS rigProfile, max(expires_at) AS expiresAt FROM calibrations
         WHERE id IN (SELECT max(id) FROM calibrations GROUP BY kind, rig_profile)
         GROUP BY kind, rig_profile ORDER BY rig_profile, kind`,
      )
      .all() as { kind: string; rigProfile: string; expiresAt: string }[];
  }

  /** Acquisitions completed since `fromIso`, by operator and ISO week start (Monday, YYYY-MM-DD). */
  acquisitionsByWeek(fromIso: string): { username: string; week: string; n: number }[] {
    return this.db
      .prepare(
        `SELECT u.username AS username,
                date(a.completed_at, '-' || ((CAST(strftime('%w', a.completed_at) AS INTEGER) + 6) % 7) || ' days') AS week,
                count(*) AS n
         FROM acquisitions a JOIN users u ON u.id = a.operator_id
         WHERE a.completed_at >= @from AND a.source = 'capture'
         GROUP BY u.username, week ORDER BY u.username, week`,
      )
      .all({ from: fromIso }) as { username: string; week: string; n: number }[];
  }

  /** Correlated submissions with leads: when they were correlated and which leads they hold. */
  correlatedWithLeads(): { id: number; updatedAt: string; leads: string }[] {
    return this.db
      .prepare(
        `SELECT id, updated_at AS updatedAt, leads FROM outbox_jobs
         WHERE state = 'correlated' AND leads IS NOT NULL AND leads <> '[]'`,
      )
      .all() as { id: number; updatedAt: string; leads: string }[];
  }

  /** Exhibit numbers of the casings already fetched from leads (items of the reference case). */
  fetchedLeadExhibits(leadsCaseNumber: string): Set<string> {
    return new Set(
      this.db
        .prepare(
          `SELECT i.exhibit_number FROM items i JOIN cases c ON c.id = i.case_id
           WHERE c.lab_case_number = ? AND EXISTS (SELECT 1 FROM acquisitions a WHERE a.item_id = i.id)`,
        )
        .pluck()
        .all(leadsCaseNumber) as string[],
    );
  }
}
