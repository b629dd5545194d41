// The hub's results reach an air-gapped station through another station of the lab (a results bundle). The hub
// signs what it found — every lead in full and its notes, about one receipt — so the relaying station can carry
// them but not make them up: before issue 10 it could add a lead to a genuine receipt or change a lead's score or
// the other lab's reference, and the air-gapped station showed the result as the hub's. Here the whole way is
// real: a hub over HTTPS, the relaying station's outbox, and the air-gapped station's host and contract.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { canonicalJson } from '../../../electron/base/canonicalJson.ts';
import {
  exportResultsBundle,
  exportSubmissionBundle,
  importSubmissionBundle,
} from '../../../electron/network/bundle.ts';
import { OutboxRepo } from '../../../electron/host/storage/repos/outbox.ts';
import type { Hub } from '../../../electron/network/hub/server.ts';
import { enqueueSubmission, stationSigner } from '../../../electron/network/outbox/enqueue.ts';
import { writeCa, writeCredentials } from '../../../electron/network/pki.ts';
import {
  loadPrivateKey,
  resultsStatementBytes,
  signBytes,
  type ResultsStatement,
  type SignedResults,
} from '../../../electron/network/protocol.ts';
import { startSignedIn } from '../../fixtures/testHost.ts';
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

/** Every candidate becomes a lead (the CMC scorer is not what is tested here), with an LR to tamper with. */
const everyoneLeads = everyCandidateLeads({
  cmcAb: 9,
  cmcBa: 9,
  screening: 0.4,
  lr: { log10Lr: 1.2, interval: [0.8, 1.6], clipped: null, comparable: true, model: 'test', statement: 'moderate' },
});

interface BundleResult {
  idempotencyKey: string;
  results: (SignedResults & { certificate: string }) | null;
}
interface ResultsBody {
  results: BundleResult[];
}

let dir: string;
let pki: TestPki;
let hub: Hub;
let relay: Station;
let airGapped: Awaited<ReturnType<typeof startSignedIn>>;
let genuine: Buffer;
let jobIds: number[];

beforeAll(async () => {
  dir = tempDir('relayed-results');
  pki = await makePki(join(dir, 'pki'));
  hub = await startTestHub(pki, join(dir, 'hub'), { scorer: everyoneLeads });
  // Another lab's casing is on the network already, so each of ours gets a lead.
  const otherLab = openStation(pki, pki.lab2, hub.url, tempDir('relayed-lab2'));
  enqueue(otherLab, submissionInput('L2-7', 'Q-7', [makeArtifact(otherLab.dir, 3000, 'x3p')]));
  otherLab.worker.start();
  await otherLab.worker.drained({ leads: true });
  await otherLab.close();

  // The air-gapped station (a real host) queues two casings and carries them out in a bundle.
  const dataDir = tempDir('relayed-airgapped');
  writeCa(join(dataDir, 'network'), pki.ca);
  writeCredentials(join(dataDir, 'network'), 'station', pki.lab1);
  airGapped = await startSignedIn({ dataDir });
  const store = new OutboxRepo(airGapped.host.db);
  const signer = stationSigner(pki.lab1, pki.ca.certificate);
  jobIds = ['EXH-1', 'EXH-2'].map(
    (item) => enqueueSubmission(store, signer, submissionInput('AG-7', item, [makeArtifact(dataDir, 3000, 'x3p')])).id,
  );
  const submissions = join(dir, 'out.cbbundle');
  await exportSubmissionBundle(store, signer, submissions);

  // The connected station of the lab delivers them and exports what the hub said.
  relay = openStation(pki, pki.lab1b, hub.url, tempDir('relayed-relay'));
  await importSubmissionBundle(relay.worker.store, pki.ca.certificate, 'LAB-1', submissions, join(relay.dir, 'in'));
  relay.worker.start();
  await relay.worker.drained({ leads: true });
  const resultsPath = join(dir, 'results.cbbundle');
  expect((await exportResultsBundle(relay.worker.store, relay.signer, resultsPath)).results).toBe(2);
  genuine = readFileSync(resultsPath);
}, 60_000);

afterAll(async () => {
  await relay?.close();
  await airGapped?.dispose();
  await hub?.close();
  removeDir(dir);
});

/** The genuine bundle, changed by the relaying station and signed again with its own (genuine) key. */
function tampered(change: (body: ResultsBody) => void): Buffer {
  const files = unzipSync(genuine);
  const body = JSON.parse(Buffer.from(files['bundle.json']).toString('utf8')) as ResultsBody;
  change(body);
  const json = Buffer.from(canonicalJson(body));
  const signature = {
    certificate: pki.lab1b.certificate,
    signature: signBytes(loadPrivateKey(pki.lab1b.signingKey), json),
  };
  return Buffer.from(zipSync({ 'bundle.json': json, 'bundle.sig': Buffer.from(JSON.stringify(signature)) }));
}

/** Puts a bundle in the air-gapped station's imports folder and imports it through the contract. */
async function importResults(bytes: Buffer) {
  const name = `${randomUUID()}.cbbundle`;
  const imports = join(airGapped.dataDir, 'imports');
  mkdirSync(imports, { recursive: true });
  writeFileSync(join(imports, name), bytes);
  return { name, imported: airGapped.client.call('outbox.importResults', { name }) };
}

function statementOf(body: ResultsBody, index: number): ResultsStatement {
  return body.results[index]!.results!.statement;
}

async function expectRefused(bytes: Buffer, message: RegExp) {
  const { name, imported } = await importResults(bytes);
  await expect(imported).rejects.toMatchObject({ code: 'integrity', message: expect.stringMatching(message) });
  // Nothing of the bundle was applied (not even its first, untouched result) and the refusal is on the audit trail.
  const jobs = (await airGapped.client.call('outbox.list', {})).jobs;
  expect(jobs.filter((j) => jobIds.includes(j.id)).map((j) => [j.state, j.leads])).toEqual([
    ['queued', null],
    ['queued', null],
  ]);
  const entry = airGapped.host.db
    .prepare(
      `SELECT entity_id, after_json FROM audit_log WHERE action = 'outbox.importResultsRefused' ORDER BY seq DESC`,
    )
    .get() as { entity_id: string; after_json: string };
  expect(entry.entity_id).toBe(name);
  expect(JSON.parse(entry.after_json).refused).toMatch(message);
}

const altered = /leads for .*not signed by the hub that signed the receipt: altered or forged/;

describe('results relayed by another station of the lab', { timeout: 60_000 }, () => {
  it('the relaying station cannot add a lead to a genuine receipt', async () => {
    await expectRefused(
      tampered((body) => {
        const leads = statementOf(body, 1).leads;
        leads.push({ ...leads[0]!, leadId: 999_999, otherLabId: 'LAB-9', otherCaseRef: 'INVENTED' });
      }),
      altered,
    );
  });

  it("nor change a lead's score, likelihood ratio or the other lab's reference, nor drop one", async () => {
    await expectRefused(
      tampered((body) => void (statementOf(body, 1).leads[0]!.score = 99)),
      altered,
    );
    await expectRefused(
      tampered((body) => void (statementOf(body, 1).leads[0]!.detail!.lr!.log10Lr = 9)),
      altered,
    );
    await expectRefused(
      tampered((body) => void (statementOf(body, 1).leads[0]!.otherCaseRef = 'SOMEONE-ELSE')),
      altered,
    );
    await expectRefused(
      tampered((body) => void statementOf(body, 1).leads.splice(0)),
      altered,
    );
  });

  it("nor sign leads with its own certificate of the network's CA, nor leave the hub's signature out", async () => {
    await expectRefused(
      tampered((body) => {
        const result = body.results[1]!.results!;
        result.statement.leads[0]!.score = 99;
        result.signature = signBytes(loadPrivateKey(pki.lab1b.signingKey), resultsStatementBytes(result.statement));
        result.certificate = pki.lab1b.certificate;
      }),
      /leads for .*not a hub certificate .*no serverAuth/,
    );
    await expectRefused(
      tampered((body) => void delete (body.results[1]!.results as Partial<SignedResults>).signature),
      /does not follow the bundle format/,
    );
  });

  it('the genuine results apply, and the leads are the hub’s, shown with their case', async () => {
    const { imported } = await importResults(genuine);
    expect(await imported).toEqual({ applied: 2, unknown: 0 });
    const leads = await airGapped.client.call('outbox.leads', {});
    expect(leads).toHaveLength(2);
    for (const lead of leads)
      expect(lead).toMatchObject({
        job: { caseRef: 'AG-7', state: 'correlated' },
        lead: { score: 9, otherLabId: 'LAB-2', otherCaseRef: 'L2-7', detail: { lr: { log10Lr: 1.2 } } },
      });
    const entry = airGapped.host.db
      .prepare(`SELECT after_json FROM audit_log WHERE action = 'outbox.importResults' ORDER BY seq DESC`)
      .pluck()
      .get() as string;
    expect(JSON.parse(entry)).toEqual({ applied: 2, unknown: 0 });
    // What was applied is the hub's statement, kept to be checked (and relayed) again.
    const kept = new OutboxRepo(airGapped.host.db).get(jobIds[0]!)!;
    expect(kept.results!.certificate).toBe(pki.hub.certificate);
    expect(kept.leads).toEqual(kept.results!.statement.leads);
  });
});
