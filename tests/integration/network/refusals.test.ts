// What the hub must refuse, with a reason the station can show, while the station keeps the job.
import { describe, expect, it } from 'vitest';
import { request } from 'node:https';
import { writeFileSync, readFileSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Hub } from '../../../electron/network/hub/server.ts';
import { keyId, loadPrivateKey, requestSigningBytes, sha256, signBytes } from '../../../electron/network/protocol.ts';
import type { Credentials } from '../../../electron/network/pki.ts';
import { buildSignedManifest, stationSigner } from '../../../electron/network/outbox/enqueue.ts';
import {
  enqueue,
  makeArtifact,
  openStation,
  startTestHub,
  submissionInput,
  tempDir,
  withTimeout,
  type TestPki,
  deliveredExactlyOnce,
  withTestHub,
} from './harness.ts';

let pki: TestPki;
let hub: Hub;
withTestHub('net-refuse', (made) => ({ pki, hub } = made));

async function sendOne(
  credentials: Credentials,
  signWith: Credentials | undefined,
  mutate: (job: { id: number }, db: import('better-sqlite3').Database, stationDir: string) => void = () => {},
) {
  const station = openStation(pki, credentials, hub.url, tempDir('st'), { signWith });
  const job = enqueue(station, submissionInput('REF-1', 'EXH-1', [makeArtifact(station.dir, 50_000)]));
  mutate(job, station.db, station.dir);
  station.worker.start();
  await withTimeout(station.worker.drained(), 15_000, 'drain');
  return { station, job: station.worker.store.get(job.id)! };
}

describe('refusals', () => {
  it('of two creates sent together with one idempotency key and different manifests, takes one and refuses the other; the same manifest again gets the same submission', async () => {
    const station = openStation(pki, pki.lab1, hub.url, tempDir('st'));
    try {
      const signer = stationSigner(pki.lab1, pki.ca.certificate);
      const artifacts = [makeArtifact(station.dir, 1000)];
      // Connections opened first, so that the two creates of a pair really reach the hub together.
      await Promise.all([station.client.health(), station.client.health()]);
      for (let pair = 0; pair < 10; pair++) {
        const idempotencyKey = randomUUID();
        const signed = new Map(
          ['EXH-1', 'EXH-2'].map((itemRef) => [
            itemRef,
            buildSignedManifest(
              signer,
              { ...submissionInput('IDEM-1', itemRef, artifacts), idempotencyKey },
              Date.now(),
            ),
          ]),
        );
        const create = (itemRef: string) =>
          station.client.createSubmission({ ...signed.get(itemRef)!, originCertificate: pki.lab1.certificate });
        const outcomes = await Promise.allSettled([create('EXH-1'), create('EXH-2')]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect(outcomes.find((o) => o.status === 'rejected')!.reason).toMatchObject({
          status: 409,
          code: 'idempotency_conflict',
        });
        const kept = (await hub.records.findByIdempotencyKey(idempotencyKey))!;
        expect(await create(kept.itemRef)).toMatchObject({ created: false, submission: { submissionId: kept.id } });
        expect(await create(kept.itemRef === 'EXH-1' ? 'EXH-2' : 'EXH-1').catch((e: unknown) => e)).toMatchObject({
          code: 'idempotency_conflict',
        });
      }
    } finally {
      await station.close();
    }
  });

  it('a second hub on a port in use fails to start with the reason, and the running one is unaffected', async () => {
    await expect(startTestHub(pki, tempDir('hub-twice'), { port: hub.port })).rejects.toThrow(/EADDRINUSE/);
    const station = openStation(pki, pki.lab1, hub.url, tempDir('st'));
    try {
      expect((await station.client.health()).hubId).toBe('hub-1');
    } finally {
      await station.close();
    }
  });

  it('refuses a client certificate from another CA and says why; the job is kept', async () => {
    const { station, job } = await sendOne(pki.foreign, pki.lab1);
    try {
      expect(job.state).toBe('rejected');
      expect(job.lastErrorCode).toBe('client_certificate_rejected');
      expect(job.lastError).toMatch(/client certificate rejected: (UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to verify)/i);
      expect(await hub.records.findByIdempotencyKey(job.idempotencyKey)).toBeUndefined();
    } finally {
      await station.close();
    }
  });

  it('refuses an expired client certificate with CERT_HAS_EXPIRED', async () => {
    const { station, job } = await sendOne(pki.expired, pki.lab1);
    try {
      expect(job.state).toBe('rejected');
      expect(job.lastError).toMatch(/CERT_HAS_EXPIRED/);
    } finally {
      await station.close();
    }
  });

  it('refuses a manifest whose signature does not verify', async () => {
    const { station, job } = await sendOne(pki.lab1, undefined, (j, db) => {
      const forged = Buffer.alloc(64, 1).toString('base64');
      db.prepare('UPDATE outbox_jobs SET signature = ? WHERE id = ?').run(forged, j.id);
    });
    try {
      expect(job.state).toBe('rejected');
      expect(job.lastErrorCode).toBe('manifest_signature_invalid');
    } finally {
      await station.close();
    }
  });

  it('refuses a tampered artifact by its hash, keeps the job, and delivers it after the file is restored and retried', async () => {
    let path = '';
    let original = Buffer.alloc(0);
    const { station, job } = await sendOne(pki.lab1, undefined, (j, db) => {
      path = (
        JSON.parse(db.prepare('SELECT artifact_paths FROM outbox_jobs WHERE id = ?').pluck().get(j.id) as string) as {
          path: string;
        }[]
      )[0].path;
      original = readFileSync(path);
      const tampered = Buffer.from(original);
      tampered[1000] ^= 0xff;
      writeFileSync(path, tampered);
    });
    try {
      expect(job.state).toBe('rejected');
      expect(job.lastErrorCode).toBe('artifact_hash_mismatch');
      expect(job.lastError).toMatch(/do not hash to the manifest's SHA-256/);
      writeFileSync(path, original);
      expect(station.worker.retry(job.id)).toBe(true);
      await withTimeout(station.worker.drained(), 15_000, 'drain after retry');
      expect(station.worker.store.get(job.id)!.state).toMatch(/committed|correlated/);
      expect((await deliveredExactlyOnce(hub, station)).problems).toEqual([]);
    } finally {
      await station.close();
    }
  });

  it("refuses a lab relaying another lab's submissions", async () => {
    const { station, job } = await sendOne(pki.lab2, pki.lab1);
    try {
      expect(job.state).toBe('rejected');
      expect(job.lastErrorCode).toBe('lab_mismatch');
    } finally {
      await station.close();
    }
  });

  it('refuses a replayed request and a request with a bad signature', async () => {
    const signingKey = loadPrivateKey(pki.lab1.signingKey);
    const path = '/v1/submissions/00000000-0000-4000-8000-000000000000';
    const timestamp = String(Date.now());
    const nonce = randomBytes(16).toString('hex');
    const headers = {
      'cb-key': keyId(signingKey),
      'cb-timestamp': timestamp,
      'cb-nonce': nonce,
      'cb-signature': signBytes(
        signingKey,
        requestSigningBytes('GET', path, timestamp, nonce, sha256(Buffer.alloc(0))),
      ),
    };
    const send = (h: Record<string, string>) =>
      new Promise<{ status: number; body: { error?: { code: string; message: string } } }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: hub.port,
            path,
            method: 'GET',
            headers: h,
            ca: pki.ca.certificate,
            cert: pki.lab1.certificate,
            key: pki.lab1.tlsKey,
            agent: false,
          },
          (res) => {
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    const first = await send(headers);
    expect(first.status).toBe(404); // authenticated, and there is no such submission
    const replay = await send(headers);
    expect(replay.status).toBe(409);
    expect(replay.body.error).toMatchObject({ code: 'replayed_request' });
    const forged = await send({ ...headers, 'cb-nonce': randomBytes(16).toString('hex') });
    expect(forged.status).toBe(401);
    expect(forged.body.error).toMatchObject({ code: 'bad_signature' });
  });
});

describe('bodies over the limit', () => {
  // Before: the hub destroyed the connection and the station saw a dropped connection, which it retries.
  const post = (body: Buffer, declareLength: boolean) =>
    new Promise<{ status: number; code: string; connection: string | undefined }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: hub.port,
          path: '/v1/submissions',
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(declareLength ? { 'content-length': String(body.byteLength) } : {}),
          },
          ca: pki.ca.certificate,
          cert: pki.lab1.certificate,
          key: pki.lab1.tlsKey,
          agent: false,
        },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              code: (JSON.parse(text) as { error: { code: string } }).error.code,
              connection: res.headers.connection,
            }),
          );
        },
      );
      req.on('error', reject);
      // A body sent in slices without a declared length is refused as it arrives, past the limit.
      if (declareLength) req.end(body);
      else {
        req.write(body.subarray(0, body.byteLength / 2));
        setImmediate(() => req.end(body.subarray(body.byteLength / 2)));
      }
    });

  it('are answered 413 with the reason, declared or not, and the hub keeps serving', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 0x20);
    expect(await post(big, true)).toEqual({ status: 413, code: 'invalid_request', connection: 'close' });
    expect(await post(big, false)).toEqual({ status: 413, code: 'invalid_request', connection: 'close' });
    expect((await post(Buffer.from('{}'), true)).status).toBe(401); // unsigned: refused for that, not for size
  });
});
