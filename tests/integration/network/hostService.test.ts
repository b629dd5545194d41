// The outbox through the host's contract: enqueue in the acquisition's transaction, delivery to a real hub,
// job and progress events, the status-bar indicator, retry/cancel with audit entries, leads with their case.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { isAppError } from '../../../electron/contract/errors.ts';
import type { OutboxJobView } from '../../../electron/contract/network.ts';
import { attachOutbox } from '../../../electron/host/services/outbox/outboxService.ts';
import type { Hub } from '../../../electron/network/hub/server.ts';
import { writeCredentials } from '../../../electron/network/pki.ts';
import { startSignedIn } from '../../fixtures/testHost.ts';
import {
  enqueue,
  fadulArtifact,
  makeArtifact,
  openStation,
  submissionInput,
  tempDir,
  until,
  type TestPki,
  withTestHub,
} from './harness.ts';

let dir: string;
let pki: TestPki;
let hub: Hub;
withTestHub(
  'net-host',
  (made) => ({ dir, pki, hub } = made),
  (pki) => writeCredentials(pki.dir, 'station', pki.lab1),
);

// CMC on real scans takes seconds, more on a loaded machine.
describe('outbox in the host', { timeout: 120_000 }, () => {
  it('delivers an enqueued acquisition, reports it through events and the status bar, and lists its leads', async () => {
    const station = await startSignedIn();
    const outbox = attachOutbox(station.host, {
      pkiDir: pki.dir,
      hubUrl: hub.url,
      importDir: join(station.dataDir, 'imported'),
      worker: { backoff: { baseMs: 20, maxMs: 200 }, leadsPollMs: { firstMs: 20, maxMs: 200 }, chunkBytes: 16 * 1024 },
    });
    try {
      const seen: OutboxJobView[] = [];
      const progress: number[] = [];
      station.client.subscribe('outbox.onJob', {}, (job) => seen.push(job));
      station.client.subscribe('outbox.onProgress', {}, (p) => progress.push(p.bytesSent));
      const statuses: string[] = [];
      station.client.subscribe('system.onStatus', {}, (s) => statuses.push(s.network.state));

      // Another lab already has a casing of this calibre, so a lead comes back.
      const otherDir = tempDir('other');
      const other = openStation(pki, pki.lab2, hub.url, otherDir);
      enqueue(other, submissionInput('L2-5', 'Q-9', [fadulArtifact('fadul_6-1.x3p')], '.357 Magnum'));
      other.worker.start();
      await other.worker.drained();
      await other.close();

      const c = await station.client.call('cases.create', { labCaseNumber: 'NET-1' });
      // As the acquisition service will: the record, its audit entry and the outbox job in one transaction.
      const scan = fadulArtifact('fadul_6-2.x3p');
      const job = station.host.db.transaction(() =>
        outbox.enqueue({ ...submissionInput('NET-1', 'Q1', [scan], '.357 Magnum'), caseId: c.id }),
      )();
      await until(
        async () => (await station.client.call('outbox.list', {})).jobs[0]?.state === 'correlated',
        'correlation',
        60_000,
      );
      const listed = await station.client.call('outbox.list', {});
      expect(listed.connectivity).toBe('online');
      expect(listed.counts.correlated).toBe(1);
      expect(seen.map((j) => j.state)).toEqual(expect.arrayContaining(['queued', 'committed', 'correlated']));
      expect(progress.at(-1)).toBe(scan.size);
      expect(statuses).toContain('ok');
      const leads = await station.client.call('outbox.leads', { caseId: c.id });
      expect(leads).toHaveLength(1);
      expect(leads[0]).toMatchObject({
        job: { id: job.id, caseId: c.id, caseRef: 'NET-1' },
        lead: { otherLabId: 'LAB-2', otherCaseRef: 'L2-5' },
      });
      // The other lab's casing comes down hash-checked into the evidence store, ready to compare.
      const fetched = await station.client.call('outbox.fetchLead', { jobId: job.id, leadId: leads[0]!.lead.leadId });
      expect(fetched.artifacts).toHaveLength(1);
      expect(station.host.evidence.has(fetched.artifacts[0]!.sha256)).toBe(true);
      expect(leads[0]!.fetched).toBe(false);
      expect((await station.client.call('outbox.leads', { caseId: c.id }))[0]!.fetched).toBe(true);
      const missingLead = await station.client.call('outbox.fetchLead', { jobId: job.id, leadId: 999_999 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAppError(missingLead, 'not_found')).toBe(true);
      const cancel = await station.client.call('outbox.cancel', { id: job.id }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAppError(cancel, 'conflict')).toBe(true);
    } finally {
      await outbox.close();
      await station.dispose();
    }
  });

  it('shows a refused job with its reason, retries and cancels it with audit entries, and says when the hub is unreachable', async () => {
    const station = await startSignedIn();
    const outbox = attachOutbox(station.host, {
      pkiDir: pki.dir,
      hubUrl: 'https://127.0.0.1:1',
      importDir: join(station.dataDir, 'imported'),
      worker: { backoff: { baseMs: 20, maxMs: 200 }, probeMaxMs: 100 },
    });
    try {
      const job = outbox.enqueue(submissionInput('NET-2', 'Q1', [makeArtifact(station.dataDir, 1000)]));
      await until(async () => (await station.client.call('outbox.list', {})).connectivity === 'offline', 'offline');
      expect((await station.client.call('system.status', {})).network).toMatchObject({
        state: 'offline',
        label: expect.stringMatching(/hub unreachable — 1 waiting/),
      });
      // Force the refused state as the worker would record it, then retry and cancel through the contract.
      outbox.repo.markFailed(
        job.id,
        'rejected',
        { code: 'artifact_hash_mismatch', message: 'bytes changed' },
        Date.now(),
      );
      const listed = (await station.client.call('outbox.list', { states: ['rejected'] })).jobs[0]!;
      expect(listed).toMatchObject({ lastErrorCode: 'artifact_hash_mismatch', lastError: 'bytes changed' });
      expect((await station.client.call('outbox.retry', { id: job.id, reason: 'file restored' })).state).toBe('queued');
      expect((await station.client.call('outbox.cancel', { id: job.id, reason: 'duplicate' })).state).toBe('canceled');
      const actions = station.host.db
        .prepare("SELECT action, reason FROM audit_log WHERE action LIKE 'outbox.%' ORDER BY seq")
        .all();
      expect(actions).toEqual([
        { action: 'outbox.retry', reason: 'file restored' },
        { action: 'outbox.cancel', reason: 'duplicate' },
      ]);
    } finally {
      await outbox.close();
      await station.dispose();
    }
  });

  it('says so when the station has no network credentials', async () => {
    const station = await startSignedIn();
    const outbox = attachOutbox(station.host, {
      pkiDir: join(dir, 'nowhere'),
      importDir: join(station.dataDir, 'imported'),
    });
    try {
      expect((await station.client.call('system.status', {})).network.label).toBe('network not configured');
      expect(() => outbox.enqueue(submissionInput('X', 'Y', [makeArtifact(station.dataDir, 10)]))).toThrow(
        /no network credentials/,
      );
    } finally {
      await outbox.close();
      await station.dispose();
    }
  });
});
