// The hub on PostgreSQL behaves as the embedded one does: submissions arrive exactly once, a worker correlates
// each committed casing (its job written in the commit's transaction), leads come back both ways, hits and feeds
// work, and a request replayed to another front end on the same database is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:https';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  keyId,
  loadPrivateKey,
  requestSigningBytes,
  sha256,
  signBytes,
  signedResultsProblem,
} from '../../../electron/network/protocol.ts';
import { checkHubCertificate } from '../../../electron/network/pki.ts';
import type { Hub } from '../../../electron/network/hub/server.ts';
import { buildSignedHitReport } from '../../../electron/network/outbox/hitReport.ts';
import { openPostgresPool } from '../../../electron/network/hub/postgres/connect.ts';
import { listJobs } from '../../../electron/network/hub/postgres/jobs.ts';
import {
  deliveredExactlyOnce,
  enqueue,
  makeArtifact,
  makePki,
  openStation,
  removeDir,
  submissionInput,
  tempDir,
  type Station,
  type TestPki,
} from '../network/harness.ts';
import { fakeAnalysis, startPgFrontEnd, startTestPostgres, startTestWorker, type TestPostgres } from './pgHarness.ts';

let dir: string;
let pki: TestPki;
let pg: TestPostgres;
let hubA: Hub;
let hubB: Hub;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let lab1: Station;
let lab2: Station;

beforeAll(async () => {
  dir = tempDir('pg-hub');
  pki = await makePki(join(dir, 'pki'));
  pg = startTestPostgres();
  const shared = join(dir, 'shared');
  [hubA, hubB] = [await startPgFrontEnd(pki, pg, shared), await startPgFrontEnd(pki, pg, shared)];
  worker = await startTestWorker(pg, shared, fakeAnalysis());
  lab1 = openStation(pki, pki.lab1, hubA.url, tempDir('st'), { hits: true });
  lab2 = openStation(pki, pki.lab2, hubB.url, tempDir('st'), { hits: true });
});
afterAll(async () => {
  await lab1?.close();
  await lab2?.close();
  await worker?.close();
  await hubA?.close();
  await hubB?.close();
  pg?.destroy();
  removeDir(dir);
});

describe('hub on PostgreSQL', { timeout: 60_000 }, () => {
  it('takes submissions at two front ends exactly once; a worker correlates each; leads come back both ways', async () => {
    const ones = Array.from({ length: 4 }, (_, i) =>
      enqueue(lab1, submissionInput(`L1-${i}`, 'Q', [makeArtifact(lab1.dir, 5000 + i, 'x3p')])),
    );
    lab1.worker.start();
    await lab1.worker.drained({ leads: true });
    const twos = Array.from({ length: 3 }, (_, i) =>
      enqueue(lab2, submissionInput(`L2-${i}`, 'Q', [makeArtifact(lab2.dir, 7000 + i, 'x3p')])),
    );
    lab2.worker.start();
    await lab2.worker.drained({ leads: true });
    expect((await deliveredExactlyOnce(hubA, lab1)).problems).toEqual([]);
    expect((await deliveredExactlyOnce(hubB, lab2)).problems).toEqual([]);
    // Each of lab 2's casings leads to every one of lab 1's, and lab 1's gained the leads back.
    for (const job of twos) expect(lab2.worker.store.get(job.id)!.leads).toHaveLength(4);
    const first = await hubA.records.findByIdempotencyKey(ones[0]!.idempotencyKey);
    expect(await hubA.records.leadsFor(first!.id)).toHaveLength(3);
    // The leads come as the hub's signed statement about the receipt (which the station checked before taking them),
    // signed afresh when asked, so it holds the leads later submissions gave lab 1's casing too.
    for (const job of twos) expect(lab2.worker.store.get(job.id)!.results!.statement.leads).toHaveLength(4);
    const answer = await lab1.client.status(first!.id);
    expect(answer.results!.statement.leads.map((l) => l.leadId).sort()).toEqual(
      (await hubA.records.leadsFor(first!.id)).map((l) => l.leadId).sort(),
    );
    const hubKey = checkHubCertificate(pki.hub.certificate, pki.ca.certificate, { at: new Date(), hubId: 'hub-1' });
    expect(signedResultsProblem(answer.results!, hubKey, answer.receipt!)).toBeNull();
    // One correlate job per committed submission and one compare job per candidate pair it compared in full, each
    // done once, by the worker; the correlate job finished after its comparisons.
    const pool = openPostgresPool(pg.url, { max: 1 });
    try {
      const jobs = await listJobs(pool, { limit: 100 });
      const correlations = jobs.filter((j) => j.kind === 'correlate');
      const comparisons = jobs.filter((j) => j.kind === 'compare');
      expect(correlations).toHaveLength(7);
      // Lab 1's four casings had no one to compare with (one lab); each of lab 2's three compared with lab 1's four.
      expect(comparisons).toHaveLength(12);
      expect(jobs.every((j) => j.state === 'done' && j.attempts === 1)).toBe(true);
      for (const c of comparisons) {
        const parent = correlations.find((j) => j.id === c.parentId)!;
        expect(Date.parse(parent.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(c.finishedAt!));
      }
      // Runs: 7 correlations planned, 12 comparisons, and lab 2's 3 correlations finished after theirs.
      expect(worker.stats).toMatchObject({ done: 22, failed: 0, lost: 0 });
    } finally {
      await pool.end();
    }
  });

  it('records hit reports once and tells the other lab through its feed', async () => {
    const job = lab2.worker.store.list({ limit: 1 })[0]!;
    const lead = job.leads![0]!;
    const report = buildSignedHitReport(lab2.signer, {
      idempotencyKey: randomUUID(),
      createdAt: new Date().toISOString(),
      submissionId: job.submissionId!,
      leadId: lead.leadId,
      otherSubmissionId: lead.otherSubmissionId,
      conclusion: 'identification',
      confirmedAt: new Date().toISOString(),
      hitRef: 'PG-HIT',
    });
    expect((await lab2.client.reportHit(report)).created).toBe(true);
    expect((await lab2.client.reportHit(report)).created).toBe(false);
    const feed = await lab1.client.feed(0, 500);
    expect(feed.events.filter((e) => e.kind === 'hit')).toHaveLength(1);
    expect(feed.events.filter((e) => e.kind === 'lead')).toHaveLength(12); // 3 leads on each of lab 1's 4 casings
    expect(feed.events.map((e) => e.seq)).toEqual([...feed.events.map((e) => e.seq)].sort((a, b) => a - b));
  });

  it('refuses a request replayed to the other front end (the nonces are shared)', async () => {
    const status = async (url: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${url}/v1/feed?after=0&limit=1`, {
          ca: pki.ca.certificate,
          cert: pki.lab1.certificate,
          key: pki.lab1.tlsKey,
          headers,
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    // One signed request, sent to both front ends.
    const key = loadPrivateKey(pki.lab1.signingKey);
    const timestamp = String(Date.now());
    const nonce = randomBytes(16).toString('hex');
    const path = '/v1/feed?after=0&limit=1';
    const captured = {
      'cb-key': keyId(key),
      'cb-timestamp': timestamp,
      'cb-nonce': nonce,
      'cb-signature': signBytes(key, requestSigningBytes('GET', path, timestamp, nonce, sha256(Buffer.alloc(0)))),
    };
    expect(await status(hubA.url, captured)).toBe(200);
    expect(await status(hubB.url, captured)).toBe(409);
  });
});
