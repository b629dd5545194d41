import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../../tests/fixtures/sharedData.ts';
import { encodePng } from '../calibration/png.ts';
import { encodeTiff } from '../calibration/tiff.ts';
import { importScan } from './importScan.ts';

describe('importScan', () => {
  it('recognises X3P, PNG and TIFF by content', () => {
    const x3p = importScan(readFileSync(sharedDataPath('fadul', 'fadul_1-1.x3p')));
    expect(x3p.kind).toBe('topography');
    const nbide = importScan(readFileSync(sharedDataPath('nbide-2d', 'NBIDE_R_BF_118.png')));
    expect(nbide).toMatchObject({ kind: 'image', format: 'png', image: { width: 2592, height: 1944, bitDepth: 8 } });
    const image = {
      width: 2,
      height: 2,
      bitDepth: 16 as const,
      colour: 'grey' as const,
      data: Uint16Array.from([1, 2, 3, 4]),
    };
    expect(importScan(encodePng(image))).toMatchObject({ kind: 'image', format: 'png', image });
    expect(importScan(encodeTiff(image))).toMatchObject({ kind: 'image', format: 'tiff', image });
  });

  it('refuses anything else, whatever its name', () => {
    expect(() => importScan(new TextEncoder().encode('%PDF-1.7'))).toThrow(/not an X3P, PNG or TIFF/);
  });
});
