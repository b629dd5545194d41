#!/usr/bin/env node
// `npm run package:check`: lays out the desktop package for real with electron-builder on this machine, then checks
// what a release needs. Electron's own binary cannot be downloaded here, so electron-builder is given a stand-in
// Electron distribution made below (build/electron-stub: a small executable carrying Electron's fuse wire, so the
// fuses electron-builder.yml asks for are really flipped and can be read back). Everything else is the real thing:
// the built app (out/), the asar archive, the unpacked native modules and OpenCV build, the rig profiles.
// Checks: the app's entry and UI are inside app.asar and no test files are; better-sqlite3, serialport, usb and
// OpenCV are unpacked from the asar (native .node files cannot be loaded from inside it); the rig profiles are
// resources; the fuses are as configured. Needs the app built first (electron-vite build; npm test builds it).
// Exit 1 with the list of what is wrong.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const { build, Platform } = require('electron-builder');
const { getCurrentFuseWire, FuseV1Options } = require('@electron/fuses');
const { SENTINEL, FuseState } = require('@electron/fuses/dist/constants.js');
const asar = require('@electron/asar');

const stubDir = join(root, 'build', 'electron-stub');
const electronVersion = require(join(root, 'node_modules', 'electron', 'package.json')).version;

/**
 * A stand-in for Electron's Linux distribution: the `electron` executable (a shell script saying what it is) with
 * Electron's fuse wire after the sentinel @electron/fuses looks for, in Electron's default states.
 */
export function makeElectronStub(dir = stubDir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'resources'), { recursive: true });
  const defaults = [
    FuseState.ENABLE, // RunAsNode
    FuseState.DISABLE, // EnableCookieEncryption
    FuseState.ENABLE, // EnableNodeOptionsEnvironmentVariable
    FuseState.ENABLE, // EnableNodeCliInspectArguments
    FuseState.DISABLE, // EnableEmbeddedAsarIntegrityValidation
    FuseState.DISABLE, // OnlyLoadAppFromAsar
    FuseState.DISABLE, // LoadBrowserProcessSpecificV8Snapshot
    FuseState.ENABLE, // GrantFileProtocolExtraPrivileges
  ];
  const script = Buffer.from(
    '#!/bin/sh\necho "This is the stand-in Electron of npm run package:check, not Electron." >&2\nexit 1\n# ',
  );
  const wire = Buffer.from([...Buffer.from(SENTINEL), 1, defaults.length, ...defaults, 0x0a]);
  const binary = join(dir, 'electron');
  writeFileSync(binary, Buffer.concat([script, wire]));
  chmodSync(binary, 0o755);
  writeFileSync(join(dir, 'version'), electronVersion);
  writeFileSync(join(dir, 'LICENSE'), 'Stand-in for the package check; a release ships Electron’s own files.\n');
  return dir;
}

function* filesUnder(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

/** Lays out the Linux package (electron-builder --dir) into `output` and returns the problems found. */
export async function checkPackage(output) {
  const problems = [];
  if (!existsSync(join(root, 'out', 'main', 'index.js')) || !existsSync(join(root, 'out', 'renderer', 'index.html')))
    return ['the app is not built: run `npx electron-vite build` first'];
  makeElectronStub();
  await build({
    projectDir: root,
    targets: Platform.LINUX.createTarget('dir'),
    config: {
      extends: join(root, 'electron-builder.yml'),
      electronDist: stubDir,
      electronVersion,
      npmRebuild: false,
      directories: { output },
    },
    publish: 'never',
  });
  const unpacked = join(output, 'linux-unpacked');
  const resources = join(unpacked, 'resources');
  const need = (ok, what) => ok || problems.push(what);

  need(existsSync(join(unpacked, 'casebench')), 'the executable linux-unpacked/casebench is missing');
  const archive = join(resources, 'app.asar');
  if (!existsSync(archive)) return [...problems, 'resources/app.asar is missing'];
  const inside = new Set(asar.listPackage(archive, { isPack: false }).map((p) => p.replaceAll('\\', '/')));
  for (const path of ['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html'])
    need(
      inside.has(path) || (path.endsWith('.cjs') && inside.has(path.replace('.cjs', '.js'))),
      `app.asar lacks ${path}`,
    );
  const tests = [...inside].filter((p) => /\.test\.[cm]?[jt]sx?$/.test(p));
  need(tests.length === 0, `app.asar holds test files: ${tests.slice(0, 3).join(', ')}`);

  // Native modules and OpenCV's WebAssembly build are loaded from the file system, not from inside the archive.
  const outside = join(resources, 'app.asar.unpacked', 'node_modules');
  const unpackedFiles = existsSync(outside) ? [...filesUnder(outside)].map((p) => relative(outside, p)) : [];
  const hasNative = (module) => unpackedFiles.some((p) => p.startsWith(`${module}/`) && p.endsWith('.node'));
  // usb 3 ships its binary as a platform package (@node-usb/usb-<platform>), not inside usb/.
  for (const [module, where] of [
    ['better-sqlite3', 'better-sqlite3'],
    ['serialport', '@serialport/bindings-cpp'],
    ['usb', '@node-usb'],
  ])
    need(hasNative(where), `${module}: no native .node file unpacked from the asar (looked in ${where}/)`);
  need(
    unpackedFiles.includes(join('@techstark', 'opencv-js', 'dist', 'opencv.js')),
    'the OpenCV build (@techstark/opencv-js/dist/opencv.js) is not unpacked from the asar',
  );

  // Rig profiles are resources (the station reads and lists them as files).
  need(existsSync(join(resources, 'rigs', 'demo.json')), 'resources/rigs/demo.json is missing');

  // Fuses, as electron-builder.yml asks.
  const fuses = await getCurrentFuseWire(join(unpacked, 'casebench'));
  const expected = {
    RunAsNode: FuseState.DISABLE,
    EnableCookieEncryption: FuseState.ENABLE,
    EnableNodeOptionsEnvironmentVariable: FuseState.DISABLE,
    EnableNodeCliInspectArguments: FuseState.DISABLE,
    EnableEmbeddedAsarIntegrityValidation: FuseState.ENABLE,
    OnlyLoadAppFromAsar: FuseState.ENABLE,
  };
  for (const [name, state] of Object.entries(expected))
    need(
      fuses[FuseV1Options[name]] === state,
      `fuse ${name} is ${FuseState[fuses[FuseV1Options[name]]]}, expected ${FuseState[state]}`,
    );
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const output = mkdtempSync(join(tmpdir(), 'casebench-package-'));
  const started = Date.now();
  try {
    const problems = await checkPackage(output);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (problems.length) {
      console.error(`package check FAILED (${seconds} s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
      process.exitCode = 1;
    } else console.log(`package check passed in ${seconds} s: linux-unpacked laid out in ${output}, and removed`);
  } finally {
    rmSync(output, { recursive: true, force: true });
  }
}
