#!/usr/bin/env node
// End-to-end tests in Debian's Chromium against a real `casebench serve`.
//   node scripts/e2e.mjs                 build the app if the renderer is stale, then run tests/e2e/*.e2e.ts
//   node scripts/e2e.mjs --update-docs   also copy the main screenshots into docs/screenshots/ for the README
//   node scripts/e2e.mjs tests/e2e/x.e2e.ts ...   run only these files
// Each test file starts its own station (`casebench serve --port 0 --data-dir <fresh tmp>`, URL read from its
// stdout) so scenarios never share state; screenshots land in test-results/screenshots/.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { ensureRendererBuilt } from './rendererBuild.mjs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Node 22 strips the tests' types; the system Node may be older, the project's own is not.
const [major, minor] = process.versions.node.split('.').map(Number);
const node =
  major > 22 || (major === 22 && minor >= 18) ? process.execPath : join(root, 'node_modules', 'node', 'bin', 'node');

function run(cmd, cmdArgs) {
  const result = spawnSync(cmd, cmdArgs, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
  });
  return result.status ?? 1;
}

if (!existsSync(chromium)) {
  console.error(`e2e: Chromium not found at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH)`);
  process.exit(2);
}

if (!ensureRendererBuilt()) process.exit(1);

const chosen = args.filter((arg) => arg.endsWith('.e2e.ts'));
const testFiles =
  chosen.length > 0
    ? chosen
    : readdirSync(join(root, 'tests', 'e2e'))
        .filter((name) => name.endsWith('.e2e.ts'))
        .map((name) => join('tests', 'e2e', name));
const runStarted = Date.now();
const status = run(node, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...testFiles]);

const shots = join(root, 'test-results', 'screenshots');
if (existsSync(shots)) console.log(`e2e: screenshots in ${shots}`);
if (args.includes('--update-docs') && status === 0) {
  const docs = join(root, 'docs', 'screenshots');
  mkdirSync(docs, { recursive: true });
  const main = [
    '01-first-run',
    '02-case-list',
    '03-case-detail',
    '04-case-history',
    '05-audit-viewer',
    '06-admin',
    '11-case-list-light',
    '30-search-results',
    '31-compare-pair',
    '40-acquisition-relief',
    '43-calibration',
    '44-capture-progress',
    '45-capture-result',
    '46-acquisition-images',
    '50-rig-live',
    '51-rig-device-lost',
    '52-rig-saturated',
    '53-uvc-live',
    '60-network-queue-leads',
    '61-network-lead-comparison',
    '70-manager-dashboard',
    '71-package-export-form',
    '72-package-exported',
    '73-package-verified',
    '75-package-refused',
    '80-exam-workspace-side',
    '81-exam-workspace-split',
    '82-exam-annotated',
    '83-exam-conclusion',
    '84-exam-blind-verifier',
    '86-case-linked',
    '87-exam-test-results',
  ];
  // Only screenshots this run took: a run of some files must not publish another file's stale pictures.
  for (const name of main) {
    const shot = join(shots, `${name}.png`);
    if (existsSync(shot) && statSync(shot).mtimeMs >= runStarted) copyFileSync(shot, join(docs, `${name}.png`));
  }
  console.log(`e2e: copied the main screenshots into ${docs}`);
}
process.exit(status);
