import { ExitCode, UsageError, type Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import { readCa, readCredentials } from '../../network/pki.ts';
import { startHub } from '../../network/hub/server.ts';
import { faultsSchema } from '../../network/hub/faults.ts';

export const hubCommand: Command = {
  name: ['hub'],
  stopsCleanly: true,
  summary: 'run the reference network hub (HTTPS with mutual TLS; 127.0.0.1 unless --listen)',
  help: `Usage: casebench hub --pki <folder> --data <folder> [--db postgres://…] [options]

Runs the reference hub of the Casebench exchange protocol (docs/network-protocol.md) until interrupted.
Keeps artifacts in <data>/artifacts/. Without --db: submissions in <data>/hub.sqlite, and each committed casing's
X3P is correlated in this process with other labs' casings of the same calibre (screening signatures, then CMC
for the best). With --db: records and correlation jobs in PostgreSQL; the hub only takes submissions (any number
of hubs may share the database and the <data> folder behind a load balancer) and 'casebench hub worker'
processes correlate. See README, "Running the hub on PostgreSQL".

Options:
  --pki <folder>            PKI folder with ca.crt and the hub's <name>.crt/.key/.sign.key (required)
  --name <stem>             the hub's credential file stem (default hub)
  --data <folder>           where the hub keeps its data (required; with --db a folder every hub and worker shares)
  --db <url>                PostgreSQL database, e.g. postgres://hub@db.example/hub (schema migrated at start)
  --port <n>                port (default 8443; 0 picks a free one)
  --listen <address>        address to listen on (default 127.0.0.1; e.g. 0.0.0.0 behind a load balancer)
  --hub-id <id>             the id written into receipts (default: --name)
  --analysis-workers <n>    worker threads of the CMC correlation (default: one per core, at most 8)
  --json                    print {"url", "port"} as JSON once listening
Fault injection (for tests and soak runs):
  --error-rate <0..1>       fraction of requests answered 503
  --latency-ms <n>          delay before each request
  --drop-mid-upload-rate <0..1>  fraction of chunk uploads cut off half-way
  --drop-response-rate <0..1>    fraction of requests processed whose answer is lost
  --duplicate-rate <0..1>   fraction of requests processed twice
  --seed <n>                seed of the fault dice`,
  async run({ argv, stdout, stderr, signal }) {
    const { values } = parseCommandArgs(argv, {
      pki: { type: 'string' },
      name: { type: 'string' },
      data: { type: 'string' },
      port: { type: 'string' },
      'hub-id': { type: 'string' },
      json: { type: 'boolean' },
      db: { type: 'string' },
      listen: { type: 'string' },
      'analysis-workers': { type: 'string' },
      'error-rate': { type: 'string' },
      'latency-ms': { type: 'string' },
      'drop-mid-upload-rate': { type: 'string' },
      'drop-response-rate': { type: 'string' },
      'duplicate-rate': { type: 'string' },
      seed: { type: 'string' },
    });
    if (!values.pki || !values.data) throw new UsageError('--pki and --data are required');
    const port = Number(values.port ?? 8443);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0..65535');
    const number = (v: string | undefined) => (v === undefined ? undefined : Number(v));
    const faults = faultsSchema.safeParse({
      errorRate: number(values['error-rate']),
      latencyMs: number(values['latency-ms']),
      dropMidUploadRate: number(values['drop-mid-upload-rate']),
      dropResponseRate: number(values['drop-response-rate']),
      duplicateRate: number(values['duplicate-rate']),
      seed: number(values.seed),
    });
    if (!faults.success)
      throw new UsageError(
        `fault options: ${faults.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    const analysisWorkers = values['analysis-workers'] === undefined ? undefined : Number(values['analysis-workers']);
    if (
      analysisWorkers !== undefined &&
      !(Number.isInteger(analysisWorkers) && analysisWorkers >= 1 && analysisWorkers <= 64)
    )
      throw new UsageError('--analysis-workers must be 1..64');
    const name = values.name ?? 'hub';
    const credentials = readCredentials(values.pki, name);
    const hub = await startHub({
      dataDir: values.data,
      ca: readCa(values.pki).certificate,
      certificate: credentials.certificate,
      tlsKey: credentials.tlsKey,
      signingKey: credentials.signingKey,
      hubId: values['hub-id'] ?? name,
      port,
      faults: faults.data,
      analysisWorkers,
      db: values.db,
      listen: values.listen,
    });
    stdout.write(
      values.json
        ? `${JSON.stringify({ url: hub.url, port: hub.port })}\n`
        : `hub ${hub.hubId} listening on ${hub.url}\n`,
    );
    await new Promise<void>((resolve) =>
      signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    stderr.write('hub: stopping\n');
    await hub.close();
    return ExitCode.ok;
  },
};
