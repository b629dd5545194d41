// The manager's dashboard counts what waits, and for how long: network leads until an examiner has concluded on our
// casing against the lead's (fetching or opening the pair is not a review), by the age of each lead; verifications
// until they close, by the age of the request. Time is the station's clock, moved by the test.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examinationStation, type ExaminationStation } from '../../fixtures/examinationStation.ts';
import { installCredentials, makeNetwork, tempDir } from './packageHarness.ts';
import { ageBuckets, weekStart } from '../../../electron/host/services/packages/dashboard.ts';

const hour = 3_600_000;
let now = Date.parse('2026-11-20T12:00:00.000Z');
let s: ExaminationStation;
let ours: number;
let leadCasing: number;

beforeAll(async () => {
  // The station reads its network credentials when it starts: they go in first.
  const dataDir = tempDir('dashboard');
  const network = await makeNetwork();
  installCredentials(dataDir, network.ca.certificate, network.lab1);
  s = await examinationStation({ dataDir, clock: () => now });
  ours = await s.fadul('LAB-9', 'Q1', '1-1');
  leadCasing = await s.fadul('NETWORK-LEADS', 'LAB-2/C-1/Q-9', '1-2');
  const leadSha = (await s.admin.call('acquisitions.get', { id: leadCasing })).topographySha256!;
  const { job } = await s.admin.call('outbox.submitAcquisition', { acquisitionId: ours });
  // The hub's answer, as the outbox worker stores it after correlation: two leads, 30 h and 100 h old.
  const lead = (leadId: number, sha256: string, ageHours: number) => ({
    leadId,
    score: 14,
    scorer: 'cmc/casebench-analysis-1',
    calibre: '9 mm Luger',
    otherLabId: 'LAB-2',
    otherCaseRef: `C-${leadId}`,
    otherItemRef: 'Q-9',
    otherSubmissionId: '00000000-0000-4000-8000-00000000000' + leadId,
    otherArtifacts: [{ role: 'x3p', name: 'q9.x3p', mediaType: 'application/x-x3p', sha256, size: 1000 }],
    createdAt: new Date(now - ageHours * hour).toISOString(),
  });
  const other = createHash('sha256').update('a casing nobody fetched').digest('hex');
  s.host.db
    .prepare(`UPDATE outbox_jobs SET state = 'correlated', leads = ?, updated_at = ? WHERE id = ?`)
    .run(JSON.stringify([lead(1, leadSha, 30), lead(2, other, 100)]), new Date(now).toISOString(), job.id);
}, 120_000);

afterAll(() => s?.dispose());

describe('the manager’s dashboard', () => {
  it('counts both leads as waiting, by their own age, with the queue and no verification yet', async () => {
    const d = await s.manager.call('dashboard.manager', {});
    expect(d.leads).toEqual({
      waiting: { count: 2, link: '/queue?state=correlated&leads=waiting' },
      byAge: { under24h: 0, from24to72h: 1, over72h: 1 },
      oldestHours: 100,
    });
    expect(d.queue.byState).toEqual([expect.objectContaining({ state: 'correlated', count: 1 })]);
    expect(d.verifications).toEqual({
      waiting: { count: 0, link: '/examinations' },
      oldestHours: null,
      byAge: { under24h: 0, from24to72h: 0, over72h: 0 },
    });
  });

  it('still counts a lead whose pair was opened but not concluded', async () => {
    await s.e1.call('examinations.open', { a: ours, b: leadCasing, origin: 'lead' });
    expect((await s.manager.call('dashboard.manager', {})).leads.waiting.count).toBe(2);
  });

  it('stops counting a lead once its pair is concluded, and counts the verification that asks for', async () => {
    const { comparison } = await s.e1.call('examinations.open', { a: ours, b: leadCasing });
    await s.e1.call('conclusions.record', {
      comparisonId: comparison.id,
      conclusion: 'elimination',
      basis: 'Different breech-face marks throughout.',
    });
    let d = await s.manager.call('dashboard.manager', {});
    expect(d.leads.waiting.count).toBe(1);
    expect(d.leads.byAge).toEqual({ under24h: 0, from24to72h: 0, over72h: 1 });
    expect(d.verifications.waiting?.count).toBe(1);
    expect(d.verifications.byAge).toEqual({ under24h: 1, from24to72h: 0, over72h: 0 });

    now += 30 * hour;
    // A day and more without activity locks every session: the manager unlocks, as at the station.
    await s.manager.call('auth.unlock', { password: 'long enough password' });
    d = await s.manager.call('dashboard.manager', {});
    expect(d.verifications.byAge).toEqual({ under24h: 0, from24to72h: 1, over72h: 0 });
    expect(d.verifications.oldestHours).toBe(30);
  });

  it('is a manager’s view: an examiner is refused', async () => {
    await s.e1.call('auth.unlock', { password: 'long enough password' });
    await expect(s.e1.call('dashboard.manager', {})).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('dashboard arithmetic', () => {
  it('buckets ages and finds the Monday of a week', () => {
    expect(ageBuckets([0, 23.9 * hour, 24 * hour, 71.9 * hour, 72 * hour, 500 * hour])).toEqual({
      under24h: 2,
      from24to72h: 2,
      over72h: 2,
    });
    expect(weekStart(new Date('2026-11-22T23:00:00Z'))).toBe('2026-11-16'); // a Sunday
    expect(weekStart(new Date('2026-11-23T00:00:00Z'))).toBe('2026-11-23'); // a Monday
  });
});
