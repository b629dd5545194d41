// Hit reports over real HTTPS: a lab reports a confirmed lead as a hit; the hub records it once, linked to both
// submissions, signs a receipt, and the other lab finds it (and the lead that led to it) in its feed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { canonicalJson } from '../../../electron/base/canonicalJson.ts';
import { hitReportBytes, sha256, verifyBytes, type Lead } from '../../../electron/network/protocol.ts';
import { buildSignedHitReport, type HitReportFields } from '../../../electron/network/outbox/hitReport.ts';
import type { Hub } from '../../../electron/network/hub/server.ts';
import { HubError } from '../../../electron/network/client.ts';
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
  type Station,
  type TestPki,
} from './harness.ts';

/** Every candidate of another lab is a lead (the hub's wiring is under test here, not the engine). */
const everyoneLeads = everyCandidateLeads({ cmcAb: 12, cmcBa: 14, screening: 0.5 });

let dir: string;
let pki: TestPki;
let hub: Hub;
let lab1: Station;
let lab2: Station;
let first: { submissionId: string }; // lab 1's, committed first
let second: { submissionId: string; lead: Lead }; // lab 2's, with its lead to lab 1's

async function deliver(station: Station, caseRef: string) {
  const job = enqueue(station, submissionInput(caseRef, 'EXH-1', [makeArtifact(station.dir, 3000, 'x3p')]));
  station.worker.start();
  await station.worker.drained();
  await hub.correlationIdle();
  const status = await station.client.status(station.worker.store.get(job.id)!.submissionId!);
  return { submissionId: status.submissionId, leads: status.leads ?? [] };
}

beforeAll(async () => {
  dir = tempDir('net-hits');
  pki = await makePki(join(dir, 'pki'));
  hub = await startTestHub(pki, join(dir, 'hub'), { scorer: everyoneLeads });
  lab1 = openStation(pki, pki.lab1, hub.url, tempDir('st'));
  lab2 = openStation(pki, pki.lab2, hub.url, tempDir('st'));
  first = await deliver(lab1, 'L1-CASE');
  const made = await deliver(lab2, 'L2-CASE');
  expect(made.leads).toHaveLength(1);
  second = { submissionId: made.submissionId, lead: made.leads[0]! };
});
afterAll(async () => {
  await lab1?.close();
  await lab2?.close();
  await hub?.close();
  removeDir(dir);
});

const fields = (overrides: Partial<HitReportFields> = {}): HitReportFields => ({
  idempotencyKey: randomUUID(),
  createdAt: new Date().toISOString(),
  submissionId: second.submissionId,
  leadId: second.lead.leadId,
  otherSubmissionId: first.submissionId,
  conclusion: 'identification',
  confirmedAt: new Date().toISOString(),
  hitRef: 'HIT-7',
  ...overrides,
});

async function refusal(promise: Promise<unknown>): Promise<HubError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HubError);
  return error as HubError;
}

describe('hit reports', () => {
  it('records a hit once, with a receipt signed by the hub about exactly that report', async () => {
    const request = buildSignedHitReport(lab2.signer, fields());
    const made = await lab2.client.reportHit(request);
    expect(made.created).toBe(true);
    const { receipt, receiptSignature } = made.hit;
    expect(receipt.reportSha256).toBe(sha256(hitReportBytes(request.report)));
    expect(receipt.idempotencyKey).toBe(request.report.idempotencyKey);
    expect(verifyBytes(lab2.client.hubSigningKey!, Buffer.from(canonicalJson(receipt)), receiptSignature)).toBe(true);
    // The same report again (a retry after a lost answer): the same hit, not a second one.
    const again = await lab2.client.reportHit(request);
    expect(again).toEqual({ created: false, hit: made.hit });
    // The same key for another report is refused.
    const changed = buildSignedHitReport(lab2.signer, { ...request.report, hitRef: 'HIT-8' });
    expect((await refusal(lab2.client.reportHit(changed))).code).toBe('idempotency_conflict');
  });

  it('refuses reports on another lab’s submission, on a lead that does not exist or is about another casing, and forged ones', async () => {
    // Lab 1 may not report on lab 2's submission (it is not theirs: reported as absent).
    const foreign = buildSignedHitReport(lab1.signer, fields());
    expect((await refusal(lab1.client.reportHit(foreign))).code).toBe('not_found');
    const noLead = buildSignedHitReport(lab2.signer, fields({ leadId: 999_999 }));
    expect((await refusal(lab2.client.reportHit(noLead))).code).toBe('not_found');
    const otherCasing = buildSignedHitReport(lab2.signer, fields({ otherSubmissionId: randomUUID() }));
    expect((await refusal(lab2.client.reportHit(otherCasing))).code).toBe('invalid_request');
    const forged = buildSignedHitReport(lab2.signer, fields());
    forged.report.hitRef = 'tampered';
    expect((await refusal(lab2.client.reportHit(forged))).code).toBe('manifest_signature_invalid');
    // Nothing personal travels: an unknown field is refused by the schema.
    const named = buildSignedHitReport(lab2.signer, fields());
    (named.report as Record<string, unknown>).examiner = 'J. Doe';
    expect((await refusal(lab2.client.reportHit(named))).code).toBe('invalid_request');
  });

  it('tells the other lab through its feed: the lead its earlier casing gained, then the hit, in order and in pages', async () => {
    const page1 = await lab1.client.feed(0, 1);
    expect(page1.more).toBe(true);
    expect(page1.events).toHaveLength(1);
    expect(page1.events[0]).toMatchObject({ kind: 'lead', submissionId: first.submissionId });
    const reverseLead = page1.events[0]!.kind === 'lead' ? page1.events[0]!.lead : undefined;
    expect(reverseLead).toMatchObject({
      otherSubmissionId: second.submissionId,
      otherLabId: 'LAB-2',
      otherCaseRef: 'L2-CASE',
    });
    expect(reverseLead!.detail).toMatchObject({ cmcAb: 14, cmcBa: 12 }); // seen from lab 1's side
    const page2 = await lab1.client.feed(page1.next, 100);
    expect(page2.more).toBe(false);
    const hits = page2.events.filter((e) => e.kind === 'hit');
    expect(hits).toHaveLength(1); // the repeated report made no second event
    expect(hits[0]).toMatchObject({
      kind: 'hit',
      submissionId: first.submissionId,
      hit: {
        submissionId: first.submissionId,
        leadId: reverseLead!.leadId,
        reportedByLabId: 'LAB-2',
        reportedCaseRef: 'L2-CASE',
        reportedItemRef: 'EXH-1',
        reportedSubmissionId: second.submissionId,
        conclusion: 'identification',
      },
    });
    // Asked again from its last position, the feed has nothing new.
    expect(await lab1.client.feed(page2.next)).toEqual({ events: [], next: page2.next, more: false });
    // Lab 2's feed has its own lead, never lab 1's events.
    const theirs = await lab2.client.feed(0);
    expect(theirs.events.every((e) => e.submissionId === second.submissionId)).toBe(true);
    expect(theirs.events.some((e) => e.kind === 'hit')).toBe(false);
  });
});
