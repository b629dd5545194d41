// Builds the app when the built renderer is missing or older than its sources (end-to-end tests and the browser
// benches run against the built renderer that casebench serve serves).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Returns false when a needed build failed. */
export function ensureRendererBuilt() {
  const builtIndex = join(root, 'out', 'renderer', 'index.html');
  const sources = [join(root, 'renderer'), join(root, 'electron', 'contract'), join(root, 'electron.vite.config.ts')];
  if (existsSync(builtIndex) && Math.max(...sources.map(newestMtime)) <= statSync(builtIndex).mtimeMs) return true;
  console.log('building the app (renderer is missing or older than its sources)');
  const result = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  return result.status === 0;
}
