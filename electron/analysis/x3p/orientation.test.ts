// Every legal X3P layout and orientation of one surface reads back as the same surface, and the reader says what
// it turned; an asymmetric surface with holes makes any missed flip, turn or mirror fail.
import { describe, expect, it } from 'vitest';
import { layoutTolerance, storeInLayout, x3pLayouts } from '../../../tests/fixtures/crossCondition/layouts.ts';
import type { Surface } from '../surface.ts';
import { readX3P } from './index.ts';

// 37 × 23, non-square pixels, a gradient in x, a bump off-centre, and a hole near one corner.
const width = 37;
const height = 23;
const surface: Surface = {
  width,
  height,
  dx: 3.125e-6,
  dy: 2.5e-6,
  z: Float64Array.from({ length: width * height }, (_, i) => {
    const x = i % width;
    const y = Math.floor(i / width);
    if ((x - 5) ** 2 + (y - 4) ** 2 < 6) return NaN;
    return 1e-7 * x + 3e-7 * Math.exp(-((x - 25) ** 2 + (y - 15) ** 2) / 20) + 1e-8 * Math.sin(x * y);
  }),
};

/** The box of measured points (a point list only spans its points). */
function measuredBox(s: Surface) {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
  for (let i = 0; i < s.z.length; i++)
    if (s.z[i] === s.z[i]) {
      const x = i % s.width;
      const y = Math.floor(i / s.width);
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  return { x0, y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

describe('the reader gives one canonical surface from every layout and orientation', () => {
  it.each(x3pLayouts)('%s', (layout) => {
    const { surface: read, corrections } = readX3P(storeInLayout(surface, layout));
    const a = measuredBox(surface);
    const b = measuredBox(read);
    expect([b.w, b.h]).toEqual([a.w, a.h]);
    expect(read.dx).toBeCloseTo(surface.dx, 12);
    expect(read.dy).toBeCloseTo(surface.dy, 12);
    const tolerance = layoutTolerance(layout, surface);
    let worst = 0;
    for (let y = 0; y < a.h; y++)
      for (let x = 0; x < a.w; x++) {
        const u = surface.z[(a.y0 + y) * surface.width + a.x0 + x];
        const v = read.z[(b.y0 + y) * read.width + b.x0 + x];
        expect(Number.isNaN(v)).toBe(Number.isNaN(u));
        if (u === u) worst = Math.max(worst, Math.abs(u - v));
      }
    expect(worst).toBeLessThanOrEqual(tolerance);
    // What was turned or repaired is said; a strict file has nothing to say.
    const strict = ['float64', 'float32', 'int16', 'int32', 'inline', 'point-list', 'deflated-nan-without-mask'];
    if (strict.includes(layout)) expect(corrections).toEqual([]);
    else expect(corrections.length).toBeGreaterThan(0);
  });

  it('names the correction: reversed axes, turns, the namespace-less root', () => {
    const said = (layout: (typeof x3pLayouts)[number]) =>
      readX3P(storeInLayout(surface, layout)).corrections.join('\n');
    expect(said('y-reversed')).toMatch(/negative increment.*\n.*mirrored in y/);
    expect(said('rotation-90')).toMatch(/turned 90° by the axes and the Rotation matrix/);
    expect(said('rotation-x180')).toMatch(/upside down; heights negated/);
    expect(said('absolute-transposed')).toMatch(/transposed/);
    expect(said('root-without-namespace')).toMatch(/root element <ISO5436> without namespace read as <ISO5436_2>/);
  });

  it('a rotation that is not a quarter turn is reported and left to the comparison', () => {
    const bytes = storeInLayout(surface, 'float64');
    // Rebuild with a 30° Rotation: the heights stay in the stored order.
    const c = Math.cos(Math.PI / 6).toFixed(12);
    const s = Math.sin(Math.PI / 6).toFixed(12);
    const r = [c, `-${s}`, 0, s, c, 0, 0, 0, 1];
    const xml = `<Rotation>${r.map((v, i) => `<r${Math.floor(i / 3) + 1}${(i % 3) + 1}>${v}</r${Math.floor(i / 3) + 1}${(i % 3) + 1}>`).join('')}</Rotation>`;
    const { corrections, surface: read } = readX3P(rebuildMainXml(bytes, (m) => m.replace('</Axes>', `${xml}</Axes>`)));
    expect(corrections.join('\n')).toMatch(/rotated by 30.00° in its plane/);
    expect(read.width).toBe(width);
  });
});

import { unzipSync, zipSync } from 'fflate';
import { md5Hex } from './md5.ts';
function rebuildMainXml(bytes: Uint8Array, edit: (xml: string) => string): Uint8Array {
  const members = unzipSync(bytes);
  const xml = new TextEncoder().encode(edit(new TextDecoder().decode(members['main.xml'])));
  return zipSync({
    ...members,
    'main.xml': xml,
    'md5checksum.hex': new TextEncoder().encode(`${md5Hex(xml)} *main.xml\n`),
  });
}
