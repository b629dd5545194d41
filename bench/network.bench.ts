// Network benchmark: enqueue latency, drain throughput against the hub vs a raw HTTPS upload of the same bytes,
// time to drain 1,000 submissions, and the 1,000-submission soak through a hub failing 30 % of requests.
// Run: npx node bench/network.bench.ts
import { Agent, request } from 'node:https';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { percentile, writeBenchReport, type BenchRow } from './report.ts';
import {
  deliveredExactlyOnce, enqueue, makeArtifact, makePki, openStation, removeDir, spawnHub, startTestHub, submissionInput, tempDir, type TestPki,
} from '../tests/integration/network/harness.ts';
import { openFolderArtifacts, openSqliteRecords } from '../electron/network/hub/storage.ts';

const root = tempDir('bench-net');
const pki = await makePki(join(root, 'pki'));
const rows: BenchRow[] = [];
/** The tests poll for leads every few ms to run fast; a station asks every few seconds. */
const realisticLeadsPoll = { firstMs: 5_000, maxMs: 60_000 };
const details: Record<string, unknown> = {};

async function enqueueLatency(pki: TestPki): Promise<void> {
  const hub = await startTestHub(pki, join(root, 'hub-enqueue'));
  const station = openStation(pki, pki.lab1, hub.url, tempDir('bench-st'));
  const artifacts = [makeArtifact(station.dir, 4096, 'x3p'), makeArtifact(station.dir, 4096, 'image')];
  const times: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const t = performance.now();
    enqueue(station, submissionInput(`ENQ-${i % 50}`, `EXH-${i}`, artifacts));
    times.push(performance.now() - t);
  }
  rows.push({ metric: 'enqueue latency p50', value: percentile(times, 50), unit: 'ms', target: '< 5 ms', pass: percentile(times, 50) < 5 });
  rows.push({ metric: 'enqueue latency p99', value: percentile(times, 99), unit: 'ms', target: '< 5 ms', pass: percentile(times, 99) < 5 });
  await station.close();
  await hub.close();
}

/**
 * Same files, same mutual TLS, same concurrency, one PUT per file, to a bare server in its own process that either
 * drops the bytes ('memory') or stores each file the way the hub does: temp file, fsync, rename ('durable').
 */
async function rawUpload(files: { path: string; size: number }[], concurrency: number, mode: 'memory' | 'durable'): Promise<number> {
  // The sink runs in its own process, like the hub does, so both comparisons give the server its own core.
  const sink = `import { createServer } from 'node:https'; import { readFileSync, openSync, writeSync, fsyncSync, closeSync, renameSync, mkdirSync } from 'node:fs';
    const [d, mode, out] = process.argv.slice(1); const f = (n) => readFileSync(d + '/' + n); let n = 0; mkdirSync(out, { recursive: true });
    const server = createServer({ key: f('hub.key'), cert: f('hub.crt'), ca: f('ca.crt'), requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3' },
      (req, res) => { const parts = []; req.on('data', (c) => parts.push(c)); req.on('end', () => {
        if (mode === 'durable') { const p = out + '/' + (n++); const fd = openSync(p + '.tmp', 'w'); writeSync(fd, Buffer.concat(parts)); fsyncSync(fd); closeSync(fd); renameSync(p + '.tmp', p); }
        res.end('{}'); }); });
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', sink, pki.dir, mode, join(root, `sink-${mode}`)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => child.stdout.once('data', (c: Buffer) => resolve(Number(c.toString().trim()))));
  const agent = new Agent({ keepAlive: true, ca: pki.ca.certificate, cert: pki.lab1.certificate, key: pki.lab1.tlsKey });
  const started = performance.now();
  const queue = [...files];
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const body = readFileSync(file.path);
      await new Promise<void>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'PUT', path: '/raw', agent, headers: { 'content-length': body.byteLength } }, (res) => {
          res.resume();
          res.on('end', () => resolve());
        });
        req.on('error', reject);
        req.end(body);
      });
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  child.kill();
  return seconds;
}

/** Checks the hub's own files after it stopped: every job there once, byte-identical. */
function verifyHubData(dataDir: string, station: ReturnType<typeof openStation>, expected: number): void {
  const records = openSqliteRecords(join(dataDir, 'hub.sqlite'));
  try {
    const check = deliveredExactlyOnce({ records, artifacts: openFolderArtifacts(join(dataDir, 'artifacts')) }, station);
    if (check.problems.length > 0 || check.delivered !== expected) throw new Error(`${check.delivered} of ${expected} delivered; ${check.problems.slice(0, 5).join('\n')}`);
  } finally {
    records.close();
  }
}

async function throughput(): Promise<void> {
  const dataDir = join(root, 'hub-throughput');
  const hub = await spawnHub(pki.dir, dataDir);
  const concurrency = 2;
  const station = openStation(pki, pki.lab1, hub.url, tempDir('bench-st'), { concurrency, chunkBytes: 8 * 1024 * 1024, leadsPollMs: realisticLeadsPoll });
  const files = Array.from({ length: 24 }, (_, i) => makeArtifact(station.dir, 4 * 1024 * 1024 + i, 'x3p'));
  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  const memorySeconds = await rawUpload(files, concurrency, 'memory');
  const rawSeconds = await rawUpload(files, concurrency, 'durable');
  files.forEach((f, i) => enqueue(station, submissionInput(`TP-${i}`, 'EXH-1', [f])));
  const started = performance.now();
  station.worker.start();
  await station.worker.drained();
  const seconds = (performance.now() - started) / 1000;
  await hub.stop();
  verifyHubData(dataDir, station, files.length);
  const rawRate = totalBytes / rawSeconds / 1e6;
  const outboxRate = totalBytes / seconds / 1e6;
  rows.push({ metric: 'raw HTTPS upload, bytes dropped by the server', value: totalBytes / memorySeconds / 1e6, unit: 'MB/s' });
  rows.push({ metric: 'raw HTTPS upload, server stores each file (fsync)', value: rawRate, unit: 'MB/s' });
  rows.push({ metric: 'outbox drain to hub', value: outboxRate, unit: 'MB/s' });
  rows.push({ metric: 'outbox drain / raw upload (storing server)', value: (outboxRate / rawRate) * 100, unit: '%', target: '≥ 80 %', pass: outboxRate / rawRate >= 0.8 });
  rows.push({ metric: 'outbox drain / raw upload (dropping server)', value: (outboxRate * memorySeconds * 1e6 / totalBytes) * 100, unit: '%' });
  details.throughput = { files: files.length, totalBytes, concurrency, memorySeconds, rawSeconds, outboxSeconds: seconds };
  await station.close();
}

async function drainThousand(errorRate: number, label: string): Promise<void> {
  const dataDir = join(root, `hub-${label}`);
  const hub = await spawnHub(pki.dir, dataDir, ['--error-rate', String(errorRate), '--seed', '1234']);
  const station = openStation(pki, pki.lab1, hub.url, tempDir('bench-st'), { concurrency: 6, maxAttempts: 1000, leadsPollMs: realisticLeadsPoll });
  for (let i = 0; i < 1000; i++) enqueue(station, submissionInput(`K-${i % 100}`, `EXH-${i}`, [makeArtifact(station.dir, 8192 + i, 'features')]));
  const started = performance.now();
  station.worker.start();
  await station.worker.drained();
  const seconds = (performance.now() - started) / 1000;
  await hub.stop();
  verifyHubData(dataDir, station, 1000);
  rows.push({ metric: `drain 1,000 submissions, ${Math.round(errorRate * 100)} % of requests failing`, value: seconds, unit: 's' });
  details[label] = { dead: station.worker.repo.counts().dead, failedAttempts: station.db.prepare('SELECT sum(attempts) FROM outbox_jobs').pluck().get() as number };
  await station.close();
}

try {
  await enqueueLatency(pki);
  await throughput();
  await drainThousand(0, 'no-faults');
  await drainThousand(0.3, 'soak-30pct');
  writeBenchReport('network', rows, details);
} finally {
  removeDir(root);
}
