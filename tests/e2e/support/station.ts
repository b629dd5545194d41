// Starts a real `casebench serve` on a fresh data folder and reads the URL it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..', '..');

export interface RunningStation {
  /** The printed address, token included: what a user would open. */
  url: string;
  origin: string;
  dataDir: string;
  /** The serve process; tests find the simulators it started among its children. */
  pid: number;
  output: () => string;
  stop(): Promise<void>;
}

export async function startStation(
  options: { dataDir?: string; timeoutMs?: number; port?: number } = {},
): Promise<RunningStation> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'casebench-e2e-'));
  const ownsDir = !options.dataDir;
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'bin', 'casebench.mjs'), 'serve', '--port', String(options.port ?? 0), '--data-dir', dataDir],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`casebench serve printed no URL within ${options.timeoutMs ?? 20_000} ms:\n${log}`)),
      options.timeoutMs ?? 20_000,
    );
    const check = () => {
      const match = log.match(/https?:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`casebench serve exited with ${code} before printing its URL:\n${log}`));
    });
  });

  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    pid: child.pid!,
    output: () => log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (ownsDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
