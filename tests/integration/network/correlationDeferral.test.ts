// The hub defers correlation while uploads arrive (so its analysis does not take CPU from them), but never for more
// than about 2 s: a hub whose uploads never pause still correlates. Driven by a real upload held open: a chunk whose
// body trickles in over several seconds.
import { describe, expect, it } from 'vitest';
import { request } from 'node:https';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  keyId,
  loadPrivateKey,
  requestSigningBytes,
  signBytes,
  unsignedPayload,
} from '../../../electron/network/protocol.ts';
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
  until,
} from './harness.ts';

describe('correlation while uploads arrive', { timeout: 60_000 }, () => {
  it('waits while a chunk is arriving, and correlates within about 2 s even though it never stops', async () => {
    const dir = tempDir('net-defer');
    const pki = await makePki(join(dir, 'pki'));
    const correlatedAt: number[] = [];
    const scorer: CasingScorer = {
      name: 'test/recording',
      correlate: async () => {
        correlatedAt.push(performance.now());
        return { leads: [], notes: [] };
      },
      close: async () => {},
    };
    const hub = await startTestHub(pki, join(dir, 'hub'), { scorer });
    const lab1 = openStation(pki, pki.lab1, hub.url, tempDir('st'));
    const lab2 = openStation(pki, pki.lab2, hub.url, tempDir('st'));
    let trickle: ReturnType<typeof setInterval> | undefined;
    try {
      // Lab 1 creates a submission and starts its upload; the body then arrives one byte every 50 ms.
      const big = enqueue(lab1, submissionInput('SLOW-1', 'EXH-1', [makeArtifact(lab1.dir, 1000)]));
      const { submission } = await lab1.client.createSubmission({
        manifest: big.manifest,
        signature: big.signature,
        originCertificate: big.originCertificate,
      });
      const path = `/v1/submissions/${submission.submissionId}/artifacts/${big.manifest.artifacts[0]!.sha256}`;
      const signingKey = loadPrivateKey(pki.lab1.signingKey);
      const timestamp = String(Date.now());
      const nonce = randomBytes(16).toString('hex');
      const upload = request(`${hub.url}${path}`, {
        method: 'PUT',
        ca: pki.ca.certificate,
        cert: pki.lab1.certificate,
        key: pki.lab1.tlsKey,
        headers: {
          'content-length': '1000',
          'content-range': 'bytes 0-999/1000',
          'content-type': 'application/octet-stream',
          'cb-key': keyId(signingKey),
          'cb-timestamp': timestamp,
          'cb-nonce': nonce,
          'cb-signature': signBytes(signingKey, requestSigningBytes('PUT', path, timestamp, nonce, unsignedPayload)),
        },
      });
      upload.on('error', () => {}); // destroyed at the end on purpose
      upload.flushHeaders();
      trickle = setInterval(() => upload.write(Buffer.from([0])), 50);

      // Lab 2's submission commits meanwhile; its correlation must wait, but not for ever.
      await new Promise((r) => setTimeout(r, 300));
      enqueue(lab2, submissionInput('L2-1', 'Q-1', [makeArtifact(lab2.dir, 2000, 'x3p')]));
      lab2.worker.start();
      await lab2.worker.drained();
      const committedAt = performance.now();
      await until(() => correlatedAt.length > 0, 'the correlation', 10_000);
      const waited = correlatedAt[0]! - committedAt;
      expect(waited).toBeGreaterThan(1_000); // deferred while the chunk was arriving …
      expect(waited).toBeLessThan(4_000); // … but not beyond the cap (2 s, with room for a loaded machine)
      upload.destroy();
    } finally {
      clearInterval(trickle);
      await lab1.close();
      await lab2.close();
      await hub.close();
      removeDir(dir);
    }
  });
});
