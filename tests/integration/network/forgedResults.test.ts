// A results bundle carries hub receipts back to an air-gapped station. Before issue 10 any certificate of the
// network CA was taken as the hub's: another station of the same lab signed a receipt (and a lead) for a job
// that was never sent, and the station showed it "correlated, leads 1". Now a receipt must be signed by the hub:
// a serverAuth certificate of the CA naming the hub the receipt names, valid when it signed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { canonicalJson } from '../../../electron/base/canonicalJson.ts';
import { BundleError, importResultsBundle } from '../../../electron/network/bundle.ts';
import { checkHubCertificate, issue, type Credentials } from '../../../electron/network/pki.ts';
import { loadPrivateKey, manifestBytes, sha256, signBytes, type Receipt } from '../../../electron/network/protocol.ts';
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

/** A results bundle as the relaying station of the lab makes one, with the receipt signed by `signer`. */
function resultsBundle(job: OutboxJob, receipt: Receipt, signer: Credentials): string {
  const body = {
    format: 'casebench-results-bundle/1',
    bundleId: randomUUID(),
    createdAt: new Date().toISOString(),
    labId: 'LAB-1',
    results: [
      {
        idempotencyKey: job.idempotencyKey,
        receipt,
        receiptSignature: signBytes(loadPrivateKey(signer.signingKey), Buffer.from(canonicalJson(receipt))),
        hubCertificate: signer.certificate,
        leads: [
          {
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
          },
        ],
      },
    ],
  };
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

  it('apply a receipt the hub signed, while its certificate was valid, for exactly this job', async () => {
    const job = queuedJob();
    const otherArtifacts = receiptFor(job, { artifacts: ['0'.repeat(64)] });
    await refused(resultsBundle(job, otherArtifacts, pki.hub), /describes a different submission/);
    expect(
      await importResultsBundle(
        offline.worker.store,
        pki.ca.certificate,
        'LAB-1',
        resultsBundle(job, receiptFor(job), pki.hub),
      ),
    ).toEqual({
      applied: 1,
      unknown: 0,
    });
    expect(offline.worker.store.get(job.id)!.state).toBe('correlated');
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
