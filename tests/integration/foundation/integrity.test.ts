import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createHost } from '../../../electron/host/createHost.ts';
import { startSignedIn } from '../../fixtures/testHost.ts';
import { runCli } from '../../../electron/cli/main.ts';
import { Writable } from 'node:stream';
import { verifyAuditTrail } from '../../../electron/host/services/auditVerification.ts';

let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup) await f();
  cleanup = [];
});

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

describe('forensic integrity', () => {
  it('a process SIGKILLed in the middle of writes leaves a consistent database whose every change is audited', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'casebench-crash-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const child = spawn(process.execPath, [join(import.meta.dirname, 'crash-writer.ts'), dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const committed: string[] = [];
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        committed.push(...String(chunk).split('\n').filter(Boolean));
        if (committed.length >= 40) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    expect(child.signalCode).toBe('SIGKILL');

    const host = createHost({ dataDir, log: () => {} });
    cleanup.unshift(() => host.close());
    expect(host.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const cases = host.db.prepare('SELECT lab_case_number FROM cases').pluck().all() as string[];
    for (const number of committed) expect(cases).toContain(number);
    // Every case and item in the database has its audit entry, and nothing was audited that is not there.
    const caseCount = cases.length;
    const itemCount = host.db.prepare('SELECT count(*) FROM items').pluck().get() as number;
    expect(host.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'case.create'").pluck().get()).toBe(
      caseCount,
    );
    expect(host.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'item.create'").pluck().get()).toBe(
      itemCount,
    );
    expect(verifyAuditTrail(host.db, host.audit).ok).toBe(true);
  });

  it('audit verify names the first altered entry, and the CLI exits 1', async () => {
    const { client, host, dataDir, dispose } = await startSignedIn();
    cleanup.push(dispose);
    for (let i = 0; i < 5; i++) await client.call('cases.create', { labCaseNumber: `T-${i}` });
    expect(() => host.db.prepare('UPDATE audit_log SET action = ? WHERE seq = 3').run('case.delete')).toThrow(
      /append-only/,
    );
    expect(() => host.db.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow(/append-only/);

    // A tamperer with file access drops the trigger and edits an entry.
    const raw = new Database(join(dataDir, 'casebench.sqlite'));
    raw.exec('DROP TRIGGER audit_log_no_update');
    raw.prepare('UPDATE audit_log SET after_json = \'{"labCaseNumber":"FORGED"}\' WHERE seq = 4').run();
    raw.close();
    const result = verifyAuditTrail(host.db, host.audit);
    expect(result.ok).toBe(false);
    expect(result.firstBroken?.seq).toBe(4);

    const out = capture();
    const code = await runCli(['audit', 'verify', '--data-dir', dataDir], {
      stdout: out.stream as unknown as typeof process.stdout,
      stderr: out.stream as unknown as typeof process.stderr,
    });
    expect(code).toBe(1);
    expect(out.text()).toContain('BROKEN at entry 4');
  });

  it('audit verify notices a deleted entry in the middle of the chain', async () => {
    const { client, host, dataDir, dispose } = await startSignedIn();
    cleanup.push(dispose);
    for (let i = 0; i < 4; i++) await client.call('cases.create', { labCaseNumber: `D-${i}` });
    const raw = new Database(join(dataDir, 'casebench.sqlite'));
    raw.exec('DROP TRIGGER audit_log_no_delete');
    raw.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    raw.close();
    expect(verifyAuditTrail(host.db, host.audit).firstBroken).toMatchObject({
      seq: 3,
      reason: expect.stringContaining('entry 2 is missing'),
    });
  });

  it('audit verify notices entries cut off the end of the chain', async () => {
    const { client, host, dataDir, dispose } = await startSignedIn();
    cleanup.push(dispose);
    for (let i = 0; i < 4; i++) await client.call('cases.create', { labCaseNumber: `E-${i}` });
    const last = host.audit.count();
    const raw = new Database(join(dataDir, 'casebench.sqlite'));
    raw.exec('DROP TRIGGER audit_log_no_delete');
    raw.prepare('DELETE FROM audit_log WHERE seq >= ?').run(last - 1);
    raw.close();
    expect(verifyAuditTrail(host.db, host.audit)).toMatchObject({
      ok: false,
      firstBroken: { seq: last - 1, reason: expect.stringContaining('removed from the end') },
    });
  });

  it('evidence files are stored once by hash, read-only, and verify names missing and altered files', async () => {
    const { host, dispose } = await startSignedIn();
    cleanup.push(dispose);
    const actor = { userId: 1, username: 'admin' };
    const a = host.evidence.put(
      new TextEncoder().encode('image A'),
      { mediaType: 'image/png', originalName: 'a.png' },
      actor,
    );
    const again = host.evidence.put(new TextEncoder().encode('image A'), { mediaType: 'image/png' }, actor);
    expect(again).toMatchObject({ sha256: a.sha256, created: false });
    const b = host.evidence.put(new TextEncoder().encode('image B'), { mediaType: 'image/png' }, actor);
    expect((await host.evidence.verify()).ok).toBe(true);

    chmodSync(host.evidence.pathOf(a.sha256), 0o644);
    writeFileSync(host.evidence.pathOf(a.sha256), 'tampered');
    rmSync(host.evidence.pathOf(b.sha256));
    const result = await host.evidence.verify();
    expect(result).toMatchObject({ ok: false, altered: [a.sha256], missing: [b.sha256] });
    expect(() => host.db.prepare('DELETE FROM evidence_files').run()).toThrow(/write-once/);
  });
});
