// The station reads at most so much of any hub answer (issue 10, review of 59262d9): a broken or hostile hub — or
// anything answering at the hub's address with a valid certificate — that sends an endless or oversize body gets a
// clear refusal, and the station's memory does not follow it. A real HTTPS server on loopback (mutual TLS, the hub's
// certificate) plays that hub; each path sends one kind of answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:https';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { HubClient, hubAnswerLimits } from '../../../electron/network/client.ts';
import { sha256 } from '../../../electron/network/protocol.ts';
import { makePki, removeDir, tempDir, type TestPki } from './harness.ts';

/** Without a cap, a client would read this much and fail later (not JSON, wrong hash), never hang the test. */
const endlessStopsAfter = 40 * 1024 * 1024;
const piece = Buffer.alloc(64 * 1024, 0x7b); // '{' over and over: never valid JSON

describe('hub answers larger than the station reads', () => {
  const dir = tempDir('hub-answer-caps');
  let pki: TestPki;
  let server: Server;
  let client: HubClient;
  /** Bytes of body each answer had written when its connection closed. */
  const written: Record<string, number> = {};
  const artifact = Buffer.from('the other casing, exactly as listed');

  /** Writes `piece` after `piece` (respecting back-pressure) until the client goes or the cap of the test. */
  function endless(name: string, res: ServerResponse): void {
    written[name] = 0;
    res.writeHead(200, { 'content-type': 'application/json' });
    const more = () => {
      while (written[name] < endlessStopsAfter && !res.destroyed) {
        written[name] += piece.byteLength;
        if (!res.write(piece)) return void res.once('drain', more);
      }
      res.end();
    };
    more();
  }

  beforeAll(async () => {
    pki = await makePki(join(dir, 'pki'));
    server = createServer(
      {
        key: pki.hub.tlsKey,
        cert: pki.hub.certificate,
        ca: pki.ca.certificate,
        requestCert: true,
        rejectUnauthorized: true,
        minVersion: 'TLSv1.3',
      },
      (req, res) => {
        req.resume();
        const url = req.url ?? '';
        if (url === '/v1/health') {
          const body = JSON.stringify({ hubId: 'hub-1', time: Date.now(), protocol: '1' });
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
          return void res.end(body);
        }
        if (url === '/v1/feed?after=0&limit=100') return endless('feed', res);
        if (url.startsWith('/v1/submissions/declared')) {
          // Says 100 MB up front, and sends a little of it.
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': 100 * 1024 * 1024 });
          return void res.write(piece);
        }
        if (url.startsWith('/v1/submissions/') && url.includes('/leads/7/artifacts/')) {
          if (url.includes('/exact/')) return void res.end(artifact);
          return endless('artifact', res);
        }
        if (url.startsWith('/v1/submissions/')) return endless('status', res);
        res.writeHead(404).end();
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new HubClient({
      url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
      ca: pki.ca.certificate,
      credentials: pki.lab1,
      timeoutMs: 30_000,
    });
  }, 60_000);
  afterAll(async () => {
    client?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    removeDir(dir);
  });

  it('refuses an endless submission status past the 8 MiB JSON cap, closing the connection', async () => {
    await expect(client.status(randomUUID())).rejects.toMatchObject({
      name: 'HubError',
      code: 'answer_too_large',
      transient: true, // a broken hub: the outbox tries again later, with back-off
      message: expect.stringMatching(/answer to GET \/v1\/submissions\/\S+ runs past 8388608 bytes.*refused/),
    });
    // The hub was cut off near the cap (what sat in socket buffers besides), not at the end of its endless answer.
    expect(written.status).toBeLessThan(hubAnswerLimits.json + 8 * 1024 * 1024);
  });

  it('refuses an endless feed page the same way', async () => {
    await expect(client.feed(0)).rejects.toMatchObject({
      code: 'answer_too_large',
      message: expect.stringContaining('GET /v1/feed runs past'),
    });
    expect(written.feed).toBeLessThan(endlessStopsAfter);
  });

  it('refuses an answer that declares more than the cap before reading it', async () => {
    await expect(client.status('declared')).rejects.toMatchObject({
      code: 'answer_too_large',
      message: expect.stringContaining('declares 104857600 bytes'),
    });
  });

  it('reads an artifact download only up to the size its signed reference declares', async () => {
    const sha = sha256(artifact);
    await expect(client.leadArtifact('s', 7, sha, artifact.byteLength + 100_000)).rejects.toMatchObject({
      code: 'answer_too_large',
      message: expect.stringContaining(`more than the ${artifact.byteLength + 100_000} bytes`),
    });
    expect(written.artifact).toBeLessThan(endlessStopsAfter);
    // The same client still works, on a fresh connection: the cut-off one was not reused.
    expect(await client.leadArtifact('exact', 7, sha, artifact.byteLength)).toEqual(artifact);
    expect((await client.health()).hubId).toBe('hub-1');
  });
});
