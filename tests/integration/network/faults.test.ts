// Faults over real HTTPS on loopback: every submission must arrive exactly once and byte-identical, none lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Hub } from '../../../electron/network/hub/server.ts';
import {
  deliveredExactlyOnce,
  enqueue,
  makeArtifact,
  makePki,
  openStation,
  removeDir,
  startTestHub,
  submissionInput,
  tempDir,
  until,
  withTimeout,
  type TestPki,
} from './harness.ts';

let dir: string;
let pki: TestPki;

beforeAll(async () => {
  dir = tempDir('net-faults');
  pki = await makePki(join(dir, 'pki'));
});
afterAll(() => removeDir(dir));

function enqueueMany(station: ReturnType<typeof openStation>, count: number, size: number, cases = 5) {
  return Array.from({ length: count }, (_, i) =>
    enqueue(station, submissionInput(`CASE-${i % cases}`, `EXH-${i}`, [makeArtifact(station.dir, size + i)])),
  );
}

describe('network faults', () => {
  it('waits out a hub that is down without spending attempts, then delivers when it comes back (restart on the same port)', async () => {
    const hubDir = join(dir, 'hub-down');
    const first = await startTestHub(pki, hubDir);
    const port = first.port;
    await first.close();
    const states: string[] = [];
    const station = openStation(pki, pki.lab1, `https://127.0.0.1:${port}`, tempDir('st'), {
      onEvent: (e) => {
        if (e.type === 'connectivity') states.push(e.connectivity);
      },
    });
    let hub: Hub | undefined;
    try {
      const jobs = enqueueMany(station, 6, 20_000);
      station.worker.start();
      await until(
        () => station.worker.connectivity === 'offline' && station.worker.store.get(jobs[0].id)!.lastError !== null,
        'the station to notice the hub is down',
      );
      await new Promise((r) => setTimeout(r, 300)); // a few more probes and reschedules while it stays down
      for (const job of jobs) {
        const now = station.worker.store.get(job.id)!;
        expect(now.state).toBe('queued');
        expect(now.attempts).toBe(0);
      }
      expect(station.worker.store.get(jobs[0].id)!.lastError).toMatch(/ECONNREFUSED/);
      hub = await startTestHub(pki, hubDir, { port });
      await withTimeout(station.worker.drained(), 20_000, 'drain after the hub came back');
      expect(states).toContain('online');
      const result = await deliveredExactlyOnce(hub, station);
      expect(result.problems).toEqual([]);
      expect(result.delivered).toBe(6);
    } finally {
      await station.close();
      await hub?.close();
    }
  });

  it('survives a hub restart in the middle of uploads', async () => {
    const hubDir = join(dir, 'hub-restart');
    let hub = await startTestHub(pki, hubDir, { faults: { latencyMs: 15 } });
    const port = hub.port;
    const station = openStation(pki, pki.lab1, hub.url, tempDir('st'), { chunkBytes: 16 * 1024, concurrency: 3 });
    try {
      enqueueMany(station, 10, 120_000);
      station.worker.start();
      await until(() => station.worker.store.counts().uploading > 0, 'uploads to be under way');
      await hub.close();
      hub = await startTestHub(pki, hubDir, { port });
      await withTimeout(station.worker.drained(), 30_000, 'drain after restart');
      const result = await deliveredExactlyOnce(hub, station);
      expect(result.problems).toEqual([]);
      expect(result.delivered).toBe(10);
    } finally {
      await station.close();
      await hub.close();
    }
  });

  it('delivers exactly once through 5xx, resets mid-chunk, lost responses and duplicated requests', async () => {
    const hub = await startTestHub(pki, join(dir, 'hub-chaos'), {
      faults: { errorRate: 0.15, dropMidUploadRate: 0.25, dropResponseRate: 0.15, duplicateRate: 0.2, seed: 7 },
    });
    const station = openStation(pki, pki.lab1, hub.url, tempDir('st'), {
      chunkBytes: 32 * 1024,
      concurrency: 3,
      maxAttempts: 100,
    });
    try {
      const jobs = enqueueMany(station, 20, 90_000);
      station.worker.start();
      await withTimeout(station.worker.drained(), 60_000, 'drain under faults');
      const result = await deliveredExactlyOnce(hub, station);
      expect(result.problems).toEqual([]);
      expect(result.delivered).toBe(20);
      const attempts = jobs.map((j) => station.worker.store.get(j.id)!.attempts);
      expect(attempts.some((a) => a > 0)).toBe(true); // the faults did bite
    } finally {
      await station.close();
      await hub.close();
    }
  });

  it('treats timeouts as transient and finishes once the hub answers in time again', async () => {
    const hub = await startTestHub(pki, join(dir, 'hub-slow'), { faults: { latencyMs: 400 } });
    const station = openStation(pki, pki.lab1, hub.url, tempDir('st'), { timeoutMs: 150 });
    try {
      const [job] = enqueueMany(station, 1, 10_000);
      station.worker.start();
      await until(
        () => /no answer within 150 ms/.test(station.worker.store.get(job.id)!.lastError ?? ''),
        'a timeout to be recorded',
      );
      expect(station.worker.store.get(job.id)!.state).toMatch(/queued|uploading/);
      hub.setFaults({ latencyMs: 0 });
      await withTimeout(station.worker.drained(), 20_000, 'drain after the slowness');
      expect((await deliveredExactlyOnce(hub, station)).problems).toEqual([]);
    } finally {
      await station.close();
      await hub.close();
    }
  });

  it('corrects for a station clock an hour fast', async () => {
    const hub = await startTestHub(pki, join(dir, 'hub-skew'));
    const station = openStation(pki, pki.lab1, hub.url, tempDir('st'), { now: () => Date.now() + 3_600_000 });
    try {
      enqueueMany(station, 3, 5_000);
      station.worker.start();
      await withTimeout(station.worker.drained(), 20_000, 'drain with a skewed clock');
      expect(station.client.clockOffsetMs).toBeLessThan(-3_500_000);
      expect((await deliveredExactlyOnce(hub, station)).problems).toEqual([]);
    } finally {
      await station.close();
      await hub.close();
    }
  });

  it('soak: 100 submissions through a hub failing 30 % of requests arrive exactly once', async () => {
    const hub = await startTestHub(pki, join(dir, 'hub-soak'), { faults: { errorRate: 0.3, seed: 42 } });
    const station = openStation(pki, pki.lab1, hub.url, tempDir('st'), { concurrency: 4, maxAttempts: 100 });
    try {
      enqueueMany(station, 100, 4_000, 20);
      const started = performance.now();
      station.worker.start();
      await withTimeout(station.worker.drained(), 90_000, 'soak drain');
      const result = await deliveredExactlyOnce(hub, station);
      expect(result.problems).toEqual([]);
      expect(result.delivered).toBe(100);
      expect(station.worker.store.counts().dead).toBe(0);
      console.log(`soak: 100 submissions at 30 % errors in ${Math.round(performance.now() - started)} ms`);
    } finally {
      await station.close();
      await hub.close();
    }
  });
});
