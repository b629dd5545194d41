#!/usr/bin/env node
// Entry of the `casebench` command. The CLI is TypeScript run by Node's own type stripping (Node >= 22.18);
// on an older system Node we re-run ourselves with the Node 22 that the project installs as a devDependency.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs this command again as a child (`node` with `nodeArgs`), passing the signals that stop it on; exits as it does. */
async function rerun(node, nodeArgs) {
  const child = spawn(node, [...nodeArgs, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  // Whoever stops this wrapper means the station: pass the signal on, so it can shut its simulators down.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  const code = await new Promise((resolve) => {
    child.on('error', () => resolve(4));
    child.on('exit', (status, signal) => resolve(status ?? (signal ? 128 + 15 : 4)));
  });
  process.exit(code);
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
