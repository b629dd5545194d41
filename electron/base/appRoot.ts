// Where the app's own files are (package.json, resources/, out/): the checkout when running unbuilt, the same
// checkout when built into out/main, the app's archive once packaged. Found by walking up from this module to the
// folder whose package.json is Casebench's, so the answer does not depend on how deep the bundler put the code
// (a fixed '../../..' is right in one of those places only).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const appName = 'casebench';

/** The first folder at or above `from` (a file or folder path or file: URL) holding Casebench's package.json. */
export function findAppRoot(from: string | URL): string {
  for (let dir = dirname(from instanceof URL || from.startsWith('file:') ? fileURLToPath(from) : resolve(from)); ;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === appName) return dir;
      } catch {
        // Not ours, or unreadable: keep looking above.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no ${appName} package.json above ${String(from)}`);
    dir = parent;
  }
}

export const appRoot = findAppRoot(import.meta.url);

/** The shared reference data (the Fadul scans the demo rig images): $CASEBENCH_SHARED_DATA, else ../shared/data. */
export function sharedDataDir(): string {
  return process.env.CASEBENCH_SHARED_DATA ?? resolve(appRoot, '../shared/data');
}
