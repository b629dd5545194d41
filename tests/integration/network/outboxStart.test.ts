// The outbox worker's start on a long-lived station (issue 10, review of 59262d9): thousands of correlated jobs,
// each row holding a manifest, certificates and leads. Start asks the store for the ids of the jobs whose feed
// leads lack a signed statement, compared inside SQLite, and reads no job's row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openDatabase, type Db } from '../../../electron/host/storage/database.ts';
import { OutboxRepo } from '../../../electron/host/storage/repos/outbox.ts';
import { HitReportsRepo } from '../../../electron/host/storage/repos/hitReportsRepo.ts';
import { HubClient } from '../../../electron/network/client.ts';
import { OutboxWorker } from '../../../electron/network/outbox/worker.ts';
import type { OutboxStore } from '../../../electron/network/outbox/store.ts';
import { protocolVersion } from '../../../electron/network/protocol.ts';
import { makePki, removeDir, tempDir, type TestPki } from './harness.ts';

const jobsOnStation = 3000;

describe('outbox worker start on a station with many correlated jobs', () => {
  const dir = tempDir('outbox-start');
  let pki: TestPki;
  let db: Db;
  let repo: OutboxRepo;
  const expected: number[] = [];
  beforeAll(async () => {
    pki = await makePki(join(dir, 'pki'));
    db = openDatabase(join(dir, 'station.sqlite'));
    repo = new OutboxRepo(db);
    const lead = (leadId: number) => ({ leadId, score: 1, padding: 'x'.repeat(2000) });
    const setCorrelated = db.prepare(
      `UPDATE outbox_jobs SET state = ?, leads = ?, signed_results = ?, origin_certificate = ?,
       next_attempt_at = ? WHERE id = ?`,
    );
    const later = Date.now() + 86_400_000; // no job is due: the worker's loop works on none
    repo.transaction(() => {
      for (let n = 0; n < jobsOnStation; n++) {
        const job = repo.insert({
          manifest: {
            protocol: protocolVersion,
            idempotencyKey: randomUUID(),
            caseRef: `C-${n}`,
            itemRef: 'Q1',
          } as never,
          signature: 'sig',
          originCertificate: pki.lab1.certificate,
          artifactFiles: [],
          now: Date.now(),
        })!;
        // Every fourth job: its feed brought lead 3 that its signed statement (leads 1, 2) lacks. Every seventh
        // has leads but no statement at all (correlated before stations kept one). One job in eleven is only
        // committed: not correlated, so nothing to refresh.
        const unsigned = n % 4 === 0;
        const noStatement = !unsigned && n % 7 === 0;
        const state = n % 11 === 5 ? 'committed' : 'correlated';
        const leads = unsigned ? [lead(1), lead(2), lead(3)] : [lead(1), lead(2)];
        const statement = noStatement ? null : JSON.stringify({ statement: { leads: [lead(1), lead(2)] } });
        setCorrelated.run(state, JSON.stringify(leads), statement, pki.lab1.certificate, later, job.id);
        if ((unsigned || noStatement) && state === 'correlated') expected.push(job.id);
      }
    });
  }, 60_000);
  afterAll(() => {
    db?.close();
    removeDir(dir);
  });

  it('the store names exactly the correlated jobs whose leads lack a signed statement', () => {
    expect(expected.length).toBeGreaterThan(jobsOnStation / 4);
    expect(repo.correlatedWithUnsignedLeads()).toEqual(expected);
  });

  it('start reads ids only: no job row comes into memory for jobs it is not working on', async () => {
    const called: string[] = [];
    const recording = new Proxy(repo, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          called.push(String(name));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as OutboxStore;
    // A hub nobody answers at: the worker's loop finds itself offline and claims nothing.
    const client = new HubClient({
      url: 'https://127.0.0.1:9',
      ca: pki.ca.certificate,
      credentials: pki.lab1,
      timeoutMs: 500,
    });
    const worker = new OutboxWorker({ store: recording, client, hitReports: new HitReportsRepo(db), probeMaxMs: 50 });
    try {
      worker.start();
      const duringStart = [...called];
      expect(duringStart).toContain('correlatedWithUnsignedLeads');
      // Whole rows: list, get, getByKey. claimDue reads the rows of the jobs it hands out to work on (none are due).
      expect(duringStart.filter((name) => ['list', 'get', 'getByKey'].includes(name))).toEqual([]);
    } finally {
      await worker.stop();
      client.close();
    }
  });
});
