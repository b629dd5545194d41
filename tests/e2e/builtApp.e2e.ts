// The desktop app as built (out/main/index.js, bundled by electron-vite), run by Node with a stand-in for Electron
// (support/electronStub): its paths must hold from out/main — the preload and the page it loads, the rig profiles
// and the demo rig's specimen (found from the app root, not from where the source files were), the worker and
// simulator entries beside the bundle — so the station starts with the demo rig ready; and quitting waits for the
// host to stop: the app exits cleanly and leaves no simulator running.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../fixtures/sharedData.ts';

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('built desktop app', { timeout: 120_000 }, () => {
  it('starts from out/main with the demo rig ready, and quits only once the host has stopped', async () => {
    const main = join(repoRoot, 'out', 'main', 'index.js');
    assert.ok(existsSync(main), 'the app is built (npx electron-vite build)');
    const userData = mkdtempSync(join(tmpdir(), 'casebench-built-'));
    try {
      const child = spawn(
        process.execPath,
        ['--import', join(import.meta.dirname, 'support', 'electronStub', 'register.ts'), main],
        // From another folder, so nothing is found relative to the working directory by chance.
        {
          cwd: tmpdir(),
          env: { ...process.env, CASEBENCH_STUB_USER_DATA: userData },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', (status) => resolve(status)));
      const line = out.split('\n').find((l) => l.startsWith('{"report"'));
      assert.ok(line, `the app reported its state:\n${out}\n${err}`);
      const { report } = JSON.parse(line) as {
        report: {
          preloadExists: boolean;
          rendererExists: boolean;
          status: { rig: { state: string; label: string }; database: { state: string } };
          children: number[];
        };
      };
      assert.equal(report.preloadExists, true);
      assert.equal(report.rendererExists, true);
      assert.equal(report.status.database.state, 'ok');
      assert.deepEqual(report.status.rig, { state: 'ok', label: 'Demo rig (simulated devices)' });
      assert.ok(report.children.length > 0, 'the demo rig runs its simulators as processes');
      assert.equal(code, 0, `the app exits cleanly once the host has stopped:\n${err}`);
      assert.deepEqual(report.children.filter(alive), [], 'no simulator outlives the app');
    } finally {
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
