// The network commands as a person runs them: pki, outbox send/list/retry/cancel, bundles, with audit entries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '../../../electron/cli/main.ts';
import { openDatabase } from '../../../electron/host/storage/database.ts';
import { OutboxRepo } from '../../../electron/host/storage/repos/outbox.ts';
import { readCa, readCredentials } from '../../../electron/network/pki.ts';
import { enqueueSubmission, stationSigner } from '../../../electron/network/outbox/enqueue.ts';
import { startHub, type Hub } from '../../../electron/network/hub/server.ts';
import { makeArtifact, removeDir, submissionInput, tempDir } from './harness.ts';

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

async function cli(...argv: string[]) {
  const out = sink();
  const err = sink();
  const code = await runCli(argv, {
    stdout: out.stream as unknown as typeof process.stdout,
    stderr: err.stream as unknown as typeof process.stderr,
  });
  return { code, stdout: out.text(), stderr: err.text() };
}

let dir: string;
let hub: Hub;

beforeAll(async () => {
  dir = tempDir('net-cli');
  const pki = join(dir, 'pki');
  expect((await cli('pki', 'init', '--dir', pki)).code).toBe(0);
  expect((await cli('pki', 'init', '--dir', pki)).code).toBe(3); // never overwrites a CA
  expect(
    (await cli('pki', 'issue', '--dir', pki, '--kind', 'hub', '--org', 'casebench-dev', '--unit', 'hub')).code,
  ).toBe(0);
  for (const [unit, name] of [
    ['ST-1', 'station'],
    ['ST-2', 'connected'],
  ]) {
    expect(
      (await cli('pki', 'issue', '--dir', pki, '--kind', 'station', '--org', 'LAB-9', '--unit', unit, '--name', name))
        .code,
    ).toBe(0);
  }
  expect((await cli('pki', 'issue', '--dir', pki, '--kind', 'printer', '--org', 'x', '--unit', 'y')).code).toBe(2);
  const hubCredentials = readCredentials(pki, 'hub');
  hub = await startHub({
    dataDir: join(dir, 'hub'),
    ca: readCa(pki).certificate,
    ...hubCredentials,
    tlsKey: hubCredentials.tlsKey,
  });
});
afterAll(async () => {
  await hub?.close();
  removeDir(dir);
});

describe('casebench outbox', () => {
  it('sends, lists, refuses to cancel what is delivered, and audits a cancel', async () => {
    const pki = join(dir, 'pki');
    const dataDir = join(dir, 'station');
    const db = openDatabase(join(dataDir, 'casebench.sqlite'));
    const signer = stationSigner(readCredentials(pki, 'station'), readCa(pki).certificate);
    const sent = enqueueSubmission(
      new OutboxRepo(db),
      signer,
      submissionInput('CLI-1', 'EXH-1', [makeArtifact(dir, 10_000)]),
    );
    db.close();

    const send = await cli('outbox', 'send', '--hub', hub.url, '--data-dir', dataDir, '--pki', pki);
    expect(send.stderr).toMatch(/job 1 committed/);
    expect(send.code).toBe(0);
    const list = JSON.parse((await cli('outbox', 'list', '--json', '--data-dir', dataDir)).stdout) as {
      counts: Record<string, number>;
    };
    expect(list.counts.committed + list.counts.correlated).toBe(1);
    expect((await cli('outbox', 'cancel', String(sent.id), '--data-dir', dataDir)).code).toBe(1);

    const db2 = openDatabase(join(dataDir, 'casebench.sqlite'));
    const queued = enqueueSubmission(
      new OutboxRepo(db2),
      signer,
      submissionInput('CLI-1', 'EXH-2', [makeArtifact(dir, 10_000)]),
    );
    db2.close();
    const cancel = await cli('outbox', 'cancel', String(queued.id), '--reason', 'entered twice', '--data-dir', dataDir);
    expect(cancel.stdout).toMatch(/canceled/);
    const db3 = openDatabase(join(dataDir, 'casebench.sqlite'));
    const audit = db3.prepare("SELECT action, reason FROM audit_log WHERE action LIKE 'outbox.%'").all();
    db3.close();
    expect(audit).toEqual([{ action: 'outbox.cancel', reason: 'entered twice' }]);
    expect((await cli('outbox', 'list', '--state', 'nonsense', '--data-dir', dataDir)).code).toBe(2);
  });

  it('moves submissions through bundles between an air-gapped and a connected station', async () => {
    const pki = join(dir, 'pki');
    const offlineDir = join(dir, 'offline');
    const onlineDir = join(dir, 'online');
    const db = openDatabase(join(offlineDir, 'casebench.sqlite'));
    enqueueSubmission(
      new OutboxRepo(db),
      stationSigner(readCredentials(pki, 'station'), readCa(pki).certificate),
      submissionInput('AG-9', 'EXH-1', [makeArtifact(dir, 12_000)]),
    );
    db.close();
    const bundle = join(dir, 'usb-stick.cbbundle');
    expect((await cli('outbox', 'export', '--out', bundle, '--data-dir', offlineDir, '--pki', pki)).stdout).toMatch(
      /exported 1 submission/,
    );
    expect(
      (await cli('outbox', 'import', '--bundle', bundle, '--data-dir', onlineDir, '--pki', pki, '--name', 'connected'))
        .stdout,
    ).toMatch(/queued 1 submission/);
    expect(
      (await cli('outbox', 'send', '--hub', hub.url, '--data-dir', onlineDir, '--pki', pki, '--name', 'connected'))
        .code,
    ).toBe(0);
    const results = join(dir, 'results.cbbundle');
    expect(
      (
        await cli(
          'outbox',
          'results-export',
          '--out',
          results,
          '--data-dir',
          onlineDir,
          '--pki',
          pki,
          '--name',
          'connected',
        )
      ).code,
    ).toBe(0);
    // A station that names its hub (hub.json) takes receipts only from a certificate naming that hub, from the
    // command line as from the station's screens; the refusal is on the audit trail.
    const hubSettings = join(offlineDir, 'network', 'hub.json');
    mkdirSync(join(offlineDir, 'network'), { recursive: true });
    writeFileSync(hubSettings, JSON.stringify({ url: 'https://hub.elsewhere.example' }));
    const elsewhere = await cli(
      'outbox',
      'results-import',
      '--bundle',
      results,
      '--data-dir',
      offlineDir,
      '--pki',
      pki,
    );
    expect(elsewhere.code).toBe(3);
    expect(elsewhere.stderr).toMatch(/does not name hub.elsewhere.example/);
    const db4 = openDatabase(join(offlineDir, 'casebench.sqlite'));
    expect(db4.prepare("SELECT action FROM audit_log WHERE action LIKE 'outbox.importResults%'").all()).toEqual([
      { action: 'outbox.importResultsRefused' },
    ]);
    db4.close();
    rmSync(hubSettings);
    expect(
      (await cli('outbox', 'results-import', '--bundle', results, '--data-dir', offlineDir, '--pki', pki)).stdout,
    ).toMatch(/applied 1 receipt/);
    const missing = await cli(
      'outbox',
      'import',
      '--bundle',
      join(dir, 'nope.cbbundle'),
      '--data-dir',
      onlineDir,
      '--pki',
      pki,
      '--name',
      'connected',
    );
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/no bundle at/);
  });
});
