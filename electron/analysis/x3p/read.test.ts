import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../../tests/fixtures/sharedData.ts';
import { countValid } from '../surface.ts';
import { readX3P, readX3PFile } from './index.ts';
import { x3pCorrectionSchema } from '../../contract/acquisitions.ts';

const sample = (name: string) => sharedDataPath('x3p-samples', name);
// The 4 × 4 openGPS demo surface (sample1): point 8 (index 7) is missing.
const demoFirstRow = [0.486219120804151, 0.00346341436648013, -0.80836857168283, -0.579793099037002];

describe('readX3P on the openGPS conformance samples', () => {
  it('reads an inline DataList with an empty <Datum/> as a missing point', async () => {
    const { surface, source, layout, record2, corrections } = await readX3PFile(sample('ISO5436-sample1.x3p'));
    expect([surface.width, surface.height, surface.dx, surface.dy]).toEqual([4, 4, 0.016016, 0.016016]);
    expect(source).toBe('inline');
    expect(layout).toBe('matrix');
    expect(Array.from(surface.z.slice(0, 4))).toEqual(demoFirstRow);
    expect(surface.z[7]).toBeNaN();
    expect(countValid(surface)).toBe(15);
    expect(record2).toMatchObject({
      date: '2007-04-30T13:58:02.6+02:00',
      creator: 'Name of measuring person',
      calibrationDate: '2007-04-30T13:58:02.6+02:00',
    });
    expect(record2?.instrument).toEqual({
      manufacturer: 'NanoFocus AG',
      model: 'µSurf X',
      serial: '12345abc',
      version: 'Software V1.0 ,Hardware V1.0',
    });
    expect(corrections).toEqual([]);
  });

  it('reads binary float64 data with a valid.bin mask identically to the inline file', async () => {
    const inline = await readX3PFile(sample('ISO5436-sample1.x3p'));
    const binary = await readX3PFile(sample('ISO5436-sample1_bin.x3p'));
    expect(binary.source).toBe('binary');
    expect(Array.from(binary.surface.z)).toEqual(Array.from(inline.surface.z));
  });

  it('reads int16 heights scaled by Increment and Offset, inline and binary with mask', async () => {
    for (const name of ['ISO5436-sample4.x3p', 'ISO5436-sample4_bin.x3p']) {
      const { surface } = await readX3PFile(sample(name));
      // raw 986 * 0.001 - 0.5 = 0.486
      expect(surface.z[0]).toBeCloseTo(0.486, 12);
      expect(surface.z[7]).toBeNaN();
      expect(countValid(surface)).toBe(15);
    }
  });

  it('reads a matrix whose y axis is absolute and derives the row spacing (reported)', async () => {
    const { surface, corrections } = await readX3PFile(sample('ISO5436-sample3.x3p'));
    expect(surface.dy).toBe(2);
    expect(surface.z[0]).toBeCloseTo(0.486219120804151 + 2, 12); // CZ Offset 2
    expect(corrections.some((c) => c.includes('CY is stored as absolute'))).toBe(true);
  });

  it('places a point-cloud list (x;y;z) on its regular grid', async () => {
    const { surface, layout } = await readX3PFile(sample('ISO5436-sample2.x3p'));
    expect(layout).toBe('point-list');
    expect([surface.width, surface.height]).toEqual([4, 4]);
    expect(surface.dx).toBeCloseTo(1e-6, 15);
    expect(surface.z[4]).toBeCloseTo(0.85762202739331 + 2, 12); // (x=0, y=1)
    expect(countValid(surface)).toBe(16);
  });

  it('reads the Alicona float32 exports, turning +Infinity placeholders into NaN (reported)', async () => {
    const { surface, corrections, record2 } = await readX3PFile(sample('KautschukInfiniteFocus.x3p'));
    expect([surface.width, surface.height]).toEqual([860, 634]);
    expect(surface.dx).toBeCloseTo(2.279984215e-6, 15);
    expect(countValid(surface)).toBe(860 * 634 - 5296);
    expect(corrections).toContain('5296 points stored as infinity read as invalid (NaN)');
    expect(record2?.instrument.manufacturer).toBe('Alicona Imaging GmbH');
  });

  it('gives every correction a typed note the screen words, one for one, in the same order', async () => {
    for (const file of ['ISO5436-sample3.x3p', 'KautschukInfiniteFocus.x3p', 'ISO5436-sample1.x3p']) {
      const { corrections, notes } = await readX3PFile(sample(file));
      expect(notes.length, file).toBe(corrections.length);
      for (const note of notes) expect(x3pCorrectionSchema.safeParse(note).success, file).toBe(true);
    }
    const alicona = await readX3PFile(sample('KautschukInfiniteFocus.x3p'));
    expect(alicona.notes).toContainEqual({ code: 'infinite_points', values: { count: 5296 } });
    const absolute = await readX3PFile(sample('ISO5436-sample3.x3p'));
    expect(absolute.notes).toContainEqual({ code: 'absolute_axis', values: { axis: 'CY' } });
  });
});

describe('readX3P on the Fadul breech-face scans', () => {
  it('reads fadul_1-1 with its geometry, provenance and NaN mask', async () => {
    const { surface, record1, record2, corrections, validPoints } = await readX3PFile(
      sharedDataPath('fadul', 'fadul_1-1.x3p'),
    );
    expect([surface.width, surface.height, surface.dx, surface.dy]).toEqual([545, 545, 6.25e-6, 6.25e-6]);
    expect(record1.featureType).toBe('SUR');
    expect(record2).toMatchObject({
      date: '2011-01-24T13:00:00',
      creator: 'Xiaoyu Zheng',
      calibrationDate: '2011-01-24T09:00:00',
    });
    expect(record2?.instrument.manufacturer).toBe('NanoFocus');
    expect(validPoints).toBe(82542);
    expect(corrections).toEqual([]);
    let maxAbs = 0;
    for (const v of surface.z) if (!Number.isNaN(v)) maxAbs = Math.max(maxAbs, Math.abs(v));
    // Band-passed breech-face relief: a few micrometres, in metres.
    expect(maxAbs).toBeGreaterThan(1e-7);
    expect(maxAbs).toBeLessThan(1e-4);
  });

  it('reads from bytes the same as from a path', async () => {
    const path = sharedDataPath('fadul', 'fadul_2-1.x3p');
    const fromFile = await readX3PFile(path);
    const fromBytes = readX3P(readFileSync(path));
    expect(fromBytes.surface.z).toEqual(fromFile.surface.z);
  });
});
