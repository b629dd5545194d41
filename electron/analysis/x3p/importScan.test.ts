import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../../tests/fixtures/sharedData.ts';
import { encodePng } from '../calibration/png.ts';
import { encodeTiff } from '../calibration/tiff.ts';
import { importScan, kindOfName, sniffFileKind } from './importScan.ts';

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

describe('what a file is, by content and by name', () => {
  const bytes = (...b: number[]) => Uint8Array.from(b);
  it('names the common kinds a person may pick by mistake', () => {
    expect(sniffFileKind(readFileSync(sharedDataPath('nbide-2d', 'NBIDE_R_BF_118.png')))).toBe('png');
    expect(sniffFileKind(readFileSync(sharedDataPath('fadul', 'fadul_1-1.x3p')))).toBe('x3p');
    expect(sniffFileKind(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10))).toBe('jpeg');
    expect(sniffFileKind(new TextEncoder().encode('GIF89a'))).toBe('gif');
    expect(sniffFileKind(new TextEncoder().encode('%PDF-1.7\n'))).toBe('pdf');
    expect(sniffFileKind(new TextEncoder().encode('x,y,z\r\n1,2,3\n'))).toBe('text');
    expect(sniffFileKind(bytes(0, 1, 2, 3))).toBe('unknown');
    expect(sniffFileKind(bytes())).toBe('unknown');
  });
  it('reads the extension whatever its case, and says nothing for names it does not know', () => {
    expect(kindOfName('Q1 breech.X3P')).toBe('x3p');
    expect(kindOfName('a.tif')).toBe('tiff');
    expect(kindOfName('a.JPEG')).toBe('jpeg');
    expect(kindOfName('scan')).toBeUndefined();
    expect(kindOfName('scan.dat')).toBeUndefined();
  });
});
