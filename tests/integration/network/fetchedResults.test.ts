// A connected station takes leads only from the hub's signed results: a correlated answer whose statement does not
// verify with the key of the hub it is connected to, or names another receipt, or carries no statement, leaves the
// job committed, with the reason shown, and the station asks again. The hub is stood in for by a client that
// answers what each case needs (the real hub never sends such answers; relayedResults.test.ts runs the real one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { HubClient } from '../../../electron/network/client.ts';
import { openDatabase } from '../../../electron/host/storage/database.ts';
import { OutboxRepo } from '../../../electron/host/storage/repos/outbox.ts';
import { enqueueSubmission, stationSigner } from '../../../electron/network/outbox/enqueue.ts';
import { OutboxWorker } from '../../../electron/network/outbox/worker.ts';
import { checkHubCertificate } from '../../../electron/network/pki.ts';
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
  type SignedResults,
  type SubmissionResponse,
} from '../../../electron/network/protocol.ts';
import { makeArtifact, makePki, removeDir, submissionInput, tempDir, until, type TestPki } from './harness.ts';

let dir: string;
let pki: TestPki;
beforeAll(async () => {
  dir = tempDir('fetched-results');
  pki = await makePki(join(dir, 'pki'));
});
afterAll(() => removeDir(dir));

const lead: Lead = {
  leadId: 5,
  score: 12,
  scorer: 'cmc/1',
  calibre: '9mm Luger',
  otherLabId: 'LAB-2',
  otherCaseRef: 'L2-1',
  otherItemRef: 'Q1',
  otherSubmissionId: randomUUID(),
  otherArtifacts: [],
  createdAt: new Date().toISOString(),
};

function signed(receipt: Receipt, leads: Lead[], key = pki.hub.signingKey): SignedResults {
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
  };
  return { statement, signature: signBytes(loadPrivateKey(key), resultsStatementBytes(statement)) };
}

/** A committed job and a worker whose hub answers the leads poll with `answer(receipt)`. */
async function pollWith(answer: (receipt: Receipt) => Partial<SubmissionResponse>) {
  const stationDir = tempDir('fetched-station');
  const db = openDatabase(join(stationDir, 'station.sqlite'));
  const store = new OutboxRepo(db);
  const job = enqueueSubmission(
    store,
    stationSigner(pki.lab1, pki.ca.certificate),
    submissionInput('F-1', 'Q1', [makeArtifact(stationDir, 300, 'x3p')]),
  );
  const receipt: Receipt = {
    hubId: 'hub-1',
    submissionId: randomUUID(),
    idempotencyKey: job.idempotencyKey,
    manifestSha256: sha256(manifestBytes(job.manifest)),
    artifacts: job.manifest.artifacts.map((a) => a.sha256),
    committedAt: new Date().toISOString(),
  };
  const receiptSignature = signBytes(loadPrivateKey(pki.hub.signingKey), receiptBytes(receipt));
  store.markCommitted(job.id, receipt, receiptSignature, pki.hub.certificate, null, Date.now(), Date.now());
  const hub = {
    url: new URL('https://127.0.0.1:1'),
    hubSigningKey: checkHubCertificate(pki.hub.certificate, pki.ca.certificate, { at: new Date(), hubId: 'hub-1' }),
    hubCertificatePem: pki.hub.certificate,
    health: async () => ({ hubId: 'hub-1', time: Date.now() }),
    status: async (): Promise<SubmissionResponse> => ({
      submissionId: receipt.submissionId,
      state: 'correlated',
      missing: [],
      receipt,
      receiptSignature,
      ...answer(receipt),
    }),
    close: () => {},
  };
  const worker = new OutboxWorker({
    store,
    client: hub as unknown as HubClient,
    backoff: { baseMs: 20, maxMs: 200 },
    leadsPollMs: { firstMs: 20, maxMs: 200 },
    probeMaxMs: 200,
  });
  worker.start();
  return {
    job: () => store.get(job.id)!,
    async close() {
      await worker.stop();
      db.close();
      removeDir(stationDir);
    },
  };
}

describe('leads fetched from the hub', { timeout: 30_000 }, () => {
  it('are refused when the statement was altered after the hub signed it: the job stays committed, saying why', async () => {
    const station = await pollWith((receipt) => {
      const results = signed(receipt, [lead]);
      results.statement.leads[0] = { ...lead, score: 40 };
      return { leads: results.statement.leads, results };
    });
    try {
      await until(() => station.job().lastErrorCode === 'results_invalid', 'the refusal');
      expect(station.job()).toMatchObject({ state: 'committed', leads: null, results: null });
      expect(station.job().lastError).toMatch(/not signed by the hub that signed the receipt/);
    } finally {
      await station.close();
    }
  });

  it('are refused when signed by another key, about another receipt, or not signed at all', async () => {
    for (const [answer, code, message] of [
      [
        (r: Receipt) => ({ leads: [lead], results: signed(r, [lead], pki.lab1.signingKey) }),
        'results_invalid',
        /altered or forged/,
      ],
      [
        (r: Receipt) => ({ leads: [lead], results: signed({ ...r, submissionId: randomUUID() }, [lead]) }),
        'results_invalid',
        /about another receipt/,
      ],
      [() => ({ leads: [lead] }), 'results_unsigned', /without its signed results/],
    ] as const) {
      const station = await pollWith(answer);
      try {
        await until(() => station.job().lastErrorCode === code, code);
        expect(station.job()).toMatchObject({ state: 'committed', leads: null });
        expect(station.job().lastError).toMatch(message);
      } finally {
        await station.close();
      }
    }
  });

  it("are taken, and the hub's statement kept, when it verifies and names the job's receipt", async () => {
    const station = await pollWith((receipt) => ({ leads: [lead], results: signed(receipt, [lead]) }));
    try {
      await until(() => station.job().state === 'correlated', 'correlation');
      expect(station.job().leads).toEqual([lead]);
      expect(station.job().results).toMatchObject({ certificate: pki.hub.certificate, statement: { leads: [lead] } });
    } finally {
      await station.close();
    }
  });
});
