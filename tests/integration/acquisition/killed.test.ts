// A station process SIGKILLed in the middle of a capture (after the first region's originals were stored):
// on restart there is no partial acquisition, every stored file is intact, the audit chain verifies and shows
// the capture that started and was interrupted (with the originals kept), and no simulator outlives the killed process.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHost } from '../../../electron/host/createHost.ts';
import { verifyAuditTrail } from '../../../electron/host/services/auditVerification.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'casebench-killed-'));
// The child's temporary folders (its rig's pty links) go here, so the test can find anything it left running.
const childTmp = mkdtempSync(join(tmpdir(), 'casebench-killed-tmp-'));
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(childTmp, { recursive: true, force: true });
});

/** PIDs of processes whose command line names the child's temporary folder (socat pty pairs). */
function leftovers(): number[] {
  try {
    return execFileSync('pgrep', ['-f', childTmp], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe('capture process killed', () => {
  it('leaves no partial acquisition; the audit shows the start; originals intact', async () => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'capture-child.ts'), dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, TMPDIR: childTmp },
    });
    const lines: string[] = [];
    let buffer = '';
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      lines.push(...parts);
      // Kill once the second region is under way: the first region's originals and X3P are already stored.
      if (parts.some((l) => l.startsWith('progress firing_pin: light'))) child.kill('SIGKILL');
    });
    expect(await exited).toBe('SIGKILL');
    expect(lines).not.toContain('done');
    expect(lines.some((l) => l.startsWith('progress breech_face: storing originals'))).toBe(true);

    const host = createHost({ dataDir, log: () => {} });
    try {
      expect(host.db.prepare('SELECT COUNT(*) FROM acquisitions').pluck().get()).toBe(0);
      expect(host.db.prepare('SELECT COUNT(*) FROM acquisition_files').pluck().get()).toBe(0);
      const actions = host.db
        .prepare(
          "SELECT action FROM audit_log WHERE action LIKE 'capture.%' OR action LIKE 'acquisition.%' ORDER BY seq",
        )
        .pluck()
        .all();
      // The restarted station closed the capture in the trail, naming the originals it kept (before: only
      // capture.start, the files unexplained).
      expect(actions).toEqual(['capture.start', 'capture.interrupted']);
      const stored = host.db
        .prepare("SELECT sha256 FROM evidence_files WHERE media_type = 'application/x-x3p'")
        .pluck()
        .all() as string[];
      expect(stored).toHaveLength(1); // the first region's topography: stored, intact, referenced by no acquisition
      const interrupted = JSON.parse(
        host.db
          .prepare("SELECT after_json FROM audit_log WHERE action = 'capture.interrupted'")
          .pluck()
          .get() as string,
      ) as { unreferencedFiles: number; files: string[] };
      // Every original the capture stored after its start (the calibration's own files came before it).
      const storedSinceStart = host.db
        .prepare(
          "SELECT entity_id FROM audit_log WHERE action = 'evidence.store' AND seq > (SELECT seq FROM audit_log WHERE action = 'capture.start')",
        )
        .pluck()
        .all() as string[];
      expect(interrupted.files.sort()).toEqual(storedSinceStart.sort());
      expect(interrupted.files).toContain(stored[0]);
      expect(interrupted.unreferencedFiles).toBe(storedSinceStart.length);
      expect(await host.evidence.verify()).toMatchObject({ ok: true, missing: [], altered: [] });
      expect(verifyAuditTrail(host.db, host.audit).ok).toBe(true);
      expect(readdirSync(join(host.evidence.root, 'tmp'))).toEqual([]);
    } finally {
      await host.close();
    }
    // The simulators notice their parent is gone (stdin closes) and exit, and their pty pairs with them.
    const deadline = Date.now() + 5000;
    while (leftovers().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const remaining = leftovers();
    for (const pid of remaining) process.kill(pid, 'SIGKILL');
    expect(remaining).toEqual([]);
  }, 120_000);
});
