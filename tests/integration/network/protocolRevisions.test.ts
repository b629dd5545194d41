// Stations and hubs of different releases speak casebench-exchange/1 together, over real HTTPS with mutual TLS:
//  - a station of the previous release (no revision header; its lead schema strict, knowing only the CMC counts,
//    screening and calibrated frequency) gets from this hub leads it accepts, signed as sent: the fields later
//    revisions added (screened, cut, LR, foundBy…) are left out for it;
//  - this release's station gets every field, signed;
//  - a hub that sends fields this station does not know (a newer one) is tolerated: the leads are taken, their
//    signature verifies, the unknown fields stay in the kept statement only and are never shown;
//  - a hub of the previous release (leads of revision 1 only, no header read) serves this station as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { z } from 'zod';
import { HubClient } from '../../../electron/network/client.ts';
import type { Hub } from '../../../electron/network/hub/server.ts';
import { signedResultsProblem } from '../../../electron/network/protocol.ts';
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

/** The lead schema of the previous release (before revisions): strict at every level, as such a station has it. */
const previousReleaseLead = z.strictObject({
  leadId: z.number().int(),
  score: z.number(),
  scorer: z.string(),
  calibre: z.string(),
  region: z.enum(['breech_face', 'firing_pin', 'ejector_mark', 'whole']).optional(),
  otherLabId: z.string(),
  otherCaseRef: z.string(),
  otherItemRef: z.string(),
  otherSubmissionId: z.uuid(),
  detail: z
    .strictObject({
      cmcAb: z.number(),
      cmcBa: z.number(),
      screening: z.number(),
      calibrated: z.string().max(1000).optional(),
    })
    .optional(),
  otherArtifacts: z.array(
    z.strictObject({
      role: z.enum(['image', 'x3p', 'features']),
      name: z.string(),
      mediaType: z.string(),
      sha256: z.string(),
      size: z.number(),
    }),
  ),
  createdAt: z.iso.datetime(),
});

/** What this release's hubs put in a lead's detail (fields of revision 2 included). */
const revision2Detail = {
  cmcAb: 11,
  cmcBa: 13,
  screening: 0.55,
  calibrated: 'a count this high occurs in 0 of 717 known non-matches',
  screened: 400,
  registered: 40,
  fullyScored: 10,
  cut: 0.31,
  expectedMissRate: 0.04,
  cutReference: 'test reference',
  signatureRank: 3,
  registration: 0.47,
  lr: {
    log10Lr: 2.1,
    interval: [1.5, 2.7] as [number, number],
    clipped: null,
    comparable: true,
    model: 'm',
    statement: 's',
  },
};

let dir: string;
let pki: TestPki;
const hubs: Hub[] = [];
const stations: Station[] = [];
const clients: HubClient[] = [];

beforeAll(async () => {
  dir = tempDir('revisions');
  pki = await makePki(join(dir, 'pki'));
});
afterAll(async () => {
  for (const c of clients) c.close();
  for (const s of stations) await s.close();
  for (const h of hubs) await h.close();
  removeDir(dir);
});

/** A hub whose every candidate leads with `detail`; lab 2 submits, then lab 1 (whose casing gets the lead). */
async function correlatedPair(name: string, detail: object) {
  const hub = await startTestHub(pki, join(dir, name), {
    scorer: everyCandidateLeads(detail as Parameters<typeof everyCandidateLeads>[0]),
  });
  hubs.push(hub);
  const lab2 = openStation(pki, pki.lab2, hub.url, join(dir, `${name}-lab2`));
  const lab1 = openStation(pki, pki.lab1, hub.url, join(dir, `${name}-lab1`), { hits: true });
  stations.push(lab2, lab1);
  enqueue(lab2, submissionInput('L2-1', 'Q', [makeArtifact(lab2.dir, 2000, 'x3p')]));
  lab2.worker.start();
  await lab2.worker.drained({ leads: true });
  const job = enqueue(lab1, submissionInput('L1-1', 'Q', [makeArtifact(lab1.dir, 2000, 'x3p')]));
  lab1.worker.start();
  await lab1.worker.drained({ leads: true });
  return { hub, lab1, lab2, job: lab1.worker.store.get(job.id)! };
}

/** A client of the same lab 1 station, speaking as a station of `revision`. */
function clientOf(hub: Hub, revision: number): HubClient {
  const client = new HubClient({
    url: hub.url,
    ca: pki.ca.certificate,
    credentials: pki.lab1,
    protocolRevision: revision,
  });
  clients.push(client);
  return client;
}

describe('protocol revisions between releases', { timeout: 60_000 }, () => {
  it('gives a station of the previous release leads it accepts, signed as sent; this release gets every field', async () => {
    const { hub, job } = await correlatedPair('new-hub', revision2Detail);
    const submissionId = job.receipt!.submissionId;

    const old = clientOf(hub, 1);
    const answer = await old.status(submissionId);
    expect(answer.leads).toHaveLength(1);
    for (const lead of [...answer.leads!, ...answer.results!.statement.leads])
      expect(previousReleaseLead.safeParse(lead).error).toBeUndefined();
    expect(answer.leads![0]!.detail).toEqual({
      cmcAb: 11,
      cmcBa: 13,
      screening: 0.55,
      calibrated: revision2Detail.calibrated,
    });
    expect(signedResultsProblem(answer.results!, old.hubSigningKey!, job.receipt!)).toBeNull();
    // Its feed, too (lab 1's earlier casings gain leads through it): nothing of a later revision.
    const feed = await clientOf(hub, 1).feed(0);
    expect(feed.events.filter((e) => e.kind === 'lead')).not.toHaveLength(0);
    for (const event of feed.events)
      if (event.kind === 'lead') expect(previousReleaseLead.safeParse(event.lead).error).toBeUndefined();

    // This release's station: every field, signed; and what its worker kept shows them.
    const current = clientOf(hub, 2);
    const full = await current.status(submissionId);
    expect(full.leads![0]!.detail).toEqual(revision2Detail);
    expect(signedResultsProblem(full.results!, current.hubSigningKey!, job.receipt!)).toBeNull();
    expect(job.state).toBe('correlated');
    expect(job.leads![0]!.detail).toEqual(revision2Detail);
  });

  it('sends no detail field this hub does not know (a row a newer worker stored), at any depth, signed as sent', async () => {
    // A station's own tolerance of fields from a newer hub is pinned in protocol.test ('tolerate fields of later
    // revisions') and newerHubAnswers.test; here the hub keeps to what the station's revision knows (an allow-list).
    const newer = { ...revision2Detail, heatmap: { cells: [1, 2, 3] }, lr: { ...revision2Detail.lr, prior: 'flat' } };
    const { job } = await correlatedPair('newer-worker', newer);
    expect(job.state).toBe('correlated'); // the signed results verified
    expect(job.results!.statement.leads[0]!.detail).toEqual(revision2Detail);
    expect(job.leads![0]!.detail).toEqual(revision2Detail);
  });

  it('takes the leads of a hub of the previous release (revision-1 fields only)', async () => {
    const previous = { cmcAb: 9, cmcBa: 8, screening: 0.4 };
    const { job } = await correlatedPair('old-hub', previous);
    expect(job.state).toBe('correlated');
    expect(job.leads![0]!.detail).toEqual(previous);
  });

  it('gives revision 4 the miss rate range, whether it can be estimated and the LR between classes; revision 3 not', async () => {
    const range = { low: 0.31, high: 0.93 };
    const revision4Detail = {
      ...revision2Detail,
      missRateRange: range,
      missRateEstimable: false,
      lr: { ...revision2Detail.lr, betweenClasses: true },
    };
    const { hub, job, lab2 } = await correlatedPair('revision-4', revision4Detail);
    const submissionId = job.receipt!.submissionId;
    // This release's station kept and shows them; the other lab's reverse lead has the range under foundBy.
    expect(job.leads![0]!.detail).toEqual(revision4Detail);
    const [theirs] = await hub.records.leadsFor(lab2.worker.store.list()[0]!.receipt!.submissionId);
    expect(theirs!.detail).toMatchObject({
      lr: { betweenClasses: true },
      foundBy: { missRateRange: range, missRateEstimable: false, screened: 400 },
    });
    // A station of the previous release (revision 3) gets none of them, at any depth, and the signature holds.
    const previous = clientOf(hub, 3);
    const answer = await previous.status(submissionId);
    expect(answer.leads![0]!.detail).toEqual(revision2Detail);
    expect(answer.results!.statement.leads[0]!.detail).toEqual(revision2Detail);
    expect(signedResultsProblem(answer.results!, previous.hubSigningKey!, job.receipt!)).toBeNull();
    const feed = await clientOf(hub, 3).feed(0);
    for (const event of feed.events)
      if (event.kind === 'lead') {
        expect(event.lead.detail).not.toHaveProperty('missRateRange');
        expect(event.lead.detail).not.toHaveProperty('lr.betweenClasses');
      }
  });
});
