#!/usr/bin/env node
// Entry of the `casebench` command. The CLI is TypeScript run by Node's own type stripping (Node >= 22.18);
// on an older system Node we re-run ourselves with the Node 22 that the project installs as a devDependency.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Marks the child of `rerun` (with the IPC channel to this wrapper); read once by the child, not passed further. */
const wrappedMark = 'CASEBENCH_WRAPPED_BY';

/**
 * Runs this command again as a child (`node` with `nodeArgs`), passing the signals that stop it on; exits as it does:
 * its exit code, or 128 + the number of the signal that ended it (as a shell reports it).
 */
async function rerun(node, nodeArgs) {
  const child = spawn(node, [...nodeArgs, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    // The IPC channel is there to close: when this wrapper dies, even by SIGKILL (which it cannot pass on), the
    // child sees it and stops as if told to (below), instead of running on as an orphan.
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [wrappedMark]: String(process.pid) },
  });
  // Whoever stops this wrapper means the command: pass the signal on. The command stops cleanly at the first and
  // ignores repeats (a Ctrl+C reaches it from the terminal and from here); SIGQUIT forces.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT']) process.on(signal, () => child.kill(signal));
  const code = await new Promise((resolve) => {
    child.on('error', () => resolve(4));
    child.on('exit', (status, signal) => resolve(status ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 4)));
  });
  process.exit(code);
}

if (process.env[wrappedMark] && process.channel) {
  delete process.env[wrappedMark];
  process.channel.unref(); // the channel alone never keeps this process running
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

// A correlation worker (`casebench hub worker`) keeps its analysis threads busy: V8's parallel garbage-collector
// helper threads would compete with them for the same cores (measured: a fifth of a worker's CPU, with more CPU per
// correlation in all; docs/hub-operations.md), so it runs with single-threaded GC unless told --parallel-gc. V8
// reads the flag at start only: the worker runs as a child with it.
const [command, sub] = process.argv.slice(2);
const gcArgs =
  command === 'hub' &&
  sub === 'worker' &&
  !process.argv.includes('--parallel-gc') &&
  !process.execArgv.includes('--single-threaded-gc')
    ? ['--single-threaded-gc']
    : [];

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  const projectNode = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(projectNode)) {
    console.error(`casebench needs Node >= 22.18 (found ${process.versions.node}); run "npm ci" first.`);
    process.exit(4);
  }
  await rerun(projectNode, gcArgs);
}
if (gcArgs.length > 0) await rerun(process.execPath, gcArgs);
process.removeAllListeners('warning');
const { runCli } = await import('../electron/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
