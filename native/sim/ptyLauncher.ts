// Starts a serial device simulator behind a socat pseudo-terminal pair: socat links `<dir>/<name>` (the end a
// driver opens, like /dev/ttyUSB0) to `<dir>/<name>.device` (the simulator's end). The simulator runs in its
// own process. When it dies, socat is stopped too so the driver's port closes exactly as when a USB-serial
// adapter is pulled; restart() brings the device back on the same path.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SimFault, SimulatedDevice } from './serialSimulator.ts';

const simulatorEntry = fileURLToPath(new URL('./serialSimulator.ts', import.meta.url));

export interface SerialSimulatorOptions {
  device: SimulatedDevice;
  /** Folder for the pty links. */
  dir: string;
  /** Link name; the driver opens `<dir>/<name>`. */
  name: string;
  segments?: number;
  startTimeoutMs?: number;
}

export interface RunningSimulator {
  readonly device: SimulatedDevice;
  /** The path a driver opens. */
  readonly path: string;
  readonly pid: number | undefined;
  readonly running: boolean;
  inject(fault: SimFault): void;
  /** Kills the simulator process as if the device lost power (SIGKILL); the pty closes. */
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startSerialSimulator(options: SerialSimulatorOptions): Promise<RunningSimulator> {
  mkdirSync(options.dir, { recursive: true });
  const path = join(options.dir, options.name);
  const devicePath = `${path}.device`;
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  let socat: ChildProcess | undefined;
  let sim: ChildProcess | undefined;
  let stopping = false;

  const launch = async () => {
    rmSync(path, { force: true });
    rmSync(devicePath, { force: true });
    const pair = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${path}`, `pty,raw,echo=0,link=${devicePath}`], { stdio: 'ignore' });
    socat = pair;
    pair.once('error', () => undefined);
    await waitFor(() => (existsSync(path) && existsSync(devicePath)) || pair.exitCode !== null, timeoutMs, `socat to create ${path}`);
    if (pair.exitCode !== null) throw new Error(`socat exited with code ${pair.exitCode} (is socat installed?)`);
    const args = ['--device', options.device, '--path', devicePath, ...(options.segments ? ['--segments', String(options.segments)] : [])];
    const child = spawn(process.execPath, [simulatorEntry, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    sim = child;
    child.on('exit', () => {
      // The device is gone: close the pty pair so the driver sees its port close (like an unplugged adapter).
      if (socat === pair) pair.kill('SIGTERM');
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${options.device} simulator did not start within ${timeoutMs} ms`)), timeoutMs);
      child.stdout!.once('data', () => {
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${options.device} simulator exited with code ${code} during start-up`));
      });
    });
  };

  const terminate = async (signal: NodeJS.Signals) => {
    const child = sim;
    const pair = socat;
    child?.kill(signal);
    if (child) await exited(child);
    pair?.kill('SIGTERM');
    if (pair) await exited(pair);
  };

  await launch();
  return {
    device: options.device,
    path,
    get pid() {
      return sim?.pid;
    },
    get running() {
      return !stopping && sim !== undefined && sim.exitCode === null && sim.signalCode === null;
    },
    inject(fault) {
      sim?.stdin?.write(JSON.stringify(fault) + '\n');
    },
    kill: () => terminate('SIGKILL'),
    async restart() {
      await terminate('SIGTERM');
      await launch();
    },
    async stop() {
      stopping = true;
      await terminate('SIGTERM');
      rmSync(path, { force: true });
      rmSync(devicePath, { force: true });
    },
  };
}
