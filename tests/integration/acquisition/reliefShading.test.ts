// The acquisition viewer's relief shading on a real breech-face scan (Fadul, X3P): invalid areas stay marked,
// the virtual light changes what is lit, and a 2048² map re-shades fast enough to follow a slider.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readX3PFile } from '../../../electron/analysis/x3p/index.ts';
import { encodePng } from '../../../electron/analysis/calibration/png.ts';
import {
  computeNormals,
  invalidHatch,
  shadeRelief,
  type HeightMap,
} from '../../../renderer/features/acquisition/viewer/shading.ts';
import { heightRange } from '../../../renderer/shared/heightColour.ts';
import { repoRoot, sharedDataPath } from '../../fixtures/sharedData.ts';

let map: HeightMap;

beforeAll(async () => {
  const { surface } = await readX3PFile(sharedDataPath('fadul', 'fadul_1-1.x3p'));
  map = {
    width: surface.width,
    height: surface.height,
    heights: Float32Array.from(surface.z, (v) => v * 1e6),
    pixelUm: surface.dx * 1e6,
  };
});

function rgbaToPng(rgba: Uint8ClampedArray, width: number, height: number) {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = rgba[i * 4 + c]!;
  return encodePng({ width, height, colour: 'rgb', bitDepth: 8, data: rgb });
}

function correlation(a: Uint8ClampedArray, b: Uint8ClampedArray, valid: (i: number) => boolean): number {
  let n = 0,
    sa = 0,
    sb = 0,
    saa = 0,
    sbb = 0,
    sab = 0;
  for (let i = 0; i < a.length / 4; i++) {
    if (!valid(i)) continue;
    const x = a[i * 4]!,
      y = b[i * 4]!;
    n++;
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
  }
  const cov = sab / n - (sa / n) * (sb / n);
  return cov / Math.sqrt((saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2));
}

describe('relief shading of a Fadul breech-face scan', () => {
  it('keeps invalid areas marked and responds to the light direction', () => {
    const { width: w, height: h } = map;
    const normals = computeNormals(map, 4);
    const valid = (i: number) => !Number.isNaN(map.heights[i]);
    let invalid = 0;
    for (let i = 0; i < w * h; i++) if (!valid(i)) invalid++;
    expect(invalid).toBeGreaterThan(0);

    const east = new Uint8ClampedArray(w * h * 4);
    const west = new Uint8ClampedArray(w * h * 4);
    const north = new Uint8ClampedArray(w * h * 4);
    shadeRelief(normals, { azimuthDeg: 90, elevationDeg: 30 }, east);
    shadeRelief(normals, { azimuthDeg: 270, elevationDeg: 30 }, west);
    shadeRelief(normals, { azimuthDeg: 0, elevationDeg: 30 }, north);

    // Every invalid pixel carries the hatch, every valid one a grey: nothing measured is hidden, nothing missing is shown.
    let hatched = 0;
    for (let i = 0; i < w * h; i++) {
      const isHatch = invalidHatch.some(
        (c) => east[i * 4] === c[0] && east[i * 4 + 1] === c[1] && east[i * 4 + 2] === c[2],
      );
      if (isHatch) hatched++;
      if (valid(i)) expect(east[i * 4]).toBe(east[i * 4 + 2]);
    }
    expect(hatched).toBe(invalid);
    // Opposite lights swap light and shadow on the marks; a light at right angles is roughly independent.
    expect(correlation(east, west, valid)).toBeLessThan(-0.5);
    expect(Math.abs(correlation(east, north, valid))).toBeLessThan(0.5);

    const colour = new Uint8ClampedArray(w * h * 4);
    shadeRelief(
      normals,
      { azimuthDeg: 135, elevationDeg: 40, falseColour: { heights: map.heights, range: heightRange(map.heights)! } },
      colour,
    );
    // Files to look at: test-results/relief/ (the viewer draws exactly these pixels).
    const dir = join(repoRoot, 'test-results', 'relief');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'fadul_1-1-east.png'), rgbaToPng(east, w, h));
    writeFileSync(join(dir, 'fadul_1-1-colour.png'), rgbaToPng(colour, w, h));
  });

  it('re-shades a 2048 × 2048 map fast enough to follow a slider', () => {
    // The scan resampled (nearest) to 2048², the largest size the viewer is given.
    const size = 2048;
    const heights = new Float32Array(size * size);
    for (let y = 0; y < size; y++) {
      const sy = Math.floor((y * map.height) / size);
      for (let x = 0; x < size; x++)
        heights[y * size + x] = map.heights[sy * map.width + Math.floor((x * map.width) / size)]!;
    }
    const big: HeightMap = { width: size, height: size, heights, pixelUm: (map.pixelUm * map.width) / size };
    let t = performance.now();
    const normals = computeNormals(big, 4);
    const normalsMs = performance.now() - t;
    const out = new Uint8ClampedArray(size * size * 4);
    const times: number[] = [];
    for (const az of [0, 45, 90, 135, 180]) {
      t = performance.now();
      shadeRelief(normals, { azimuthDeg: az, elevationDeg: 35 }, out);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const shadeMs = times[2]!;
    console.log(`relief 2048²: normals ${normalsMs.toFixed(0)} ms, re-shade median ${shadeMs.toFixed(0)} ms`);
    // Generous bounds for a loaded 2-core machine; typical figures are far lower (see the log line).
    expect(normalsMs).toBeLessThan(3000);
    expect(shadeMs).toBeLessThan(600);
  });
});
