// Shared set-up for the network fault tests: a dev PKI, a real hub on loopback, stations with real SQLite files.
import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { repoRoot, sharedDataPath } from '../../fixtures/sharedData.ts';
import { createCa, issue, writeCa, writeCredentials, type Credentials } from '../../../electron/network/pki.ts';
import { startHub, type Hub } from '../../../electron/network/hub/server.ts';
import type { ArtifactStore, HubRecords, HubRecordsStore } from '../../../electron/network/hub/storage.ts';
import type { FaultsInput } from '../../../electron/network/hub/faults.ts';
import type { CasingScorer, LeadDetail } from '../../../electron/network/hub/scorer.ts';
import { HubClient } from '../../../electron/network/client.ts';
import { OutboxWorker, type OutboxWorkerOptions } from '../../../electron/network/outbox/worker.ts';
import {
  enqueueSubmission,
  stationSigner,
  type StationSigner,
  type SubmissionInput,
} from '../../../electron/network/outbox/enqueue.ts';
import { openDatabase, type Db } from '../../../electron/host/storage/database.ts';
import { HitReportsRepo } from '../../../electron/host/storage/repos/hitReportsRepo.ts';
import { OutboxRepo } from '../../../electron/host/storage/repos/outbox.ts';
import { sha256 } from '../../../electron/network/protocol.ts';

export interface TestPki {
  dir: string;
  ca: { certificate: string; key: string };
  hub: Credentials;
  lab1: Credentials;
  /** A second station of LAB-1 (the connected one, for air-gapped bundles). */
  lab1b: Credentials;
  lab2: Credentials;
  expired: Credentials;
  foreign: Credentials;
}

/** One CA, the hub, two labs, an expired station and a station from another CA. Written to `dir` too (for child processes). */
export async function makePki(dir: string): Promise<TestPki> {
  const ca = await createCa('TestNet');
  const foreignCa = await createCa('OtherNet');
  const pki: TestPki = {
    dir,
    ca,
    hub: await issue(ca, { kind: 'hub', organization: 'TestNet', unit: 'hub-1' }),
    lab1: await issue(ca, { kind: 'station', organization: 'LAB-1', unit: 'ST-1' }),
    lab1b: await issue(ca, { kind: 'station', organization: 'LAB-1', unit: 'ST-2' }),
    lab2: await issue(ca, { kind: 'station', organization: 'LAB-2', unit: 'ST-1' }),
    expired: await issue(ca, {
      kind: 'station',
      organization: 'LAB-1',
      unit: 'ST-OLD',
      notBefore: new Date(Date.now() - 20 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    }),
    foreign: await issue(foreignCa, { kind: 'station', organization: 'LAB-1', unit: 'ST-X' }),
  };
  writeCa(dir, ca);
  for (const holder of ['hub', 'lab1', 'lab2'] as const) writeCredentials(dir, holder, pki[holder]);
  return pki;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `casebench-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A scorer that makes every candidate a lead with `detail` (its CMC count as the score): for tests of the hub's and
 * stations' wiring, where the comparison engine is not what is tested.
 */
export function everyCandidateLeads(detail: LeadDetail): CasingScorer {
  return {
    name: 'test/everyone',
    correlate: async (_query, candidates) => ({
      leads: candidates.map((c) => ({
        otherSubmissionId: c.submissionId,
        score: detail.cmcAb,
        scorer: 'test/everyone',
        detail,
      })),
      notes: [],
    }),
    close: async () => {},
  };
}

export function startTestHub(
  pki: TestPki,
  dataDir: string,
  options: {
    port?: number;
    faults?: FaultsInput;
    now?: () => number;
    scorer?: CasingScorer;
    db?: string;
    maxLeadsPerAnswer?: number;
  } = {},
): Promise<Hub> {
  return startHub({
    dataDir,
    ca: pki.ca.certificate,
    certificate: pki.hub.certificate,
    tlsKey: pki.hub.tlsKey,
    signingKey: pki.hub.signingKey,
    hubId: 'hub-1',
    ...options,
  });
}

/**
 * For a test file: a dev PKI (`prepare` may add to it) and a hub on loopback, made before the file's tests and
 * stopped after them; `use` receives them, for the file to keep in its own variables.
 */
export function withTestHub(
  prefix: string,
  use: (made: { dir: string; pki: TestPki; hub: Hub }) => void,
  prepare?: (pki: TestPki) => void,
): void {
  const dir = tempDir(prefix);
  let hub: Hub | undefined;
  beforeAll(async () => {
    const pki = await makePki(join(dir, 'pki'));
    prepare?.(pki);
    hub = await startTestHub(pki, join(dir, 'hub'));
    use({ dir, pki, hub });
  });
  afterAll(async () => {
    await hub?.close();
    removeDir(dir);
  });
}

export interface Station {
  db: Db;
  client: HubClient;
  worker: OutboxWorker;
  signer: StationSigner;
  /** With `hits: true`: the station's hit reports and feed position (its worker sends them and reads the feed). */
  hitReports?: HitReportsRepo;
  dir: string;
  close(): Promise<void>;
}

export function openStation(
  pki: TestPki,
  credentials: Credentials,
  hubUrl: string,
  dir: string,
  options: Partial<OutboxWorkerOptions> & { timeoutMs?: number; signWith?: Credentials; hits?: boolean } = {},
): Station {
  const db = openDatabase(join(dir, 'station.sqlite'));
  const signer = stationSigner(options.signWith ?? credentials, pki.ca.certificate);
  const hitReports = options.hits ? new HitReportsRepo(db) : undefined;
  const client = new HubClient({
    url: hubUrl,
    ca: pki.ca.certificate,
    credentials,
    timeoutMs: options.timeoutMs ?? 5_000,
    now: options.now,
  });
  const worker = new OutboxWorker({
    store: new OutboxRepo(db),
    client,
    backoff: { baseMs: 20, maxMs: 200 },
    leadsPollMs: { firstMs: 20, maxMs: 200 },
    probeMaxMs: 200,
    ...(hitReports ? { hitReports, signer, feedPollMs: 50 } : {}),
    ...options,
  });
  return {
    db,
    client,
    worker,
    signer,
    hitReports,
    dir,
    async close() {
      await worker.stop();
      client.close();
      db.close();
    },
  };
}

/** A real breech-face scan (Fadul, shared data) as an X3P artifact, read in place (the station only reads it). */
export function fadulArtifact(name: string) {
  const path = sharedDataPath('fadul', name);
  const bytes = readFileSync(path);
  return {
    role: 'x3p' as const,
    name,
    mediaType: 'application/x3p+zip',
    sha256: sha256(bytes),
    size: bytes.byteLength,
    path,
  };
}

/** Writes an artifact file of random bytes and returns its reference as the evidence store would give it. */
export function makeArtifact(dir: string, size: number, role: 'image' | 'x3p' | 'features' = 'image') {
  const bytes = randomBytes(size);
  const hash = sha256(bytes);
  const path = join(dir, `${hash}.bin`);
  writeFileSync(path, bytes);
  return {
    role,
    name: `${role}-${hash.slice(0, 8)}.bin`,
    mediaType: 'application/octet-stream',
    sha256: hash,
    size,
    path,
  };
}

export function submissionInput(
  caseRef: string,
  itemRef: string,
  artifacts: SubmissionInput['artifacts'],
  calibre = '9mm Luger',
): SubmissionInput {
  return {
    caseRef,
    itemRef,
    specimen: { calibre, origin: 'questioned', firingPinShape: 'hemispherical', breechFaceClass: 'granular' },
    artifacts,
  };
}

export function enqueue(station: Station, input: SubmissionInput) {
  return enqueueSubmission(station.worker.store, station.signer, input);
}

/** Polls until `check` holds (a state reached under real timing), failing after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Every job of the station is at the hub exactly once, with byte-identical artifacts. Reads the running hub's
 * records, or (sync) the records file of a stopped one.
 */
export async function deliveredExactlyOnce(
  hub: { records: HubRecords | HubRecordsStore; artifacts: Pick<ArtifactStore, 'has' | 'read'> },
  station: Station,
): Promise<{ problems: string[]; delivered: number }> {
  const problems: string[] = [];
  const jobs = station.worker.store.list({ limit: 100_000 });
  for (const job of jobs) {
    const record = await hub.records.findByIdempotencyKey(job.idempotencyKey);
    if (!record) {
      problems.push(`job ${job.id} (${job.idempotencyKey}) never reached the hub`);
      continue;
    }
    if (record.state === 'open') problems.push(`job ${job.id} is not committed at the hub`);
    for (const file of job.artifactFiles) {
      if (!hub.artifacts.has(file.sha256)) {
        problems.push(`artifact ${file.sha256} of job ${job.id} missing at the hub`);
        continue;
      }
      const stored = hub.artifacts.read(file.sha256);
      if (sha256(stored) !== file.sha256 || stored.byteLength !== file.size)
        problems.push(`artifact ${file.sha256} differs at the hub`);
    }
  }
  const counts = await hub.records.countByIdempotencyKey();
  if (counts.total !== counts.distinct)
    problems.push(`hub holds ${counts.total} submissions for ${counts.distinct} idempotency keys`);
  return { problems, delivered: counts.distinct };
}

/** Runs `casebench hub` as its own process (as in production, the hub has its own CPU); resolves once it listens. */
export function spawnHub(
  pkiDir: string,
  dataDir: string,
  extraArgs: string[] = [],
): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(
    join(repoRoot, 'node_modules/.bin/node'),
    [
      join(repoRoot, 'bin/casebench.mjs'),
      'hub',
      '--pki',
      pkiDir,
      '--data',
      dataDir,
      '--port',
      '0',
      '--json',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => reject(new Error(`hub exited (${code}): ${err}`)));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      const { url } = JSON.parse(line) as { url: string };
      resolve({
        url,
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGINT');
          }),
      });
    });
  });
}
