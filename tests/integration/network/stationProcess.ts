// A station as its own process, for the SIGKILL test: drains its outbox slowly and prints progress lines.
// Usage: node stationProcess.ts <pkiDir> <hubUrl> <stationDir>
import { join } from 'node:path';
import { readCa, readCredentials } from '../../../electron/network/pki.ts';
import { HubClient } from '../../../electron/network/client.ts';
import { OutboxWorker } from '../../../electron/network/outbox/worker.ts';
import { openDatabase } from '../../../electron/host/storage/database.ts';
import { OutboxRepo } from '../../../electron/host/storage/repos/outbox.ts';

const [pkiDir, hubUrl, stationDir] = process.argv.slice(2);
const ca = readCa(pkiDir).certificate;
const db = openDatabase(join(stationDir, 'station.sqlite'));
const client = new HubClient({ url: hubUrl, ca, credentials: readCredentials(pkiDir, 'lab1') });
const worker = new OutboxWorker({
  store: new OutboxRepo(db),
  client,
  chunkBytes: 16 * 1024,
  bandwidthBytesPerSecond: 400_000,
  backoff: { baseMs: 20, maxMs: 200 },
  onEvent: (event) => {
    if (event.type === 'progress') process.stdout.write(`progress ${event.jobId} ${event.bytesSent}\n`);
    if (event.type === 'job') process.stdout.write(`job ${event.job.id} ${event.job.state}\n`);
  },
});
worker.start();
