// casebench outbox …: the station's network outbox from the command line (status, send, retry, cancel, bundles).
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import { stationConfig, stationOptions, stationOptionsHelp } from '../stationOptions.ts';
import { databasePath } from '../../host/config.ts';
import { openDatabase, type Db } from '../../host/storage/database.ts';
import { AuditRepo, type AuditRecord } from '../../host/storage/repos/auditRepo.ts';
import { OutboxRepo } from '../../host/storage/repos/outbox.ts';
import { outboxOptionsFor } from '../../host/services/outbox/networkSettings.ts';
import { outboxStates, type OutboxState } from '../../network/outbox/store.ts';
import { readCa, readCredentials } from '../../network/pki.ts';
import { stationSigner } from '../../network/outbox/enqueue.ts';
import { FileExistsError } from '../../base/durableFile.ts';
import { HubClient } from '../../network/client.ts';
import { OutboxWorker } from '../../network/outbox/worker.ts';
import {
  BundleError,
  exportResultsBundle,
  exportSubmissionBundle,
  importResultsBundle,
  resultsRefusal,
  importSubmissionBundle,
} from '../../network/bundle.ts';

const networkOptions = { ...stationOptions, pki: { type: 'string' }, name: { type: 'string' } } as const;
const networkHelp = `${stationOptionsHelp}
  --pki PATH        folder with ca.crt and this station's <name>.crt/.key/.sign.key (default <data-dir>/network)
  --name STEM       this station's credential file stem (default station)`;

function open(values: { 'data-dir'?: string; db?: string }): Db {
  return openDatabase(databasePath(stationConfig(values)));
}

function identity(values: { 'data-dir'?: string; db?: string; pki?: string; name?: string }) {
  const dir = values.pki ?? join(stationConfig(values).dataDir, 'network');
  const ca = readCa(dir).certificate;
  const credentials = readCredentials(dir, values.name ?? 'station');
  return { ca, credentials, signer: stationSigner(credentials, ca) };
}

/** Every change a person makes to the outbox is audited in the same transaction. */
function audited(db: Db, record: AuditRecord, change: () => void): void {
  db.transaction(() => {
    change();
    new AuditRepo(db).append({ userId: null, username: `cli:${userInfo().username}` }, record);
  })();
}

function bundleFailure(error: unknown): never {
  if (error instanceof BundleError || error instanceof FileExistsError)
    throw Object.assign(new Error(error.message), { exitCode: ExitCode.badInput });
  throw error;
}

export const outboxListCommand: Command = {
  name: ['outbox', 'list'],
  summary: 'list network submissions and where each stands',
  help: `Usage: casebench outbox list [--state STATE] [--json] [options]

States: ${outboxStates.join(', ')}.

Options:
  --state STATE     only jobs in this state
  --json            print as JSON
${stationOptionsHelp}`,
  async run({ argv, stdout }) {
    const { values } = parseCommandArgs(argv, {
      ...stationOptions,
      state: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.state && !outboxStates.includes(values.state as OutboxState))
      throw new UsageError(`--state must be one of ${outboxStates.join(', ')}`);
    const db = open(values);
    try {
      const repo = new OutboxRepo(db);
      const jobs = repo.list({ states: values.state ? [values.state as OutboxState] : undefined });
      if (values.json) {
        stdout.write(
          `${JSON.stringify({ counts: repo.counts(), jobs: jobs.map(({ manifest: _m, originCertificate: _c, hubCertificate: _h, ...rest }) => rest) })}\n`,
        );
        return ExitCode.ok;
      }
      for (const j of jobs) {
        const progress = j.bytesTotal ? `${Math.round((100 * j.bytesSent) / j.bytesTotal)}%` : '';
        stdout.write(
          `${String(j.id).padStart(5)}  ${j.state.padEnd(10)} ${j.caseRef}/${j.itemRef}  ${progress.padStart(4)}  attempts ${j.attempts}${j.exportedAt ? '  exported' : ''}${j.lastError ? `  — ${j.lastError}` : ''}${j.leads ? `  leads ${j.leads.length}` : ''}\n`,
        );
        // What the hub could not compare, in its words: "leads 0" alone would read as "no match in the network".
        for (const note of j.correlationNotes) stdout.write(`       hub: ${note}\n`);
      }
      stdout.write(
        `${Object.entries(repo.counts())
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}\n`,
      );
      return ExitCode.ok;
    } finally {
      db.close();
    }
  },
};

function jobCommand(verb: 'retry' | 'cancel'): Command {
  return {
    name: ['outbox', verb],
    summary:
      verb === 'retry'
        ? 'put a rejected or dead submission back in the queue'
        : 'cancel a submission not yet committed at the hub',
    help: `Usage: casebench outbox ${verb} <job id> [--reason TEXT] [options]

Options:
  --reason TEXT     why (kept in the audit log)
${stationOptionsHelp}`,
    async run({ argv, stdout }) {
      const { values, positionals } = parseCommandArgs(argv, { ...stationOptions, reason: { type: 'string' } });
      const id = Number(positionals[0]);
      if (!Number.isInteger(id) || id <= 0) throw new UsageError('give the job id');
      const db = open(values);
      try {
        const repo = new OutboxRepo(db);
        const before = repo.get(id);
        if (!before) throw Object.assign(new Error(`no outbox job ${id}`), { exitCode: ExitCode.badInput });
        let changed = false;
        audited(
          db,
          {
            action: `outbox.${verb}`,
            entityType: 'outbox_job',
            entityId: id,
            caseId: before.caseId,
            before: { state: before.state },
            after: { state: verb === 'cancel' ? 'canceled' : 'queued' },
            reason: values.reason ?? null,
          },
          () => {
            changed = verb === 'retry' ? repo.retry(id, Date.now()) : repo.cancel(id, Date.now());
            if (!changed)
              throw Object.assign(new Error(`job ${id} is ${before.state}: cannot ${verb} it`), {
                exitCode: ExitCode.failed,
              });
          },
        );
        stdout.write(`job ${id}: ${repo.get(id)!.state}\n`);
        return ExitCode.ok;
      } finally {
        db.close();
      }
    },
  };
}
export const outboxRetryCommand = jobCommand('retry');
export const outboxCancelCommand = jobCommand('cancel');

export const outboxSendCommand: Command = {
  name: ['outbox', 'send'],
  summary: 'send queued submissions to the hub until none is left',
  help: `Usage: casebench outbox send --hub URL [--bandwidth BYTES_PER_S] [--leads] [options]

Runs the outbox worker until nothing is left to send (with --leads: until every submission has its leads).
Progress goes to stderr. Safe to interrupt: uploads resume where they stopped.

Options:
  --hub URL         the hub, e.g. https://127.0.0.1:8443
  --bandwidth N     average upload limit in bytes per second
  --leads           also wait for correlation results
${networkHelp}`,
  async run({ argv, stdout, stderr, signal }) {
    const { values } = parseCommandArgs(argv, {
      ...networkOptions,
      hub: { type: 'string' },
      bandwidth: { type: 'string' },
      leads: { type: 'boolean' },
    });
    if (!values.hub) throw new UsageError('--hub is required');
    const bandwidth = values.bandwidth === undefined ? undefined : Number(values.bandwidth);
    if (bandwidth !== undefined && !(bandwidth > 0))
      throw new UsageError('--bandwidth must be a positive number of bytes per second');
    const { ca, credentials } = identity(values);
    const db = open(values);
    const client = new HubClient({ url: values.hub, ca, credentials });
    const worker = new OutboxWorker({
      store: new OutboxRepo(db),
      client,
      bandwidthBytesPerSecond: bandwidth,
      onEvent: (e) => {
        if (e.type === 'job')
          stderr.write(`job ${e.job.id} ${e.job.state}${e.job.lastError ? ` — ${e.job.lastError}` : ''}\n`);
        if (e.type === 'connectivity') stderr.write(`hub ${e.connectivity}${e.reason ? `: ${e.reason}` : ''}\n`);
      },
    });
    try {
      worker.start();
      await worker.drained({ leads: values.leads ?? false, signal });
      const counts = worker.store.counts();
      stdout.write(
        `${Object.entries(counts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}\n`,
      );
      return counts.rejected + counts.dead > 0 ? ExitCode.failed : ExitCode.ok;
    } finally {
      await worker.stop();
      client.close();
      db.close();
    }
  },
};

function bundleCommand(
  kind: 'export' | 'import' | 'results-export' | 'results-import',
  summary: string,
  body: string,
): Command {
  const takesOut = kind.endsWith('export');
  return {
    name: ['outbox', kind],
    summary,
    help: `Usage: casebench outbox ${kind} ${takesOut ? '--out FILE' : '--bundle FILE'} [options]

${body}

Options:
  ${takesOut ? '--out FILE        the bundle file to write (e.g. on removable media)' : '--bundle FILE     the bundle file to read'}
${networkHelp}`,
    async run({ argv, stdout }) {
      const { values } = parseCommandArgs(argv, {
        ...networkOptions,
        out: { type: 'string' },
        bundle: { type: 'string' },
      });
      const file = takesOut ? values.out : values.bundle;
      if (!file) throw new UsageError(takesOut ? '--out is required' : '--bundle is required');
      const { ca, signer } = identity(values);
      const db = open(values);
      try {
        const action = `outbox.${kind}`;
        let message = '';
        const store = new OutboxRepo(db);
        // The audit entry commits in the transaction that changes the outbox (inside the bundle functions).
        const record = (after: Record<string, unknown>) =>
          new AuditRepo(db).append(
            { userId: null, username: `cli:${userInfo().username}` },
            { action, entityType: 'outbox_bundle', entityId: file, after },
          );
        try {
          if (kind === 'export') {
            const r = await exportSubmissionBundle(store, signer, file, Date.now(), record);
            message = `exported ${r.jobs} submission(s) to ${file} (bundle ${r.bundleId})${r.remaining ? `; ${r.remaining} more did not fit: export again for them` : ''}`;
          } else if (kind === 'import') {
            const r = await importSubmissionBundle(
              store,
              ca,
              signer.labId,
              file,
              join(stationConfig(values).dataDir, 'network', 'imported'),
              Date.now(),
              record,
            );
            message = `queued ${r.imported} submission(s); ${r.alreadyKnown} were already known`;
          } else if (kind === 'results-export') {
            const r = await exportResultsBundle(store, signer, file);
            db.transaction(() => record(r))();
            message = `exported results of ${r.results} submission(s) to ${file}`;
          } else {
            // The hub this station names (hub.json), checked in the receipts' certificates as the station's screens do.
            const hubUrl = outboxOptionsFor(stationConfig(values).dataDir).hubUrl;
            const hub = { hostname: hubUrl ? new URL(hubUrl).hostname : undefined };
            const r = await importResultsBundle(store, ca, signer.labId, file, Date.now(), hub, record);
            message = `applied ${r.applied} receipt(s); ${r.unknown} unknown to this station`;
          }
        } catch (error) {
          if (kind === 'results-import' && error instanceof BundleError)
            db.transaction(() =>
              new AuditRepo(db).append(
                { userId: null, username: `cli:${userInfo().username}` },
                resultsRefusal(file, error),
              ),
            )();
          bundleFailure(error);
        }
        stdout.write(`${message}\n`);
        return ExitCode.ok;
      } finally {
        db.close();
      }
    },
  };
}

export const outboxExportCommand = bundleCommand(
  'export',
  'export queued submissions as a signed bundle (air-gapped lab)',
  'Writes every queued submission not yet exported, with its artifacts, into one signed bundle and marks them exported.',
);
export const outboxImportCommand = bundleCommand(
  'import',
  'queue the submissions of a signed bundle from an air-gapped station',
  'Checks the bundle signature, each manifest signature and each artifact hash, then queues the submissions. Importing twice changes nothing.',
);
export const outboxResultsExportCommand = bundleCommand(
  'results-export',
  'export receipts and leads of bundled submissions as a signed bundle',
  'Writes the hub receipts and leads of every delivered submission that came in by bundle.',
);
export const outboxResultsImportCommand = bundleCommand(
  'results-import',
  'apply a signed results bundle on the air-gapped station',
  'Checks the bundle signature and every hub receipt signature, then marks the submissions committed or correlated.',
);
