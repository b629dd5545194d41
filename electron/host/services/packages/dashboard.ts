// The manager's dashboard: queue health, calibrations due or expired, verifications waiting, acquisitions per
// technician and week, network leads waiting for review. Each figure carries the link to the list behind it.
import type { ManagerDashboard } from '../../../contract/packages.ts';
import type { Db } from '../../storage/database.ts';
import { DashboardRepo } from '../../storage/repos/dashboardRepo.ts';

const hour = 3_600_000;
const day = 24 * hour;

/** Monday of the week holding `date`, as YYYY-MM-DD (UTC). */
export function weekStart(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

export function managerDashboard(db: Db, now: Date, weeks = 8): ManagerDashboard {
  const repo = new DashboardRepo(db);
  const nowMs = now.getTime();
  const byState = repo.queueByState(now.toISOString(), new Date(nowMs - day).toISOString()).map((r) => ({
    state: r.state,
    count: r.count,
    olderThanDay: r.olderThanDay ?? 0,
    oldestHours: r.oldest ? Math.round(((nowMs - Date.parse(r.oldest)) / hour) * 10) / 10 : null,
    link: `/queue?state=${r.state}`,
  }));

  const soon = new Date(nowMs + 7 * day).toISOString();
  const rows = repo.latestCalibrations().map((c) => ({
    ...c,
    state: (c.expiresAt <= now.toISOString() ? 'expired' : c.expiresAt <= soon ? 'due' : 'valid') as
      'valid' | 'due' | 'expired',
  }));

  const weekList: string[] = [];
  for (let i = weeks - 1; i >= 0; i--) weekList.push(weekStart(new Date(nowMs - i * 7 * day)));
  const perUser = new Map<string, number[]>();
  for (const r of repo.acquisitionsByWeek(`${weekList[0]}T00:00:00.000Z`)) {
    const counts = perUser.get(r.username) ?? new Array<number>(weeks).fill(0);
    const index = weekList.indexOf(r.week);
    if (index >= 0) counts[index] += r.n;
    perUser.set(r.username, counts);
  }

  const leads = leadsWaiting(repo, nowMs);
  const verificationAges = repo.openVerifications().map((v) => Math.max(0, nowMs - Date.parse(v.createdAt)));
  return {
    generatedAt: now.toISOString(),
    queue: { byState },
    calibrations: {
      expired: { count: rows.filter((r) => r.state === 'expired').length, link: '/calibration' },
      dueWithinWeek: { count: rows.filter((r) => r.state === 'due').length, link: '/calibration' },
      rows,
    },
    verifications: {
      waiting: { count: verificationAges.length, link: '/examinations' },
      oldestHours: verificationAges.length ? hoursOf(Math.max(...verificationAges)) : null,
      byAge: ageBuckets(verificationAges),
    },
    acquisitions: {
      weeks: weekList,
      byTechnician: [...perUser].map(([username, perWeek]) => ({
        username,
        perWeek,
        link: `/audit?user=${encodeURIComponent(username)}&action=acquisition.capture&from=${weekList[0]}`,
      })),
    },
    leads: {
      waiting: { count: leads.ages.length, link: '/queue?state=correlated&leads=waiting' },
      byAge: ageBuckets(leads.ages),
      oldestHours: leads.ages.length ? hoursOf(Math.max(...leads.ages)) : null,
    },
  };
}

const hoursOf = (ms: number) => Math.round((ms / hour) * 10) / 10;

/** How many of these ages (ms) are under a day, one to three days, over three days. */
export function ageBuckets(ages: number[]): { under24h: number; from24to72h: number; over72h: number } {
  const buckets = { under24h: 0, from24to72h: 0, over72h: 0 };
  for (const age of ages) {
    if (age < day) buckets.under24h++;
    else if (age < 3 * day) buckets.from24to72h++;
    else buckets.over72h++;
  }
  return buckets;
}

/**
 * The age (ms since it arrived) of every network lead no one has reviewed yet: reviewed = an examiner recorded a
 * conclusion on the comparison of our casing with the lead's casing (fetching it or opening the pair is not a review).
 */
function leadsWaiting(repo: DashboardRepo, nowMs: number): { ages: number[] } {
  const concluded = repo.concludedPairs();
  const ages: number[] = [];
  for (const job of repo.correlatedWithLeads()) {
    const leads = JSON.parse(job.leads) as {
      otherArtifacts?: { role: string; sha256: string }[];
      createdAt?: string;
    }[];
    for (const lead of leads) {
      const x3p = lead.otherArtifacts?.find((a) => a.role === 'x3p')?.sha256;
      if (x3p && job.acquisitionId !== null && concluded.has(`${job.acquisitionId}:${x3p}`)) continue;
      const arrived = Date.parse(lead.createdAt ?? job.updatedAt);
      ages.push(Math.max(0, nowMs - (Number.isNaN(arrived) ? Date.parse(job.updatedAt) : arrived)));
    }
  }
  return { ages };
}
