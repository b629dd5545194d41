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

  /** Correlated submissions with leads: our acquisition, when they were correlated, which leads they hold (JSON). */
  correlatedWithLeads(): { id: number; acquisitionId: number | null; updatedAt: string; leads: string }[] {
    return this.db
      .prepare(
        `SELECT id, acquisition_id AS acquisitionId, updated_at AS updatedAt, leads FROM outbox_jobs
         WHERE state = 'correlated' AND leads IS NOT NULL AND leads <> '[]'`,
      )
      .all() as { id: number; acquisitionId: number | null; updatedAt: string; leads: string }[];
  }

  /**
   * Pairs an examiner has concluded on (casework comparisons past 'open'), each as "acquisition:topography SHA-256 of
   * the other side" both ways: a lead is reviewed when our casing was concluded against the lead's casing.
   */
  concludedPairs(): Set<string> {
    const rows = this.db
      .prepare(
        `SELECT c.acquisition_a AS a, c.acquisition_b AS b, aa.topography_sha256 AS shaA, ab.topography_sha256 AS shaB
         FROM comparisons c JOIN acquisitions aa ON aa.id = c.acquisition_a JOIN acquisitions ab ON ab.id = c.acquisition_b
         WHERE c.state <> 'open' AND c.test_pair_id IS NULL`,
      )
      .all() as { a: number; b: number; shaA: string | null; shaB: string | null }[];
    const pairs = new Set<string>();
    for (const r of rows) {
      if (r.shaB) pairs.add(`${r.a}:${r.shaB}`);
      if (r.shaA) pairs.add(`${r.b}:${r.shaA}`);
    }
    return pairs;
  }

  /** Verifications still open (to assign, to conclude, disputed, with the arbiter), with when they were asked for. */
  openVerifications(): { state: string; createdAt: string }[] {
    return this.db
      .prepare(
        `SELECT state, created_at AS createdAt FROM verifications
         WHERE state IN ('unassigned', 'assigned', 'disputed', 'arbitrating') ORDER BY created_at`,
      )
      .all() as { state: string; createdAt: string }[];
  }
}
