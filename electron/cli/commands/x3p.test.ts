import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../../tests/fixtures/sharedData.ts';
import { readX3PFile } from '../../analysis/x3p/index.ts';
import { cli } from '../../../tests/fixtures/cli.ts';

describe('casebench x3p', () => {
  it('info --json reports geometry and provenance of a Fadul scan', async () => {
    const { code, out } = await cli('x3p', 'info', sharedDataPath('fadul', 'fadul_1-1.x3p'), '--json');
    expect(code).toBe(0);
    const info = JSON.parse(out);
    expect(info).toMatchObject({ width: 545, height: 545, dxMetres: 6.25e-6, validPoints: 82542, corrections: [] });
    expect(info.record2.creator).toBe('Xiaoyu Zheng');
  });

  it('validate: 0 strict, 1 deviations listed, 3 unreadable', async () => {
    expect((await cli('x3p', 'validate', sharedDataPath('fadul', 'fadul_1-1.x3p'))).code).toBe(0);
    const deviating = await cli('x3p', 'validate', sharedDataPath('x3p-samples', 'KautschukInfiniteFocus.x3p'));
    expect(deviating.code).toBe(1);
    expect(deviating.out).toContain('5296 points stored as infinity');
    const dir = mkdtempSync(join(tmpdir(), 'x3p-cli-'));
    writeFileSync(join(dir, 'junk.x3p'), 'not a zip');
    const junk = await cli('x3p', 'validate', join(dir, 'junk.x3p'));
    expect(junk.code).toBe(3);
    expect(junk.err).toMatch(/not a readable zip archive.*\[bad-zip\]/);
  });

  it('convert writes a strict file that reads back identically, never overwrites silently nor the original', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'x3p-cli-'));
    const source = sharedDataPath('x3p-samples', 'ISO5436-sample4_bin.x3p');
    const out = join(dir, 'strict.x3p');
    const converted = await cli('x3p', 'convert', source, '--out', out);
    expect(converted.code).toBe(0);
    expect((await cli('x3p', 'validate', out)).code).toBe(0);
    expect((await readX3PFile(out)).surface.z).toEqual((await readX3PFile(source)).surface.z);
    const again = await cli('x3p', 'convert', source, '--out', out);
    expect(again.code).toBe(3);
    expect(again.err).toContain('use --force');
    const before = readFileSync(source);
    expect((await cli('x3p', 'convert', source, '--out', source, '--force')).code).toBe(2);
    expect(readFileSync(source)).toEqual(before);
    expect((await cli('x3p', 'convert', source)).code).toBe(2);
  });
});
