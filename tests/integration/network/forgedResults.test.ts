// A results bundle carries hub receipts back to an air-gapped station. Before issue 10 any certificate of the
// network CA was taken as the hub's: another station of the same lab signed a receipt (and a lead) for a job
// that was never sent, and the station showed it "correlated, leads 1". Now a receipt must be signed by the hub:
// a serverAuth certificate of the CA naming the hub the receipt names, valid when it signed. And the leads are the
// hub's signed statement about that receipt: before, the relaying station could add a lead to a genuine receipt, or
// change a lead's score or the other lab's reference, and the air-gapped station took it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { canonicalJson } from '../../../electron/base/canonicalJson.ts';
import { BundleError, importResultsBundle, resultsBundleFormat } from '../../../electron/network/bundle.ts';
import { checkHubCertificate, issue, type Credentials } from '../../../electron/network/pki.ts';
import {
  loadPrivateKey,
  manifestBytes,
  receiptBytes,
  resultsStatementBytes,
  resultsStatementFormat,
  sha256,
  signBytes,
  type Lead,
  type Receipt,
  type ResultsStatement,
} from '../../../electron/network/protocol.ts';
import type { OutboxJob } from '../../../electron/network/outbox/store.ts';
import {
  enqueue,
  makeArtifact,
  makePki,
  openStation,
  removeDir,
  submissionInput,
  tempDir,
  type Station,
  type TestPki,
} from './harness.ts';

let dir: string;
let pki: TestPki;
let offline: Station;
beforeAll(async () => {
  dir = tempDir('forged-results');
  pki = await makePki(join(dir, 'pki'));
  offline = openStation(pki, pki.lab1, 'https://127.0.0.1:1', tempDir('forged-offline'));
});
afterAll(async () => {
  await offline.close();
  removeDir(dir);
});

function receiptFor(job: OutboxJob, overrides: Partial<Receipt> = {}): Receipt {
  return {
    hubId: 'hub-1',
    submissionId: randomUUID(),
    idempotencyKey: job.idempotencyKey,
    manifestSha256: sha256(manifestBytes(job.manifest)),
    artifacts: job.manifest.artifacts.map((a) => a.sha256),
    committedAt: new Date().toISOString(),
    ...overrides,
  };
}

/** The hub's signed results for a receipt, as a hub signs them (or anyone holding `signer`'s key). */
function signedResults(receipt: Receipt, signer: Credentials, leads: Lead[] = [aLead()], overrides = {}) {
  const statement: ResultsStatement = {
    format: resultsStatementFormat,
    hubId: receipt.hubId,
    submissionId: receipt.submissionId,
    idempotencyKey: receipt.idempotencyKey,
    receiptSha256: sha256(receiptBytes(receipt)),
    state: 'correlated',
    leads,
    correlationNotes: [],
    signedAt: new Date().toISOString(),
    ...overrides,
  };
  return {
    statement,
    signature: signBytes(loadPrivateKey(signer.signingKey), resultsStatementBytes(statement)),
    certificate: signer.certificate,
  };
}

function aLead(): Lead {
  return {
    leadId: 1,
    score: 30,
    scorer: 'cmc/1',
    calibre: '9mm Luger',
    otherLabId: 'LAB-9',
    otherCaseRef: 'X',
    otherItemRef: 'Y',
    otherSubmissionId: randomUUID(),
    otherArtifacts: [],
    createdAt: new Date().toISOString(),
  };
}

/** A results bundle as the relaying station of the lab makes one, with the receipt signed by `signer`. */
function resultsBundle(
  job: OutboxJob,
  receipt: Receipt,
  signer: Credentials,
  results: ReturnType<typeof signedResults> | null = null,
  format = resultsBundleFormat,
): string {
  const body = {
    format,
    bundleId: randomUUID(),
    createdAt: new Date().toISOString(),
    labId: 'LAB-1',
    results: [
      {
        idempotencyKey: job.idempotencyKey,
        receipt,
        receiptSignature: signBytes(loadPrivateKey(signer.signingKey), receiptBytes(receipt)),
        hubCertificate: signer.certificate,
        results,
      },
    ],
  };
  return sealedByRelay(body);
}

/** Writes `body` as a bundle signed by the lab's relaying station (a genuine bundle signature: it is of the lab). */
function sealedByRelay(body: unknown): string {
  const json = Buffer.from(canonicalJson(body));
  const relay = pki.lab1b;
  const sig = { certificate: relay.certificate, signature: signBytes(loadPrivateKey(relay.signingKey), json) };
  const path = join(dir, `${randomUUID()}.cbbundle`);
  writeFileSync(path, zipSync({ 'bundle.json': json, 'bundle.sig': Buffer.from(JSON.stringify(sig)) }, { level: 0 }));
  return path;
}

const queuedJob = () =>
  enqueue(offline, submissionInput('FR-1', `Q-${randomUUID().slice(0, 6)}`, [makeArtifact(offline.dir, 256)]));

async function refused(path: string, message: RegExp) {
  await expect(importResultsBundle(offline.worker.store, pki.ca.certificate, 'LAB-1', path)).rejects.toThrow(
    BundleError,
  );
  await expect(importResultsBundle(offline.worker.store, pki.ca.certificate, 'LAB-1', path)).rejects.toThrow(message);
}

describe('results bundles', () => {
  it('refuse a receipt signed by another station of the lab: the job stays queued, without leads', async () => {
    const job = queuedJob();
    await refused(resultsBundle(job, receiptFor(job), pki.lab1b), /not a hub certificate .*no serverAuth/);
    expect(offline.worker.store.get(job.id)).toMatchObject({ state: 'queued', leads: null, receipt: null });
  });

  it('refuse a hub certificate of another hub, an expired one, and a receipt dated in the future', async () => {
    const job = queuedJob();
    const otherHub = await issue(pki.ca, { kind: 'hub', organization: 'TestNet', unit: 'hub-2' });
    await refused(
      resultsBundle(job, receiptFor(job), otherHub),
      /certificate is hub "hub-2"'s, but the receipt names hub "hub-1"/,
    );
    const expiredHub = await issue(pki.ca, {
      kind: 'hub',
      organization: 'TestNet',
      unit: 'hub-1',
      notBefore: new Date(Date.now() - 10 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    await refused(resultsBundle(job, receiptFor(job), expiredHub), /hub certificate had expired/);
    const future = receiptFor(job, { committedAt: new Date(Date.now() + 86_400_000).toISOString() });
    await refused(resultsBundle(job, future, pki.hub), /dated in the future/);
    expect(offline.worker.store.get(job.id)!.state).toBe('queued');
  });

  it('refuse a receipt or leads backdated into an expired hub certificate: nothing is signed before the job existed', async () => {
    // The key of a retired hub certificate (a decommissioned hub's disk) signs a receipt and leads dated while that
    // certificate was valid. The job was made after it expired, so no genuine receipt can be that old.
    const job = queuedJob();
    const retiredHub = await issue(pki.ca, {
      kind: 'hub',
      organization: 'TestNet',
      unit: 'hub-1',
      notBefore: new Date(Date.now() - 10 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    const backdated = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const receipt = receiptFor(job, { committedAt: backdated });
    await refused(
      resultsBundle(job, receipt, retiredHub, signedResults(receipt, retiredHub, [aLead()], { signedAt: backdated })),
      /receipt for .* is dated .*, before this station made the submission/,
    );
    // A genuine receipt with leads the retired key signed, backdated to before the receipt.
    const genuine = receiptFor(job);
    await refused(
      resultsBundle(job, genuine, pki.hub, signedResults(genuine, retiredHub, [aLead()], { signedAt: backdated })),
      /leads for .* is dated .*, before the receipt they are about/,
    );
    expect(offline.worker.store.get(job.id)).toMatchObject({ state: 'queued', leads: null, results: null });
  });

  it('apply a receipt the hub signed, while its certificate was valid, for exactly this job', async () => {
    const job = queuedJob();
    const otherArtifacts = receiptFor(job, { artifacts: ['0'.repeat(64)] });
    await refused(resultsBundle(job, otherArtifacts, pki.hub), /describes a different submission/);
    const receipt = receiptFor(job);
    expect(
      await importResultsBundle(
        offline.worker.store,
        pki.ca.certificate,
        'LAB-1',
        resultsBundle(job, receipt, pki.hub, signedResults(receipt, pki.hub)),
      ),
    ).toEqual({
      applied: 1,
      unknown: 0,
    });
    expect(offline.worker.store.get(job.id)).toMatchObject({ state: 'correlated', leads: [{ otherCaseRef: 'X' }] });
  });

  it('take a later statement of the hub (leads later submissions gave) and never go back to an older one', async () => {
    const job = queuedJob();
    const receipt = receiptFor(job);
    const import_ = (path: string) => importResultsBundle(offline.worker.store, pki.ca.certificate, 'LAB-1', path);
    const first = aLead();
    const older = signedResults(receipt, pki.hub, [first], { signedAt: new Date(Date.now() - 60_000).toISOString() });
    const newer = signedResults(receipt, pki.hub, [first, { ...aLead(), leadId: 2, otherCaseRef: 'LATER' }]);
    await import_(resultsBundle(job, receipt, pki.hub, older));
    expect(offline.worker.store.get(job.id)!.leads).toHaveLength(1);
    expect(await import_(resultsBundle(job, receipt, pki.hub, newer))).toEqual({ applied: 1, unknown: 0 });
    expect(offline.worker.store.get(job.id)).toMatchObject({
      state: 'correlated',
      leads: [{ leadId: 1 }, { leadId: 2, otherCaseRef: 'LATER' }],
      results: { statement: { signedAt: newer.statement.signedAt } },
    });
    // The older statement again (a relaying station withholding the later leads): the station keeps the later one.
    await import_(resultsBundle(job, receipt, pki.hub, older));
    expect(offline.worker.store.get(job.id)!.leads).toHaveLength(2);
    // Nor does a bundle without results put a correlated job back to committed.
    await import_(resultsBundle(job, receipt, pki.hub, null));
    expect(offline.worker.store.get(job.id)).toMatchObject({ state: 'correlated', leads: [{}, {}] });
  });

  it('refuse leads not signed by the hub: by a station of the same CA, another hub, about another receipt, or from the future', async () => {
    const job = queuedJob();
    const receipt = receiptFor(job);
    const bundle = (results: ReturnType<typeof signedResults>) => resultsBundle(job, receipt, pki.hub, results);
    // The relaying station signs the leads itself (its certificate is of the network CA, but not the hub's).
    await refused(bundle(signedResults(receipt, pki.lab1b)), /leads for .*not a hub certificate .*no serverAuth/);
    const otherHub = await issue(pki.ca, { kind: 'hub', organization: 'TestNet', unit: 'hub-2' });
    await refused(
      bundle(signedResults(receipt, otherHub)),
      /leads for .*hub "hub-2"'s, but the receipt names hub "hub-1"/,
    );
    // Genuine hub leads of another submission, put under this receipt.
    await refused(
      bundle(signedResults(receiptFor(job), pki.hub)),
      /leads for .*the signed results are about another receipt/,
    );
    // The statement names another hub certificate than the key that signed it.
    await refused(
      bundle({ ...signedResults(receipt, otherHub), certificate: pki.hub.certificate }),
      /leads for .*not signed by the hub that signed the receipt/,
    );
    await refused(
      bundle(signedResults(receipt, pki.hub, [aLead()], { signedAt: new Date(Date.now() + 86_400_000).toISOString() })),
      /leads for .*dated in the future/,
    );
    expect(offline.worker.store.get(job.id)).toMatchObject({ state: 'queued', leads: null, results: null });
  });

  it('refuse a results bundle of the older format, whose leads were unsigned, and leads beside the statement', async () => {
    const job = queuedJob();
    const receipt = receiptFor(job);
    await refused(
      resultsBundle(job, receipt, pki.hub, null, 'casebench-results-bundle/1'),
      /made by an older station and carries leads the hub did not sign/,
    );
    // Leads next to the receipt, outside any statement, as version 1 carried them: not part of the format.
    const body = {
      format: resultsBundleFormat,
      bundleId: randomUUID(),
      createdAt: new Date().toISOString(),
      labId: 'LAB-1',
      results: [
        {
          idempotencyKey: job.idempotencyKey,
          receipt,
          receiptSignature: signBytes(loadPrivateKey(pki.hub.signingKey), receiptBytes(receipt)),
          hubCertificate: pki.hub.certificate,
          results: null,
          leads: [aLead()],
        },
      ],
    };
    await refused(sealedByRelay(body), /does not follow the bundle format/);
    expect(offline.worker.store.get(job.id)).toMatchObject({ state: 'queued', leads: null });
  });

  it('checks the hub name when the station knows its hub', () => {
    const at = new Date();
    expect(() =>
      checkHubCertificate(pki.hub.certificate, pki.ca.certificate, { at, hubId: 'hub-1', hostname: 'localhost' }),
    ).not.toThrow();
    expect(() =>
      checkHubCertificate(pki.hub.certificate, pki.ca.certificate, { at, hubId: 'hub-1', hostname: '127.0.0.1' }),
    ).not.toThrow();
    expect(() =>
      checkHubCertificate(pki.hub.certificate, pki.ca.certificate, {
        at,
        hubId: 'hub-1',
        hostname: 'hub.evil.example',
      }),
    ).toThrow(/does not name hub.evil.example/);
    expect(() => checkHubCertificate(pki.lab1.certificate, pki.ca.certificate, { at, hubId: 'ST-1' })).toThrow(
      /serverAuth/,
    );
  });
});
