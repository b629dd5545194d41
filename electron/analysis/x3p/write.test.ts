import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../../tests/fixtures/sharedData.ts';
import type { Surface } from '../surface.ts';
import { readX3P, readX3PFile, writeX3P, X3PError, type X3PForensic, type X3PRecord2 } from './index.ts';
import { md5Hex } from './md5.ts';
import { parseXml, textAt } from './xml.ts';

const record2: X3PRecord2 = {
  date: '2026-11-24T19:30:00Z',
  creator: 'Technician A <lab 7> & "B"',
  instrument: { manufacturer: 'Casebench', model: 'Demo rig', serial: 'SIM-0001', version: '0.1.0' },
  calibrationDate: '2026-11-20T08:00:00Z',
  probingSystem: { type: 'NonContacting', identification: 'photometric stereo, 8 segments' },
  comment: 'round trip',
};
const forensic: X3PForensic = {
  agency: 'Metro PD',
  agencyCaseNumber: 'MPD-2026-0042',
  labCaseNumber: 'L26-1187',
  itemId: 'Item 3',
  firearm: { serial: 'P95-123', brand: 'Ruger', model: 'P95', calibre: '9mm Luger' },
  cartridge: {
    brand: 'PMC',
    calibre: '9mm Luger',
    headstamp: 'PMC 9mm LUGER',
    primerMaterial: 'brass',
    caseMaterial: 'brass',
    firingPinShape: 'hemispherical',
    breechFaceClass: 'granular',
  },
  regionOfInterest: 'breech-face',
};

describe('writeX3P', () => {
  it('round-trips a Fadul scan bit for bit, with provenance and Open-FMC metadata', async () => {
    const original = await readX3PFile(sharedDataPath('fadul', 'fadul_1-1.x3p'));
    const bytes = writeX3P(original.surface, { record2, forensic });
    const back = readX3P(bytes);
    expect(back.corrections).toEqual([]);
    expect(back.surface.width).toBe(original.surface.width);
    expect(back.surface.dx).toBe(original.surface.dx);
    expect(back.surface.z).toEqual(original.surface.z); // NaN-aware, exact doubles
    expect(back.record2).toEqual(record2);
    expect(back.forensic).toEqual(forensic);
    expect(back.record1.vendorSpecificId).toBe('http://www.open-fmc.org/open-fmc-revision-1.xsd');
  });

  it('writes strict members: main.xml first, MD5 of main.xml and of each binary, valid.bin only when points are missing', () => {
    const surface: Surface = {
      width: 3,
      height: 2,
      dx: 1e-6,
      dy: 2e-6,
      z: Float64Array.from([1e-6, NaN, 3e-6, 4e-6, 5e-6, 6e-6]),
    };
    const files = unzipSync(writeX3P(surface, { record2 }));
    expect(Object.keys(files)).toEqual(['main.xml', 'md5checksum.hex', 'bindata/data.bin', 'bindata/valid.bin']);
    const mainXml = files['main.xml'];
    expect(new TextDecoder().decode(files['md5checksum.hex'])).toBe(`${md5Hex(mainXml)} *main.xml\n`);
    const root = parseXml(new TextDecoder().decode(mainXml));
    expect(textAt(root, 'Record3', 'DataLink', 'MD5ChecksumPointData')).toBe(md5Hex(files['bindata/data.bin']));
    expect(textAt(root, 'Record3', 'DataLink', 'MD5ChecksumValidPoints')).toBe(md5Hex(files['bindata/valid.bin']));
    expect(Array.from(files['bindata/valid.bin'])).toEqual([0b111101]);
    expect(textAt(root, 'Record1', 'Axes', 'CY', 'Increment')).toBe('0.000002');
    const full = unzipSync(writeX3P({ ...surface, z: Float64Array.from([1, 2, 3, 4, 5, 6]) }, { record2 }));
    expect(Object.keys(full)).not.toContain('bindata/valid.bin');
  });

  it('writes float32 when asked, read back within float32 precision', () => {
    const surface: Surface = {
      width: 2,
      height: 2,
      dx: 1e-6,
      dy: 1e-6,
      z: Float64Array.from([1.23456789e-6, -2e-6, NaN, 0]),
    };
    const back = readX3P(writeX3P(surface, { record2, dataType: 'F' })).surface;
    expect(back.z[0]).toBeCloseTo(1.23456789e-6, 12);
    expect(back.z[2]).toBeNaN();
  });

  it('is deterministic: the same surface and metadata give the same bytes', () => {
    const surface: Surface = { width: 2, height: 1, dx: 1e-6, dy: 1e-6, z: Float64Array.from([1, 2]) };
    expect(writeX3P(surface, { record2 })).toEqual(writeX3P(surface, { record2 }));
  });

  it('refuses inconsistent surfaces, bad dates and all-NaN data with specific errors', () => {
    const good: Surface = { width: 2, height: 1, dx: 1e-6, dy: 1e-6, z: Float64Array.from([1, 2]) };
    const attempt = (surface: Surface, r2 = record2) => {
      try {
        writeX3P(surface, { record2: r2 });
        return 'written';
      } catch (error) {
        return `${(error as X3PError).code}: ${(error as Error).message}`;
      }
    };
    expect(attempt({ ...good, width: 3 })).toMatch(/^size: surface holds 2 heights but 3 × 1/);
    expect(attempt({ ...good, dx: 0 })).toMatch(/^size: point spacing/);
    expect(attempt({ ...good, z: Float64Array.from([NaN, NaN]) })).toMatch(/^no-data/);
    expect(attempt(good, { ...record2, date: '24/11/2026' })).toMatch(/^bad-xml: record2.date "24\/11\/2026"/);
  });
});
