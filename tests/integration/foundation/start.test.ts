// `npm start` on a machine without Electron's binary says what happened and what to do (not "Electron uninstall").
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../fixtures/sharedData.ts';
// @ts-expect-error -- a plain .mjs script without type declarations
import { electronBinary } from '../../../scripts/start.mjs';

const findBinary = electronBinary as (dir: string, env: Record<string, string | undefined>) => string | null;

describe('npm start without Electron', () => {
  it('stops at once with the way to a browser session and to installing the binary', () => {
    const empty = mkdtempSync(join(tmpdir(), 'cb-no-electron-'));
    const run = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'start.mjs')], {
      cwd: repoRoot,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Electron's binary is not installed/);
    expect(run.stderr).toMatch(/npm run serve/);
    expect(run.stderr).not.toMatch(/uninstall/i);
  });

  it('finds the binary npm installed, and none when its folder or path file is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-electron-'));
    expect(findBinary(dir, {})).toBeNull();
    writeFileSync(join(dir, 'path.txt'), 'electron');
    expect(findBinary(dir, {})).toBeNull(); // path.txt written, download never finished
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'electron'), '#!/bin/sh\n');
    chmodSync(join(dir, 'dist', 'electron'), 0o755);
    expect(findBinary(dir, {})).toBe(join(dir, 'dist', 'electron'));
    expect(findBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'nowhere') })).toBeNull();
    expect(findBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'dist') })).toBe(join(dir, 'dist', 'electron'));
  });
});

describe('the README', () => {
  it('asks for the Node version package.json requires', () => {
    const engines = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } })
      .engines.node;
    const wanted = /^>=\s*(\d+\.\d+)$/.exec(engines)?.[1];
    expect(wanted).toBeDefined();
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const stated = [...readme.matchAll(/Node(?:\.js)? ≥ (\d+(?:\.\d+)?)/g)].map((m) => m[1]);
    expect(stated.length).toBeGreaterThan(0);
    expect(new Set(stated)).toEqual(new Set([wanted]));
  });
});
