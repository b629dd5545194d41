import { describe, expect, it } from 'vitest';
import { viewStateSchema } from '../../../../electron/contract/index.ts';
import { apply, invert, rotationAbout, scaleAbout, type Point } from '../../../shared/field/geometry.ts';
import {
  fit,
  initialState,
  pan,
  panelsOf,
  rotate,
  screenFromOwn,
  zoomAt,
  type FieldState,
} from '../../../shared/field/fieldState.ts';
import { defaultLook } from '../../../shared/field/fieldStore.ts';
import { fromViewState, scaleOfB, toViewState, type ViewContext } from './viewState.ts';

const extents: ViewContext['extents'] = [
  { widthUm: 3400, heightUm: 3400 },
  { widthUm: 2500, heightUm: 2800 },
];
const ctx = (size: { width: number; height: number }, profile: ViewContext['profile'] = null): ViewContext => ({
  size,
  roles: ['topography', 'light:ring/3'],
  filePixelUm: [6.25, 3.125],
  extents,
  alignment: { from: 'manual', analysisId: 7 },
  cells: true,
  profile,
});

function moved(mode: FieldState['mode']): FieldState {
  const size = { width: 1000, height: 640 };
  let s: FieldState = { ...initialState(extents[0], extents[1], mode), locked: true };
  s = fit(s, extents, panelsOf(mode, size.width, size.height)[0]!);
  s = rotate(zoomAt(s, panelsOf(mode, 1000, 640)[0]!, 2.5, [300, 200]), 12);
  s = { ...s, locked: false, active: 1 };
  s = rotate(pan(s, 33, -17), -4);
  return { ...s, locked: true, split: 0.37 };
}

describe('recorded view', () => {
  for (const mode of ['side', 'split', 'checker'] as const) {
    it(`puts both sides back where they were (${mode})`, () => {
      const size = { width: 1000, height: 640 };
      const state = moved(mode);
      const look = { ...defaultLook, azimuthDeg: 200, exaggeration: 7, contrast: true };
      const view = viewStateSchema.parse(toViewState(state, look, ctx(size)));
      const back = fromViewState(view, [6.25, 3.125], size);
      const panels = panelsOf(mode, size.width, size.height);
      for (const side of [0, 1] as const) {
        const panel = panels[mode === 'side' ? side : 0]!;
        for (const p of [
          [100, 200],
          [1500, 900],
        ] as Point[]) {
          const was = apply(screenFromOwn(state, panel, side), p);
          const now = apply(screenFromOwn(back.field, panel, side), p);
          expect(now[0]).toBeCloseTo(was[0], 6);
          expect(now[1]).toBeCloseTo(was[1], 6);
        }
      }
      expect(back.look).toEqual(look);
      expect(back.field.split).toBe(0.37);
      expect(view.alignment.analysisId).toBe(7);
    });
  }

  it('records a profile on both sides in file pixels and brings it back', () => {
    const size = { width: 1000, height: 640 };
    const state = moved('split');
    const profile = { from: [500, 600] as Point, to: [1500, 700] as Point };
    const view = viewStateSchema.parse(toViewState(state, defaultLook, ctx(size, profile)));
    expect(view.profiles).toHaveLength(1);
    const back = fromViewState(view, [6.25, 3.125], size);
    expect(back.profile).not.toBeNull();
    // The stage frame may differ after restoring; the line's place on A's own frame may not.
    const onA = (s: FieldState, w: Point) => apply(invert(s.placement[0]), w);
    expect(onA(back.field, back.profile!.from)[0]).toBeCloseTo(onA(state, profile.from)[0]!, 6);
    expect(onA(back.field, back.profile!.to)[1]).toBeCloseTo(onA(state, profile.to)[1]!, 6);
  });

  it('stays within what the contract accepts at extreme settings', () => {
    const state = { ...moved('checker'), checkerPx: 1 };
    const view = viewStateSchema.safeParse(
      toViewState(state, { ...defaultLook, azimuthDeg: -30 }, ctx({ width: 0.4, height: 300 })),
    );
    expect(view.success).toBe(true);
  });
});

describe('scaleOfB', () => {
  it('is silent at one magnification, whatever the turn, and states another to 3 decimals', () => {
    expect(scaleOfB(rotationAbout(23, [10, 20]))).toBeNull();
    expect(scaleOfB(scaleAbout(1.0004, [0, 0]))).toBeNull();
    expect(scaleOfB(scaleAbout(1.25, [5, 5]))).toBe('1.250');
    expect(scaleOfB(scaleAbout(0.8, [0, 0]))).toBe('0.800');
  });
});
