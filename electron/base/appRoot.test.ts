import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { appRoot, findAppRoot } from './appRoot.ts';

describe('app root', () => {
  it('is the checkout, from wherever the code sits in it (source tree, or bundled into out/main)', () => {
    expect(findAppRoot(join(appRoot, 'electron', 'base', 'appRoot.ts'))).toBe(appRoot);
    expect(findAppRoot(pathToFileURL(join(appRoot, 'out', 'main', 'index.js')))).toBe(appRoot);
  });

  it("passes over other projects' package.json on the way up, and says when there is none", () => {
    const dir = mkdtempSync(join(tmpdir(), 'casebench-root-'));
    try {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'casebench' }));
      mkdirSync(join(dir, 'node_modules', 'other', 'lib'), { recursive: true });
      writeFileSync(join(dir, 'node_modules', 'other', 'package.json'), JSON.stringify({ name: 'other' }));
      expect(findAppRoot(join(dir, 'node_modules', 'other', 'lib', 'x.js'))).toBe(dir);
      rmSync(join(dir, 'package.json'));
      expect(() => findAppRoot(join(dir, 'node_modules', 'other', 'lib', 'x.js'))).toThrow(/no casebench package.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
