// The manager's dashboard: queue health, calibrations due or expired, verifications waiting, acquisitions per
// technician and week, network leads waiting for review. Each figure carries the link to the list behind it.
import type { ManagerDashboard } from '../../../contract/packages.ts';
import type { Db } from '../../storage/database.ts';
import { DashboardRepo } from '../../storage/repos/dashboardRepo.ts';
import { leadsCaseNumber } from '../outbox/leadCasing.ts';

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

  const fetched = repo.fetchedLeadExhibits(leadsCaseNumber);
  const byAge = { under24h: 0, from24to72h: 0, over72h: 0 };
  let waiting = 0;
  for (const job of repo.correlatedWithLeads()) {
    const leads = JSON.parse(job.leads) as { otherLabId: string; otherCaseRef: string; otherItemRef: string }[];
    const age = nowMs - Date.parse(job.updatedAt);
    for (const lead of leads) {
      if (fetched.has(`${lead.otherLabId}/${lead.otherCaseRef}/${lead.otherItemRef}`.slice(0, 40))) continue;
      waiting++;
      if (age < day) byAge.under24h++;
      else if (age < 3 * day) byAge.from24to72h++;
      else byAge.over72h++;
    }
  }

  return {
    generatedAt: now.toISOString(),
    queue: { byState },
    calibrations: {
      expired: { count: rows.filter((r) => r.state === 'expired').length, link: '/calibration' },
      dueWithinWeek: { count: rows.filter((r) => r.state === 'due').length, link: '/calibration' },
      rows,
    },
    verifications: { waiting: null, oldestHours: null },
    acquisitions: {
      weeks: weekList,
      byTechnician: [...perUser].map(([username, perWeek]) => ({
        username,
        perWeek,
        link: `/audit?user=${encodeURIComponent(username)}&action=acquisition.capture`,
      })),
    },
    leads: { waiting: { count: waiting, link: '/queue?leads=waiting' }, byAge },
  };
}
