// A lead's artifact (up to 2 GiB) goes to the station streamed from the hub's store: the hub never holds it in memory
// (stations download their leads' files at once: a hub reading each whole would run out of memory) nor reads it on
// the event loop. A real folder store, a real HTTP answer through sendAnswer; the artifact a sparse 256 MiB file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { openFolderArtifacts } from './artifactFolder.ts';
import { sendAnswer } from './http.ts';
import type { HubRecords, SubmissionRecord } from './storage.ts';
import { createSubmissions } from './submissions.ts';
import type { Lead } from '../protocol.ts';

const size = 256 * 1024 * 1024;
const sha = 'e'.repeat(64); // the store is keyed by it; this test never hashes the file
let dir: string;
let server: Server;
let port: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'casebench-lead-artifact-'));
  const artifacts = openFolderArtifacts(join(dir, 'artifacts'));
  // Placed where the folder store keeps a finished artifact (<store>/<sha[0..2]>/<sha>), sparse: no disk, no time.
  const final = join(dir, 'artifacts', sha.slice(0, 2), sha);
  mkdirSync(join(final, '..'), { recursive: true });
  writeFileSync(final, '');
  truncateSync(final, size);
  expect(artifacts.localPath(sha)).toBe(final);
  const lead = {
    leadId: 7,
    otherArtifacts: [{ role: 'x3p', name: 'b.x3p', mediaType: 'application/x3p+zip', sha256: sha, size }],
  } as unknown as Lead;
  const records = {
    get: async (id: string) => ({ id, labId: 'LAB-1' }) as SubmissionRecord,
    lead: async (_id: string, leadId: number) => (leadId === lead.leadId ? lead : undefined),
  } as unknown as HubRecords;
  const submissions = createSubmissions({
    hubId: 'hub-1',
    hubSigningKey: generateKeyPairSync('ed25519').privateKey,
    ca: '',
    records,
    artifacts,
    uploads: undefined as never,
    correlation: undefined as never,
    now: Date.now,
  });
  server = createServer((_req, res) => {
    void submissions
      .leadArtifact({ labId: 'LAB-1', stationId: 'S', certificateDer: Buffer.alloc(0) }, 's', 7, sha)
      .then((body) => sendAnswer(res, Date.now(), { status: 200, body }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("a lead's artifact download", { timeout: 60_000 }, () => {
  it('streams the file: all of it arrives, and the hub never holds more than a little of it', async () => {
    const before = process.memoryUsage().arrayBuffers;
    let peak = 0;
    let received = 0;
    const declared = await new Promise<number>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        res.on('data', (chunk: Buffer) => {
          received += chunk.byteLength;
          peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
        });
        res.on('end', () => resolve(Number(res.headers['content-length'])));
        res.on('error', reject);
      }).on('error', reject);
    });
    expect(declared).toBe(size);
    expect(received).toBe(size);
    // Read whole, the file alone would be 256 MiB of buffers at once.
    expect(peak).toBeLessThan(64 * 1024 * 1024);
  });
});
