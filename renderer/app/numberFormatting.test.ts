// Numbers people read go through app/format.ts, which writes them with the language's decimal sign ("0,42" in French).
// Number.prototype.toFixed and toPrecision always write ".", so this guard fails on any of them in renderer code,
// except the few below whose text no person reads; each entry says why, and a new call in such a file fails too.
/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';

// The renderer's sources as text (the renderer lint forbids Node built-ins even in tests), keyed '../features/…'.
const sources = import.meta.glob<string>(['../**/*.ts', '../**/*.tsx', '!../**/*.test.ts', '!../**/*.test.tsx'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

const notForReading: Record<string, { calls: number; why: string }> = {
  'shared/field/Field.tsx': { calls: 2, why: 'data-zoom / data-rotation attributes read by tests, not shown' },
  'shared/field/shaders.ts': { calls: 3, why: 'colour constants written into GLSL source' },
  'features/acquisition/viewer/RasterView.tsx': { calls: 1, why: 'data-zoom attribute read by tests, not shown' },
  'features/rig/live/LiveView.tsx': { calls: 3, why: 'canvas data-* attributes (focus, mean, draw time) for tests' },
  'features/examination/workspace/ProfilePlot.tsx': { calls: 2, why: 'SVG path coordinates' },
  'features/examination/workspace/FieldOverlay.tsx': { calls: 1, why: 'SVG path coordinates' },
  'features/examination/workspace/LrPanel.tsx': { calls: 2, why: 'SVG path coordinates of the Tippett/ECE curves' },
};

describe('numbers on screen follow the language', () => {
  it('no toFixed/toPrecision in renderer code but where the text is not for reading', () => {
    const found: Record<string, number> = {};
    expect(Object.keys(sources).length).toBeGreaterThan(100);
    for (const [path, code] of Object.entries(sources)) {
      const calls = code.match(/\.(toFixed|toPrecision)\(/g)?.length ?? 0;
      if (calls) found[path.replace(/^\.\.\//, '')] = calls;
    }
    const expected = Object.fromEntries(Object.entries(notForReading).map(([file, entry]) => [file, entry.calls]));
    // A difference names the file: write the number with formatNumber/formatSignificant/formatPercent
    // (renderer/app/format.ts), or, if no person reads it, list it above with the reason.
    expect(found).toEqual(expected);
  });
});
