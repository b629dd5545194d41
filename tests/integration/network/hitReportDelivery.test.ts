// A confirmed hit travels from one station to the other through the hub: queued inside the caller's transaction,
// sent once by the outbox worker (also through a hub that loses answers and processes requests twice), its receipt
// checked; the other station reads it from its feed, with the lead its earlier casing gained, each exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { enqueueHitReport } from '../../../electron/host/services/outbox/hitReports.ts';
import { OutboxRepo } from '../../../electron/host/storage/repos/outbox.ts';
import type { Hub } from '../../../electron/network/hub/server.ts';
import {
  enqueue,
  everyCandidateLeads,
  makeArtifact,
  makePki,
  openStation,
  removeDir,
  startTestHub,
  submissionInput,
  tempDir,
  until,
  type Station,
  type TestPki,
} from './harness.ts';

const everyoneLeads = everyCandidateLeads({ cmcAb: 9, cmcBa: 9, screening: 0.4 });

let dir: string;
let pki: TestPki;
let hub: Hub;
let lab1: Station;
let lab2: Station;

beforeAll(async () => {
  dir = tempDir('net-hit-delivery');
  pki = await makePki(join(dir, 'pki'));
  hub = await startTestHub(pki, join(dir, 'hub'), { scorer: everyoneLeads });
  lab1 = openStation(pki, pki.lab1, hub.url, tempDir('st'), { hits: true });
  lab2 = openStation(pki, pki.lab2, hub.url, tempDir('st'), { hits: true });
});
afterAll(async () => {
  await lab1?.close();
  await lab2?.close();
  await hub?.close();
  removeDir(dir);
});

describe('hit reports through the outbox', () => {
  it('sends a hit once through a faulty hub; the other station learns of it and of the lead, once each', async () => {
    const first = enqueue(lab1, submissionInput('L1-CASE', 'EXH-1', [makeArtifact(lab1.dir, 3000, 'x3p')]));
    lab1.worker.start();
    await lab1.worker.drained({ leads: true });
    // Lab 1's casing was alone of its calibre: no leads yet.
    expect(lab1.worker.store.get(first.id)!.leads).toEqual([]);

    const second = enqueue(lab2, submissionInput('L2-CASE', 'EXH-9', [makeArtifact(lab2.dir, 3000, 'x3p')]));
    lab2.worker.start();
    await lab2.worker.drained({ leads: true });
    const job = lab2.worker.store.get(second.id)!;
    expect(job.leads).toHaveLength(1);
    const lead = job.leads![0]!;

    // The hub now loses every other answer and processes requests twice: the report must still be recorded once.
    hub.setFaults({ dropResponseRate: 0.5, duplicateRate: 0.5, seed: 7 });
    const jobs = new OutboxRepo(lab2.db);
    const queued = lab2.db.transaction(() =>
      enqueueHitReport(
        { jobs, reports: lab2.hitReports! },
        {
          submissionJobId: job.id,
          leadId: lead.leadId,
          hitRef: 'HIT-1',
          conclusion: 'identification',
          confirmedAt: new Date().toISOString(),
        },
        Date.now(),
      ),
    )();
    expect(queued.state).toBe('queued');
    // A second confirmation of the same lead finds the first report.
    const again = enqueueHitReport(
      { jobs, reports: lab2.hitReports! },
      {
        submissionJobId: job.id,
        leadId: lead.leadId,
        hitRef: 'HIT-1',
        conclusion: 'identification',
        confirmedAt: new Date().toISOString(),
      },
      Date.now(),
    );
    expect(again.id).toBe(queued.id);
    lab2.worker.wake();
    await until(() => lab2.hitReports!.getHitReport(queued.id)!.state === 'recorded', 'the hit report to be recorded');
    hub.setFaults({});
    const recorded = lab2.hitReports!.getHitReport(queued.id)!;
    expect(recorded.hit?.receipt.idempotencyKey).toBe(recorded.fields.idempotencyKey);
    // The hub holds it once, however many times the request arrived.
    const hubSide = (await lab1.client.feed(0)).events.filter((e) => e.kind === 'hit');
    expect(hubSide).toHaveLength(1);

    // Lab 1's worker reads its feed: the lead from lab 2's later casing and the hit, each once.
    lab1.worker.readFeedSoon();
    await until(() => lab1.worker.store.get(first.id)!.networkHits.length > 0, 'lab 1 to learn of the hit');
    lab1.worker.readFeedSoon();
    await new Promise((r) => setTimeout(r, 200)); // more feed reads: nothing may be added twice
    const theirs = lab1.worker.store.get(first.id)!;
    expect(theirs.leads).toHaveLength(1);
    expect(theirs.leads![0]).toMatchObject({ otherLabId: 'LAB-2', otherCaseRef: 'L2-CASE' });
    // What lab 1 keeps (and would relay in a results bundle) is the hub's signed statement: asked for again once
    // the feed brought a lead the last statement did not hold.
    await until(
      () => lab1.worker.store.get(first.id)!.results?.statement.leads.length === 1,
      "the hub's signed results to hold the lead from the feed",
    );
    expect(lab1.worker.store.get(first.id)!.results!.statement.leads[0]).toEqual(theirs.leads![0]);
    expect(theirs.networkHits).toHaveLength(1);
    expect(theirs.networkHits[0]).toMatchObject({
      reportedByLabId: 'LAB-2',
      reportedCaseRef: 'L2-CASE',
      reportedItemRef: 'EXH-9',
      leadId: theirs.leads![0]!.leadId,
      conclusion: 'identification',
    });
  });

  it('refuses to queue a report for a lead the job does not have', () => {
    const jobs = new OutboxRepo(lab2.db);
    const job = jobs.list({ limit: 1 })[0]!;
    expect(() =>
      enqueueHitReport(
        { jobs, reports: lab2.hitReports! },
        {
          submissionJobId: job.id,
          leadId: 424242,
          hitRef: 'X',
          conclusion: 'identification',
          confirmedAt: new Date().toISOString(),
        },
        Date.now(),
      ),
    ).toThrow(/no network lead/);
  });
});
