// A casing that many later searches find gathers a reverse lead from each (thousands at 10^7 casings): a status
// answer holding them all would pass what a station reads, and its job could never read its status again. The hub
// answers with the best leads only (and, from revision 3, how many it holds); every lead reaches the station once
// through its feed. Real HTTPS with mutual TLS, a SQLite hub (PostgreSQL hubs answer through the same describe), a
// station's outbox worker reading its feed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { HubClient } from '../../../electron/network/client.ts';
import type { Hub } from '../../../electron/network/hub/server.ts';
import type { CasingScorer } from '../../../electron/network/hub/scorer.ts';
import {
  enqueue,
  makeArtifact,
  makePki,
  openStation,
  removeDir,
  startTestHub,
  submissionInput,
  tempDir,
  type Station,
  type TestPki,
} from './harness.ts';

const cap = 3;
const laterCasings = 7;

/** Leads every candidate, each correlation with a higher score than the one before (so the best are the latest). */
function risingScores(): CasingScorer {
  let score = 0;
  return {
    name: 'test/rising',
    correlate: async (_query, candidates) => {
      if (candidates.length > 0) score += 1;
      return {
        leads: candidates.map((c) => ({
          otherSubmissionId: c.submissionId,
          score,
          scorer: 'test/rising',
          detail: { cmcAb: score, cmcBa: score, screening: 0.5 },
        })),
        notes: [],
      };
    },
    close: async () => {},
  };
}

let dir: string;
let pki: TestPki;
let hub: Hub;
const stations: Station[] = [];

beforeAll(async () => {
  dir = tempDir('leadcap');
  pki = await makePki(join(dir, 'pki'));
  hub = await startTestHub(pki, join(dir, 'hub'), { scorer: risingScores(), maxLeadsPerAnswer: cap });
});
afterAll(async () => {
  for (const s of stations) await s.close();
  await hub?.close();
  removeDir(dir);
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = AbortSignal.timeout(30_000);
  while (!condition()) {
    if (deadline.aborted) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('leads per status answer', { timeout: 90_000 }, () => {
  it('a casing with more reverse leads than an answer carries: status still read, every lead once through the feed', async () => {
    const lab1 = openStation(pki, pki.lab1, hub.url, join(dir, 'lab1'), { hits: true });
    const lab2 = openStation(pki, pki.lab2, hub.url, join(dir, 'lab2'));
    stations.push(lab1, lab2);
    const ours = enqueue(lab1, submissionInput('L1-1', 'Q', [makeArtifact(lab1.dir, 2000, 'x3p')]));
    lab1.worker.start();
    await lab1.worker.drained({ leads: true, signal: AbortSignal.timeout(30_000) });
    expect(lab1.worker.store.get(ours.id)!.state).toBe('correlated');

    // Later casings of another lab, each search finding ours: a reverse lead on our submission each time.
    for (let i = 0; i < laterCasings; i++)
      enqueue(lab2, submissionInput(`L2-${i}`, `Q${i}`, [makeArtifact(lab2.dir, 2000 + i, 'x3p')]));
    lab2.worker.start();
    await lab2.worker.drained({ leads: true, signal: AbortSignal.timeout(60_000) });
    await hub.correlationIdle();

    // The station's feed brings every lead; its job shows each exactly once.
    await until(() => (lab1.worker.store.get(ours.id)!.leads ?? []).length >= laterCasings, 'the feed leads');
    const submissionId = lab1.worker.store.get(ours.id)!.receipt!.submissionId;
    const answer = await lab1.client.status(submissionId);
    expect(answer.state).toBe('correlated');
    expect(answer.leads).toHaveLength(cap);
    expect(answer.leadCount).toBe(laterCasings);
    expect(answer.leads!.map((l) => l.score)).toEqual([7, 6, 5]);
    expect(answer.results!.statement.leads).toEqual(answer.leads);
    expect(answer.results!.statement.leadCount).toBe(laterCasings);

    // Once the station has fetched the (partial) statement again, the feed's leads stay beside it.
    await until(() => lab1.worker.store.get(ours.id)!.results?.statement.leads.length === cap, 'the signed statement');
    const job = lab1.worker.store.get(ours.id)!;
    const ids = job.leads!.map((l) => l.leadId);
    expect(ids).toHaveLength(laterCasings);
    expect(new Set(ids).size).toBe(laterCasings);
    expect(job.leads!.map((l) => l.score)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(job.results!.statement.leadCount).toBe(laterCasings);
  });

  it('a station of an earlier revision gets the same best leads, without the count its schema would refuse', async () => {
    const ours = stations[0]!.worker.store.list().find((j) => j.state === 'correlated')!;
    const old = new HubClient({
      url: hub.url,
      ca: pki.ca.certificate,
      credentials: pki.lab1,
      timeoutMs: 5_000,
      protocolRevision: 2,
    });
    try {
      const answer = await old.status(ours.receipt!.submissionId);
      expect(answer.leads).toHaveLength(cap);
      expect(answer).not.toHaveProperty('leadCount');
      expect(answer.results!.statement).not.toHaveProperty('leadCount');
    } finally {
      old.close();
    }
  });
});
