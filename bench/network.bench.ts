// Network benchmark: enqueue latency, drain throughput against the hub vs a raw HTTPS upload of the same bytes,
// time to drain 1,000 submissions, and the 1,000-submission soak through a hub failing 30 % of requests.
// Run: npx node bench/network.bench.ts
import { createServer } from 'node:https';
import { Agent, request } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { percentile, writeBenchReport, type BenchRow } from './report.ts';
import {
  deliveredExactlyOnce, enqueue, makeArtifact, makePki, openStation, removeDir, startTestHub, submissionInput, tempDir, type TestPki,
} from '../tests/integration/network/harness.ts';

const root = tempDir('bench-net');
const pki = await makePki(join(root, 'pki'));
const rows: BenchRow[] = [];
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

/** Same files, same mutual TLS, same concurrency: a server that only swallows bytes, one PUT per file. */
async function rawUpload(files: { path: string; size: number }[], concurrency: number): Promise<number> {
  const server = createServer({ key: pki.hub.tlsKey, cert: pki.hub.certificate, ca: pki.ca.certificate, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3' }, (req, res) => {
    req.on('data', () => {});
    req.on('end', () => res.end('{}'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
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
  server.close();
  return seconds;
}

async function throughput(): Promise<void> {
  const hub = await startTestHub(pki, join(root, 'hub-throughput'));
  const concurrency = 2;
  const station = openStation(pki, pki.lab1, hub.url, tempDir('bench-st'), { concurrency, chunkBytes: 8 * 1024 * 1024 });
  const files = Array.from({ length: 24 }, (_, i) => makeArtifact(station.dir, 4 * 1024 * 1024 + i, 'x3p'));
  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  const rawSeconds = await rawUpload(files, concurrency);
  files.forEach((f, i) => enqueue(station, submissionInput(`TP-${i}`, 'EXH-1', [f])));
  const started = performance.now();
  station.worker.start();
  await station.worker.drained();
  const seconds = (performance.now() - started) / 1000;
  const check = deliveredExactlyOnce(hub, station);
  if (check.problems.length > 0) throw new Error(check.problems.join('\n'));
  const rawRate = totalBytes / rawSeconds / 1e6;
  const outboxRate = totalBytes / seconds / 1e6;
  rows.push({ metric: 'raw HTTPS upload (mTLS, loopback)', value: rawRate, unit: 'MB/s' });
  rows.push({ metric: 'outbox drain to hub', value: outboxRate, unit: 'MB/s' });
  rows.push({ metric: 'outbox drain / raw upload', value: (outboxRate / rawRate) * 100, unit: '%', target: '≥ 80 %', pass: outboxRate / rawRate >= 0.8 });
  details.throughput = { files: files.length, totalBytes, concurrency, rawSeconds, outboxSeconds: seconds };
  await station.close();
  await hub.close();
}

async function drainThousand(errorRate: number, label: string): Promise<void> {
  const hub = await startTestHub(pki, join(root, `hub-${label}`), { faults: { errorRate, seed: 1234 } });
  const station = openStation(pki, pki.lab1, hub.url, tempDir('bench-st'), { concurrency: 6, maxAttempts: 1000 });
  for (let i = 0; i < 1000; i++) enqueue(station, submissionInput(`K-${i % 100}`, `EXH-${i}`, [makeArtifact(station.dir, 8192 + i, 'features')]));
  const started = performance.now();
  station.worker.start();
  await station.worker.drained();
  const seconds = (performance.now() - started) / 1000;
  const check = deliveredExactlyOnce(hub, station);
  if (check.problems.length > 0 || check.delivered !== 1000) throw new Error(`${label}: ${check.delivered} delivered; ${check.problems.slice(0, 5).join('\n')}`);
  rows.push({ metric: `drain 1,000 submissions, ${Math.round(errorRate * 100)} % of requests failing`, value: seconds, unit: 's' });
  details[label] = { delivered: check.delivered, dead: station.worker.repo.counts().dead, attempts: (station.db.prepare('SELECT sum(attempts) FROM outbox_jobs').pluck().get() as number) };
  await station.close();
  await hub.close();
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
