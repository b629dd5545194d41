#!/usr/bin/env node
// Entry of the `casebench` command. The CLI is TypeScript run by Node's own type stripping (Node >= 22.18);
// on an older system Node we re-run ourselves with the Node 22 that the project installs as a devDependency.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  const projectNode = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(projectNode)) {
    console.error(`casebench needs Node >= 22.18 (found ${process.versions.node}); run "npm ci" first.`);
    process.exit(4);
  }
  const child = spawn(projectNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  // Whoever stops this wrapper means the station: pass the signal on, so it can shut its simulators down.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  const code = await new Promise((resolve) => {
    child.on('error', () => resolve(4));
    child.on('exit', (status, signal) => resolve(status ?? (signal ? 128 + 15 : 4)));
  });
  process.exit(code);
}
process.removeAllListeners('warning');
const { runCli } = await import('../electron/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
