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
          env: { ...process.env, CASEBENCH_STUB_USER_DATA: userData, CASEBENCH_STUB_PACKAGED: '1' },
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
          status: { rig: { state: string; label: string }; database: { state: string } };
          children: number[];
          webPreferences: Record<string, unknown>;
          menuHasDevTools: boolean;
          pageUrl: string;
          page: { status: number; csp: string | null; html: boolean };
          outsideRenderer: number;
          otherHost: number;
          navigationGuards: string[];
          permissions: Record<string, boolean>;
          devicePickers: Record<string, { prevented: boolean; chose: unknown }>;
          windowOpen: { target: string; action: string }[];
          openedExternally: string[];
          portsForForeignFrames: number;
        };
      };
      assert.equal(report.preloadExists, true);
      assert.equal(report.status.database.state, 'ok');
      assert.deepEqual(report.status.rig, { state: 'ok', label: 'Demo rig (simulated devices)' });
      assert.ok(report.children.length > 0, 'the demo rig runs its simulators as processes');
      assert.equal(code, 0, `the app exits cleanly once the host has stopped:\n${err}`);
      assert.deepEqual(report.children.filter(alive), [], 'no simulator outlives the app');

      // Electron hardening (issue 10 item 9), as the packaged app sets it up.
      assert.match(
        report.pageUrl,
        /^app:\/\/casebench\/index\.html$/,
        'the page comes from the app origin, not file://',
      );
      assert.equal(report.page.status, 200);
      assert.ok(report.page.html, 'the built page');
      assert.match(report.page.csp ?? '', /default-src 'self'.*object-src 'none'.*frame-ancestors 'none'/);
      assert.equal(report.outsideRenderer, 403, 'nothing outside out/renderer');
      assert.equal(report.otherHost, 404);
      assert.deepEqual(report.navigationGuards, ['will-attach-webview', 'will-navigate', 'will-redirect']);
      assert.partialDeepStrictEqual(report.webPreferences, {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        webviewTag: false,
        devTools: false,
      });
      assert.equal(report.menuHasDevTools, false, 'no DevTools in the packaged app');
      assert.deepEqual(report.permissions, {
        camera: true,
        microphone: false,
        geolocation: false,
        notifications: false,
        'camera for another origin': false,
        'check camera': true,
        'check clipboard': false,
        'device usb': false,
        'device serial': false,
      });
      for (const picker of ['select-usb-device', 'select-hid-device', 'select-serial-port'])
        assert.equal(report.devicePickers[picker]?.prevented, true, picker);
      assert.deepEqual(report.devicePickers['select-serial-port']?.chose, '', 'no serial port is handed to the page');
      assert.ok(report.windowOpen.every((w) => w.action === 'deny'));
      assert.deepEqual(report.openedExternally, [], 'no outside link is on the allow-list');
      assert.equal(report.portsForForeignFrames, 0, 'only our page gets the host port');
    } finally {
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
