// A hub of a later revision may add optional fields anywhere in its answers (submission answers, receipts, signed
// results statements, feed pages and their events, network hits, hit answers and their receipts). This station
// takes such answers: what is signed verifies over what was received (unknown fields included, kept as they came),
// and the fields it does not know are never read. The "newer hub" is the real hub behind a real HTTPS front (the
// hub's certificate, mutual TLS) that adds fields to every JSON answer and signs receipts and statements again with
// the hub's own signing key, as a newer hub would sign them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey, randomUUID } from 'node:crypto';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { canonicalJson } from '../../../electron/base/canonicalJson.ts';
import type { Hub } from '../../../electron/network/hub/server.ts';
import { buildSignedHitReport } from '../../../electron/network/outbox/hitReport.ts';
import {
  receiptBytes,
  resultsStatementBytes,
  sha256,
  signBytes,
  verifyBytes,
  type Receipt,
  type ResultsStatement,
} from '../../../electron/network/protocol.ts';
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

type Json = Record<string, unknown>;
const future = { sinceRevision: 99, note: 'a field this station does not know' };

let dir: string;
let pki: TestPki;
let hub: Hub;
let front: Server;
const stations: Station[] = [];

/** Adds `future` to an answer and to each object a newer hub could extend, signing what is signed again. */
function newer(answer: Json): Json {
  const key = createPrivateKey(pki.hub.signingKey);
  const out: Json = { ...answer, future };
  if (out.receipt && typeof out.receiptSignature === 'string') {
    out.receipt = { ...(out.receipt as Json), future };
    out.receiptSignature = signBytes(key, Buffer.from(canonicalJson(out.receipt)));
  }
  if (out.results) {
    // About the receipt as this hub sent it (with its added field), as a newer hub would state it.
    const statement = {
      ...((out.results as Json).statement as Json),
      receiptSha256: sha256(receiptBytes(out.receipt as Receipt)),
      future,
    } as unknown as ResultsStatement;
    out.results = { statement, signature: signBytes(key, resultsStatementBytes(statement)), future };
  }
  if (Array.isArray(out.events))
    out.events = (out.events as Json[]).map((e) => ({
      ...e,
      future,
      ...(e.hit ? { hit: { ...(e.hit as Json), future } } : {}),
    }));
  return out;
}

beforeAll(async () => {
  dir = tempDir('newer-hub');
  pki = await makePki(join(dir, 'pki'));
  hub = await startTestHub(pki, join(dir, 'hub'), {
    scorer: everyCandidateLeads({ cmcAb: 12, cmcBa: 14, screening: 0.5 }),
  });
  const target = new URL(hub.url);
  front = createServer(
    {
      key: pki.hub.tlsKey,
      cert: pki.hub.certificate,
      ca: pki.ca.certificate,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const body: Buffer[] = [];
      req.on('data', (c: Buffer) => body.push(c));
      req.on('end', () => {
        const headers = { ...req.headers, host: target.host };
        const upstream = request(
          {
            host: target.hostname,
            port: target.port,
            path: req.url,
            method: req.method,
            headers,
            ca: pki.ca.certificate,
            cert: pki.lab1.certificate,
            key: pki.lab1.tlsKey,
          },
          (answer) => {
            const parts: Buffer[] = [];
            answer.on('data', (c: Buffer) => parts.push(c));
            answer.on('end', () => {
              let out = Buffer.concat(parts);
              const json = String(answer.headers['content-type']).includes('json') && answer.statusCode! < 300;
              if (json && out.length > 0)
                out = Buffer.from(JSON.stringify(newer(JSON.parse(out.toString('utf8')) as Json)));
              const { 'content-length': _length, 'transfer-encoding': _encoding, ...kept } = answer.headers;
              res.writeHead(answer.statusCode!, { ...kept, 'content-length': out.length });
              res.end(out);
            });
          },
        );
        upstream.on('error', () => res.destroy());
        upstream.end(Buffer.concat(body));
      });
    },
  );
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
}, 60_000);
afterAll(async () => {
  for (const s of stations) await s.close();
  front?.closeAllConnections();
  await new Promise((resolve) => front?.close(resolve));
  await hub?.close();
  removeDir(dir);
});

describe('answers of a newer hub', { timeout: 60_000 }, () => {
  it('are taken: signatures verify over what was received, the unknown fields kept and never read', async () => {
    const frontUrl = `https://127.0.0.1:${(front.address() as AddressInfo).port}`;
    const lab1 = openStation(pki, pki.lab1, frontUrl, join(dir, 'lab1'), { hits: true });
    const lab2 = openStation(pki, pki.lab2, hub.url, join(dir, 'lab2'));
    stations.push(lab1, lab2);

    // Lab 1 (through the newer hub) first, then lab 2, whose search finds lab 1's casing.
    const ours = enqueue(lab1, submissionInput('L1-1', 'Q', [makeArtifact(lab1.dir, 2000, 'x3p')]));
    lab1.worker.start();
    await lab1.worker.drained({ leads: true, signal: AbortSignal.timeout(30_000) });
    const committed = lab1.worker.store.get(ours.id)!;
    expect(committed.state).toBe('correlated'); // receipt and statement verified with the added fields in them
    expect(committed.receipt).toMatchObject({ future });
    expect(committed.results!.statement).toMatchObject({ future });

    enqueue(lab2, submissionInput('L2-1', 'Q', [makeArtifact(lab2.dir, 2000, 'x3p')]));
    lab2.worker.start();
    await lab2.worker.drained({ leads: true, signal: AbortSignal.timeout(30_000) });
    const theirs = lab2.worker.store.list()[0]!;
    const theirLead = theirs.leads![0]!;
    await lab2.client.reportHit(
      buildSignedHitReport(lab2.signer, {
        idempotencyKey: randomUUID(),
        createdAt: new Date().toISOString(),
        submissionId: theirs.receipt!.submissionId,
        leadId: theirLead.leadId,
        otherSubmissionId: committed.receipt!.submissionId,
        conclusion: 'identification',
        confirmedAt: new Date().toISOString(),
        hitRef: 'HIT-1',
      }),
    );

    // Lab 1's feed (pages with added fields, on the page, its events and the hit): the lead and the hit arrive.
    const deadline = AbortSignal.timeout(30_000);
    while ((lab1.worker.store.get(ours.id)!.networkHits ?? []).length === 0) {
      if (deadline.aborted) throw new Error('the hit never reached lab 1');
      await new Promise((r) => setTimeout(r, 50));
    }
    const job = lab1.worker.store.get(ours.id)!;
    expect(job.leads).toHaveLength(1);
    expect(job.leads![0]).not.toHaveProperty('future'); // shown: only what this station knows
    expect(job.networkHits![0]).toMatchObject({ reportedByLabId: 'LAB-2' });

    // Lab 1 reports a hit through the newer hub: the hit answer and its receipt carry a field it does not know.
    const ourLead = job.leads![0]!;
    const made = await lab1.client.reportHit(
      buildSignedHitReport(lab1.signer, {
        idempotencyKey: randomUUID(),
        createdAt: new Date().toISOString(),
        submissionId: committed.receipt!.submissionId,
        leadId: ourLead.leadId,
        otherSubmissionId: theirs.receipt!.submissionId,
        conclusion: 'identification',
        confirmedAt: new Date().toISOString(),
        hitRef: 'HIT-2',
      }),
    );
    expect(made.hit).toMatchObject({ future, receipt: { future } });
    const hubKey = lab1.client.hubSigningKey!;
    expect(verifyBytes(hubKey, Buffer.from(canonicalJson(made.hit.receipt)), made.hit.receiptSignature)).toBe(true);
  });
});
