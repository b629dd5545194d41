// Starts a serial device simulator behind a socat pseudo-terminal pair: socat links `<dir>/<name>` (the end a
// driver opens, like /dev/ttyUSB0) to `<dir>/<name>.device` (the simulator's end). The simulator runs in its
// own process. When it dies, socat is stopped too so the driver's port closes exactly as when a USB-serial
// adapter is pulled; restart() brings the device back on the same path.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workerUrl } from '../../electron/base/workerUrl.ts';
import type { SimFault, SimulatedDevice } from './serialSimulator.ts';

// The simulator's entry file: beside this one in the source tree, or serialSimulator.js beside the desktop
// app's bundled main (electron.vite.config.ts builds it as its own entry).
const simulatorEntry = fileURLToPath(workerUrl('serialSimulator', import.meta.url));

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

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Signals the child's whole process group (each child leads its own: spawned detached). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || hasExited(child)) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal); // the group is already gone; the process itself may linger as a zombie
  }
}

/**
 * Stops a child and waits for it, bounded: `signal` first, SIGKILL to the group after `graceMs`, and after a
 * second grace period give up waiting (a process that ignores SIGKILL is the kernel's business, not a reason
 * to hang the caller).
 */
async function terminateChild(child: ChildProcess, signal: NodeJS.Signals, graceMs = 2000): Promise<void> {
  const waitExit = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (hasExited(child)) return resolve(true);
      const timer = setTimeout(() => {
        child.off('exit', onExit);
        resolve(false);
      }, ms);
      const onExit = () => {
        clearTimeout(timer);
        resolve(true);
      };
      child.once('exit', onExit);
    });
  signalGroup(child, signal);
  if (await waitExit(graceMs)) return;
  signalGroup(child, 'SIGKILL');
  await waitExit(graceMs);
}

// Children still alive when this process exits (a test runner tearing down, Ctrl-C) are killed so no socat or
// simulator outlives us holding a pty.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) signalGroup(child, 'SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
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
    const pair = track(
      spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${path}`, `pty,raw,echo=0,link=${devicePath}`], {
        stdio: 'ignore',
        detached: true,
      }),
    );
    socat = pair;
    let spawnError: NodeJS.ErrnoException | undefined;
    pair.once('error', (error) => (spawnError = error));
    await waitFor(
      () => (existsSync(path) && existsSync(devicePath)) || pair.exitCode !== null || spawnError !== undefined,
      timeoutMs,
      `socat to create ${path}`,
    );
    if (spawnError?.code === 'ENOENT')
      throw new Error('socat is not installed: the simulated serial devices need it (Debian: apt-get install socat)');
    if (spawnError) throw new Error(`cannot start socat: ${spawnError.message}`);
    if (pair.exitCode !== null) throw new Error(`socat exited with code ${pair.exitCode} (is socat installed?)`);
    const args = [
      '--device',
      options.device,
      '--path',
      devicePath,
      ...(options.segments ? ['--segments', String(options.segments)] : []),
      ...(pair.pid ? ['--companion-pid', String(pair.pid)] : []),
    ];
    // Inside Electron, execPath is the Electron binary: ELECTRON_RUN_AS_NODE makes it a plain Node.
    const child = track(
      spawn(process.execPath, [simulatorEntry, ...args], {
        stdio: ['pipe', 'pipe', 'inherit'],
        detached: true,
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      }),
    );
    sim = child;
    child.stdin!.on('error', () => undefined); // a fault injected into a killed simulator goes nowhere
    child.on('exit', () => {
      // The device is gone: close the pty pair so the driver sees its port close (like an unplugged adapter).
      if (socat === pair) signalGroup(pair, 'SIGTERM');
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${options.device} simulator did not start within ${timeoutMs} ms`)),
        timeoutMs,
      );
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
    if (child) await terminateChild(child, signal);
    if (pair) await terminateChild(pair, 'SIGTERM');
  };

  // A start that fails half-way (socat up, simulator not) must not leave processes behind.
  const start = async () => {
    try {
      await launch();
    } catch (error) {
      await terminate('SIGKILL');
      throw error;
    }
  };

  await start();
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
      await start();
    },
    async stop() {
      stopping = true;
      await terminate('SIGTERM');
      rmSync(path, { force: true });
      rmSync(devicePath, { force: true });
    },
  };
}
