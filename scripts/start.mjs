// `npm start`: build, then open the desktop window with Electron's binary. npm fetches that binary on install;
// on a machine where it could not (offline, a proxy, ELECTRON_SKIP_BINARY_DOWNLOAD) electron-vite would stop with
// "Electron uninstall", so say what happened and what to do before trying.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The Electron executable npm installed (or ELECTRON_OVERRIDE_DIST_PATH names), or null when there is none. */
export function electronBinary(electronDir = join(root, 'node_modules', 'electron'), env = process.env) {
  const pathFile = join(electronDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const file = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return existsSync(file) ? file : null;
  }
  if (!relative) return null;
  const file = join(electronDir, 'dist', relative);
  return existsSync(file) ? file : null;
}

export const missingElectronText = `Casebench: Electron's binary is not installed, so the desktop window cannot open.
npm downloads it when it installs the project; here it could not (no internet, a proxy, or
ELECTRON_SKIP_BINARY_DOWNLOAD set).

  - To use the station now, in a browser:   npm run serve   (it prints the address to open)
  - To install Electron's binary:            node node_modules/electron/install.js   (needs internet)
    or point ELECTRON_OVERRIDE_DIST_PATH at a folder holding an unpacked Electron ${
      JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version
    }.
`;

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, shell: false });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!electronBinary()) {
    process.stderr.write(missingElectronText);
    process.exit(1);
  }
  const bin = join(root, 'node_modules', '.bin', 'electron-vite');
  run(bin, ['build']);
  run(bin, ['preview']);
}
