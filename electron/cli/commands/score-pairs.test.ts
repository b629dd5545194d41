// compare and score-pairs through the CLI dispatcher, on real Fadul files.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDataPath } from '../../../tests/fixtures/sharedData.ts';
import { cli } from '../../../tests/fixtures/cli.ts';
import { parseCsv, readPairs } from './score-pairs.ts';

describe('casebench compare / score-pairs', () => {
  it('compares two scans and prints the counts, registration and calibrated meaning', async () => {
    const { code, out } = await cli(
      'compare',
      sharedDataPath('fadul', 'fadul_1-1.x3p'),
      sharedDataPath('fadul', 'fadul_1-2.x3p'),
      '--workers',
      '1',
    );
    expect(code).toBe(0);
    expect(out).toMatch(/combined \(min\): (1[2-9]|2\d)/);
    expect(out).toMatch(/registration: θ = -2\d\.\d°/);
    expect(out).toMatch(/of 717 known non-matching pairs/);
    // The likelihood ratio beside the count: a known match is far more probable under "same firearm".
    const lr = /likelihood ratio: log10 LR (-?\d+\.\d+) \(90 % interval (-?\d+\.\d+) to (-?\d+\.\d+)\)/.exec(out);
    expect(lr).not.toBeNull();
    expect(Number(lr![1])).toBeGreaterThan(1);
    expect(Number(lr![2])).toBeLessThanOrEqual(Number(lr![1]));
    expect(out).toMatch(/times more probable if both casings were fired by the same firearm/);
    expect(out).not.toMatch(/indicative only/);
  });

  it('scores a pairs file, keeps extra columns and reports progress on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'casebench-score-'));
    const pairs = join(dir, 'pairs.csv');
    const out = join(dir, 'scores.csv');
    writeFileSync(pairs, 'a,b,truth\r\nfadul_1-1.x3p,fadul_1-2.x3p,KM\r\nfadul_1-1.x3p,fadul_2-1.x3p,KNM\r\n');
    const r = await cli(
      'score-pairs',
      '--pairs',
      pairs,
      '--dir',
      sharedDataPath('fadul'),
      '--out',
      out,
      '--workers',
      '2',
    );
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/2\/2 pairs/);
    const rows = parseCsv(readFileSync(out, 'utf8'));
    expect(rows[0].slice(0, 3)).toEqual(['a', 'b', 'cmc']);
    expect(rows[0].at(-1)).toBe('truth');
    const cmc = rows.slice(1).map((row) => Number(row[2]));
    expect(cmc[0]).toBeGreaterThanOrEqual(12);
    expect(cmc[1]).toBeLessThanOrEqual(2);
    const lr = rows.slice(1).map((row) => Number(row[rows[0].indexOf('log10_lr')]));
    expect(lr[0]).toBeGreaterThan(1);
    expect(lr[1]).toBeLessThan(-0.5);
  });

  it('refuses bad pairs files and missing scans with exit code 3 before any work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'casebench-score-'));
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'x,y\n1,2\n');
    let r = await cli('score-pairs', '--pairs', bad, '--dir', dir, '--out', join(dir, 'o.csv'));
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/must name columns "a" and "b"/);
    writeFileSync(bad, 'a,b\nnope.x3p,fadul_1-1.x3p\n');
    r = await cli('score-pairs', '--pairs', bad, '--dir', sharedDataPath('fadul'), '--out', join(dir, 'o.csv'));
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/1 file\(s\) not found.*nope\.x3p/);
    r = await cli('score-pairs', '--pairs', bad);
    expect(r.code).toBe(2);
    r = await cli('compare', 'only-one.x3p');
    expect(r.code).toBe(2);
    r = await cli(
      'compare',
      sharedDataPath('fadul', 'fadul_1-1.x3p'),
      sharedDataPath('fadul', 'fadul_1-2.x3p'),
      '--band',
      '500,16',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/need 0 < SHORT < LONG/);
  });

  it('parses quoted CSV fields and checks row widths', () => {
    expect(parseCsv('a,b\n"x, y","say ""hi"""\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
    ]);
    expect(() => readPairs('a,b\n1\n', 'p.csv')).toThrow(/p\.csv:2: 1 fields, the header has 2/);
    expect(() => readPairs('a,b\n,x\n', 'p.csv')).toThrow(/empty file name in column a/);
  });
});
