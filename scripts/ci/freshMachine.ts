#!/usr/bin/env node
// Fresh-machine check: every program the code, the tests, the benchmarks and the scripts start must be on a
// fresh Debian machine once .ci/run has run — either part of Debian's base system, or a package .ci/run installs.
// A test that needs `udevadm`, `lsusb` or `ps` passes on a developer's machine and fails in CI; this finds it
// before CI does. It reads the sources for the programs they start (spawn/exec calls naming a program, absolute
// /usr/bin paths, the PostgreSQL server folder), looks each one up in the table below, and reads .ci/run for the
// packages it installs. A program missing from the table fails the check until someone says which Debian package
// provides it (and adds that package to .ci/run unless it is in the base system).
// `npx node scripts/ci/freshMachine.ts` (Node 22 from the project) prints the programs and their packages; exit 1 on a problem.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Packages of every Debian installation (essential or required priority: present in debian:stable-slim). */
export const basePackages = new Set([
  'coreutils',
  'libc-bin',
  'util-linux',
  'mount',
  'bash',
  'findutils',
  'grep',
  'sed',
  'tar',
  'gzip',
  'debianutils',
  'dpkg',
  'login',
  'hostname',
]);

/** Which Debian package provides each program the project starts. `null`: comes with Node or npm (node_modules). */
export const programPackages: Record<string, string | null> = {
  node: null,
  npx: null,
  npm: null,
  'electron-vite': null,
  'electron-builder': null,
  vitest: null,
  tsc: null,
  eslint: null,
  prettier: null,
  id: 'coreutils',
  sync: 'coreutils',
  getconf: 'libc-bin',
  mount: 'mount',
  umount: 'mount',
  runuser: 'util-linux',
  ps: 'procps',
  pgrep: 'procps',
  socat: 'socat',
  chromium: 'chromium',
  Xvfb: 'xvfb',
  pdftoppm: 'poppler-utils',
  pdftotext: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  pdfsig: 'poppler-utils',
  pdfimages: 'poppler-utils',
  pdffonts: 'poppler-utils',
  initdb: 'postgresql',
  pg_ctl: 'postgresql',
  postgres: 'postgresql',
};

/** Programs a station or a test must never need: a container or a minimal install lacks them. */
export const neverNeeded = new Set(['udevadm', 'lsusb', 'systemctl', 'udevd', 'sudo']);

// What CI runs (npm test). bench/ is left out: benchmarks are not part of CI, and the one external program there
// (python3 with OpenCV, to compare against native OpenCV) is optional: the figure is left out without it.
const sourceDirs = ['electron', 'native', 'tests', 'scripts', 'bin'];
const sourceFile = /\.(ts|tsx|mjs|js|cjs)$/;

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (sourceFile.test(name)) yield path;
  }
}

const spawnCall = /(?<![.\w])(?:spawn|spawnSync|execFile|execFileSync|exec|execSync)\(\s*['"`]([^'"`\s$]+)/g;
const usrBin = /['"`]\/usr\/(?:local\/)?s?bin\/([\w.+-]+)['"`]/g;
const commandPair = /\[\s*'(runuser|sudo|su)'\s*,/g;

/** The programs a source text starts. */
export function programsIn(text: string): Set<string> {
  const found = new Set<string>();
  for (const pattern of [spawnCall, usrBin, commandPair])
    for (const match of text.matchAll(pattern)) found.add(match[1].split('/').pop()!);
  if (text.includes('/usr/lib/postgresql')) for (const tool of ['initdb', 'pg_ctl']) found.add(tool);
  return found;
}

/** The packages .ci/run installs (its `need+=(package)` lines). */
export function packagesInstalledBy(ciScript: string): Set<string> {
  return new Set([...ciScript.matchAll(/need\+=\(([\w.+-]+)\)/g)].map((m) => m[1]));
}

/** Problems with `uses` (program → files using it) given what .ci/run installs. */
export function freshMachineProblems(uses: Map<string, string[]>, installed: Set<string>): string[] {
  const problems: string[] = [];
  for (const [program, files] of uses) {
    const where = files.slice(0, 3).join(', ');
    if (neverNeeded.has(program)) {
      problems.push(`${program} (${where}) is not on a fresh machine or in a container: do without it`);
      continue;
    }
    if (!(program in programPackages)) {
      problems.push(`${program} (${where}): say which Debian package provides it in scripts/ci/freshMachine.ts`);
      continue;
    }
    const pkg = programPackages[program];
    if (pkg !== null && !basePackages.has(pkg) && !installed.has(pkg))
      problems.push(`${program} (${where}) needs the Debian package ${pkg}, which .ci/run does not install`);
  }
  return problems;
}

export function checkFreshMachine(projectRoot = root) {
  const uses = new Map<string, string[]>();
  for (const dir of sourceDirs) {
    let files;
    try {
      files = [...sourceFiles(join(projectRoot, dir))];
    } catch {
      continue;
    }
    for (const file of files)
      for (const program of programsIn(readFileSync(file, 'utf8'))) {
        const list = uses.get(program) ?? [];
        list.push(relative(projectRoot, file));
        uses.set(program, list);
      }
  }
  const installed = packagesInstalledBy(readFileSync(join(projectRoot, '.ci', 'run'), 'utf8'));
  return { uses, installed, problems: freshMachineProblems(uses, installed) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { uses, installed, problems } = checkFreshMachine();
  for (const [program, files] of [...uses].sort())
    console.log(
      `${program.padEnd(14)} ${String(programPackages[program] ?? 'node/npm').padEnd(14)} ${files.length} file(s)`,
    );
  console.log(`.ci/run installs: ${[...installed].join(', ')}`);
  for (const problem of problems) console.error(`fresh machine: ${problem}`);
  process.exit(problems.length ? 1 : 0);
}
