import { describe, expect, it } from 'vitest';
import { translation } from '../../../shared/field/geometry.ts';
import { initialState, withPlacement } from '../../../shared/field/fieldState.ts';
import { heightAt, lineProfiles } from './profile.ts';

function grid(width: number, height: number, spacingUm: number, f: (x: number, y: number) => number) {
  const heights = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) heights[y * width + x] = f(x, y);
  return { width, height, heights, spacingUm };
}

describe('line profiles', () => {
  it('reads heights bilinearly at point centres and refuses to invent missing ones', () => {
    const g = grid(4, 4, 2, (x, y) => (x === 3 && y === 3 ? NaN : x * 10 + y));
    expect(heightAt(g, [1, 1])).toBeCloseTo(0, 9); // the first point's centre
    expect(heightAt(g, [4, 1])).toBeCloseTo(15, 9); // halfway between x = 1 and 2 (10, 20) → 15
    expect(heightAt(g, [7, 7])).toBeNaN();
    expect(heightAt(g, [-1, 1])).toBeNaN();
  });

  it('samples both sides at the coarser spacing over the same stage points', () => {
    // A at 2 µm, B at 4 µm covering the same 64 µm with the same ramp: the curves coincide once levelled.
    const a = grid(32, 32, 2, (x) => x * 2 * 0.1);
    const b = grid(16, 16, 4, (x) => x * 4 * 0.1 + 7);
    const state = withPlacement(
      initialState({ widthUm: 64, heightUm: 64 }, { widthUm: 64, heightUm: 64 }),
      1,
      translation(0, 0),
    );
    const p = lineProfiles(state.placement, [a, b], [10, 20], [50, 20]);
    expect(p.stepUm).toBeLessThanOrEqual(4);
    expect(p.stepUm).toBeGreaterThan(3.5);
    for (let i = 0; i < p.at.length; i++) expect(p.heights[0]![i]).toBeCloseTo(p.heights[1]![i]!, 6);
    expect(p.correlation).toBeCloseTo(1, 9);
  });

  it('follows a side moved on the stage', () => {
    const a = grid(32, 32, 2, (x) => x);
    const b = grid(32, 32, 2, (x) => x);
    // B shifted 10 µm to the right: under the same stage point it shows a point 10 µm further left.
    const state = withPlacement(
      initialState({ widthUm: 64, heightUm: 64 }, { widthUm: 64, heightUm: 64 }),
      1,
      translation(10, 0),
    );
    const p = lineProfiles(state.placement, [a, b], [20, 20], [40, 20], false);
    expect(p.heights[0]![0]! - p.heights[1]![0]!).toBeCloseTo(5, 6); // 10 µm = 5 points of slope 1
  });

  it('has no correlation without two curves', () => {
    const a = grid(8, 8, 1, (x) => x);
    const state = initialState({ widthUm: 8, heightUm: 8 }, { widthUm: 8, heightUm: 8 });
    expect(lineProfiles(state.placement, [a, null], [1, 1], [6, 1]).correlation).toBeNull();
  });
});
