// The hub streams a chunk from the connection to disk (hashing it on the way) instead of holding it in memory:
// what arrived of a chunk cut off mid-body is kept and the upload resumes from there, byte-identical; a chunk
// whose request does not authenticate writes nothing, since authentication comes before the body is read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { request } from 'node:https';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  keyId,
  loadPrivateKey,
  requestSigningBytes,
  signBytes,
  unsignedPayload,
} from '../../../electron/network/protocol.ts';
import {
  deliveredExactlyOnce,
  enqueue,
  makeArtifact,
  makePki,
  openStation,
  removeDir,
  startTestHub,
  submissionInput,
  tempDir,
  until,
  withTimeout,
  type TestPki,
} from './harness.ts';

let dir: string;
let pki: TestPki;

beforeAll(async () => {
  dir = tempDir('net-stream');
  pki = await makePki(join(dir, 'pki'));
});
afterAll(() => removeDir(dir));

function signedHeaders(method: string, path: string, signWith = pki.lab1.signingKey): Record<string, string> {
  const key = loadPrivateKey(signWith);
  const timestamp = String(Date.now());
  const nonce = randomBytes(16).toString('hex');
  return {
    'cb-key': keyId(loadPrivateKey(pki.lab1.signingKey)),
    'cb-timestamp': timestamp,
    'cb-nonce': nonce,
    'cb-signature': signBytes(key, requestSigningBytes(method, path, timestamp, nonce, unsignedPayload)),
  };
}

describe('chunk uploads stream to disk', () => {
  it('stores an artifact whose bytes all arrived but were never checked (the hub stopped while hashing) when the station resumes; a wrong one is sent again', async () => {
    const hub = await startTestHub(pki, join(dir, 'hub-unsettled'));
    const station = openStation(pki, pki.lab1, hub.url, tempDir('st'));
    try {
      const good = makeArtifact(station.dir, 300_000);
      const spoiled = makeArtifact(station.dir, 200_000);
      const job = enqueue(station, submissionInput('SETTLE-1', 'EXH-1', [good, spoiled]));
      // As a hub stopped between the last byte and the hash check leaves it: both partials at full size, nothing stored.
      const { submission } = await station.client.createSubmission({
        manifest: job.manifest,
        signature: job.signature,
        originCertificate: job.originCertificate,
      });
      const wrongBytes = Buffer.from(readFileSync(spoiled.path));
      wrongBytes[100] ^= 0xff;
      await hub.artifacts.appendPartial(`${submission.submissionId}.${good.sha256}`, 0, [readFileSync(good.path)]);
      await hub.artifacts.appendPartial(`${submission.submissionId}.${spoiled.sha256}`, 0, [wrongBytes]);
      station.worker.start();
      await withTimeout(station.worker.drained(), 15_000, 'drain');
      expect(station.worker.store.get(job.id)).toMatchObject({
        state: 'committed',
        submissionId: submission.submissionId,
      });
      expect((await deliveredExactlyOnce(hub, station)).problems).toEqual([]);
    } finally {
      await station.close();
      await hub.close();
    }
  });

  it('keeps what arrived of a chunk cut off mid-body; the station resumes there and the artifact arrives byte-identical', async () => {
    const hub = await startTestHub(pki, join(dir, 'hub-cut'));
    const station = openStation(pki, pki.lab1, hub.url, tempDir('st'), { chunkBytes: 8 * 1024 * 1024 });
    try {
      const size = 3 * 1024 * 1024;
      const artifact = makeArtifact(station.dir, size);
      const job = enqueue(station, submissionInput('CUT-1', 'EXH-1', [artifact]));
      const { submission } = await station.client.createSubmission({
        manifest: job.manifest,
        signature: job.signature,
        originCertificate: job.originCertificate,
      });
      const path = `/v1/submissions/${submission.submissionId}/artifacts/${artifact.sha256}`;
      const uploadId = `${submission.submissionId}.${artifact.sha256}`;
      const bytes = readFileSync(artifact.path);
      const req = request({
        host: '127.0.0.1',
        port: hub.port,
        path,
        method: 'PUT',
        ca: pki.ca.certificate,
        cert: pki.lab1.certificate,
        key: pki.lab1.tlsKey,
        agent: false,
        headers: {
          ...signedHeaders('PUT', path),
          'content-type': 'application/octet-stream',
          'content-range': `bytes 0-${size - 1}/${size}`,
          'content-length': String(size),
        },
      });
      req.on('error', () => {});
      req.write(bytes.subarray(0, size / 2));
      await until(
        () => hub.artifacts.partialSize(uploadId) >= 1024 * 1024,
        "the first bytes of the chunk to reach the hub's disk",
      );
      req.destroy();
      await new Promise((r) => setTimeout(r, 200));
      const kept = hub.artifacts.partialSize(uploadId);
      expect(kept).toBeGreaterThanOrEqual(1024 * 1024);
      expect(kept).toBeLessThanOrEqual(size / 2);
      expect(hub.artifacts.has(artifact.sha256)).toBe(false);

      const sentChunks: number[] = [];
      const original = station.client.putChunk.bind(station.client);
      station.client.putChunk = (id, sha, start, total, chunk) => (
        sentChunks.push(start),
        original(id, sha, start, total, chunk)
      );
      station.worker.start();
      await withTimeout(station.worker.drained(), 20_000, 'drain');
      expect(sentChunks).toEqual([kept]);
      expect(station.worker.store.get(job.id)!.state).toMatch(/committed|correlated/);
      expect(hub.artifacts.read(artifact.sha256).equals(bytes)).toBe(true);
      const result = await deliveredExactlyOnce(hub, station);
      expect(result.problems).toEqual([]);
    } finally {
      await station.close();
      await hub.close();
    }
  });

  it('writes nothing of a chunk whose request signature does not verify', async () => {
    const hub = await startTestHub(pki, join(dir, 'hub-forged'));
    const station = openStation(pki, pki.lab1, hub.url, tempDir('st'));
    try {
      const artifact = makeArtifact(station.dir, 256 * 1024);
      const job = enqueue(station, submissionInput('FORGED-1', 'EXH-1', [artifact]));
      const { submission } = await station.client.createSubmission({
        manifest: job.manifest,
        signature: job.signature,
        originCertificate: job.originCertificate,
      });
      const path = `/v1/submissions/${submission.submissionId}/artifacts/${artifact.sha256}`;
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: hub.port,
            path,
            method: 'PUT',
            ca: pki.ca.certificate,
            cert: pki.lab1.certificate,
            key: pki.lab1.tlsKey,
            agent: false,
            headers: {
              ...signedHeaders('PUT', path, pki.lab2.signingKey),
              'content-range': `bytes 0-${artifact.size - 1}/${artifact.size}`,
              'content-length': String(artifact.size),
            },
          },
          (res) => {
            let body = '';
            res.on('data', (c) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
          },
        );
        req.on('error', reject);
        req.end(readFileSync(artifact.path));
      });
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body).error.code).toBe('bad_signature');
      expect(hub.artifacts.partialSize(`${submission.submissionId}.${artifact.sha256}`)).toBe(0);
    } finally {
      await station.close();
      await hub.close();
    }
  });
});
