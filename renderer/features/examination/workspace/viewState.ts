// The workspace's view as the examination records it with every snapshot and annotation (the contract's
// viewStateSchema), and back: each side's centre (file pixels), magnification (screen pixels per file pixel) and
// on-screen rotation, how B sits on A, the light and the look. Restoring a recorded view puts both sides on the
// screen exactly where they were, whatever the window size, because each side is anchored at its panel's centre.
import type { ViewState, ViewStateInput } from '../../../../electron/contract/index.ts';
import {
  apply,
  compose,
  decompose,
  invert,
  rotationAbout,
  scaleAbout,
  translation,
  type Affine,
  type Point,
} from '../../../shared/field/geometry.ts';
import {
  panelsOf,
  screenFromOwn,
  screenFromWorld,
  sideScale,
  type FieldState,
  type SideExtent,
  type SideIndex,
  type ViewMode,
} from '../../../shared/field/fieldState.ts';
import type { Look } from '../../../shared/field/renderer.ts';
import { formatNumber } from '../../../app/format.ts';

const layouts: Record<ViewMode, ViewState['layout']> = {
  side: 'side_by_side',
  split: 'split',
  blend: 'blend',
  difference: 'difference',
  checker: 'checkerboard',
};
const modes = Object.fromEntries(Object.entries(layouts).map(([m, l]) => [l, m])) as Record<
  ViewState['layout'],
  ViewMode
>;

export interface ViewContext {
  size: { width: number; height: number };
  /** The file shown on each side. */
  roles: [string, string];
  /** Micrometres per file pixel, per side. */
  filePixelUm: [number, number];
  extents: [SideExtent, SideExtent];
  alignment: { from: 'none' | 'auto' | 'manual'; analysisId: number | null };
  cells: boolean;
  profile: { from: Point; to: Point } | null;
}

const panelOf = (state: FieldState, side: SideIndex, width: number, height: number) =>
  panelsOf(state.mode, width, height)[state.mode === 'side' ? side : 0]!;

export function toViewState(state: FieldState, look: Look, ctx: ViewContext): ViewStateInput {
  const { width, height } = ctx.size;
  const side = (s: SideIndex) => {
    const panel = panelOf(state, s, width, height);
    const m = screenFromOwn(state, panel, s);
    const own = apply(invert(m), [panel.x + panel.width / 2, panel.y + panel.height / 2]);
    return {
      source: ctx.roles[s],
      centerX: own[0] / ctx.filePixelUm[s],
      centerY: own[1] / ctx.filePixelUm[s],
      zoom: sideScale(state, s) * ctx.filePixelUm[s],
      rotationDeg: decompose(m).rotationDeg,
      mirrored: false,
    };
  };
  // B on A: its turn, and how far its centre lies from A's centre (micrometres of A's frame).
  const onA = compose(invert(state.placement[0]), state.placement[1]);
  const bCentre = apply(onA, [ctx.extents[1].widthUm / 2, ctx.extents[1].heightUm / 2]);
  const toFile = (s: SideIndex, world: Point): [number, number] => {
    const own = apply(invert(state.placement[s]), world);
    return [own[0] / ctx.filePixelUm[s], own[1] / ctx.filePixelUm[s]];
  };
  return {
    layout: layouts[state.mode === 'single' ? 'split' : state.mode],
    split: state.split,
    blend: state.blend,
    checkerSizePx: Math.round(Math.min(4096, Math.max(2, state.checkerPx))),
    locked: state.locked,
    a: side(0),
    b: side(1),
    alignment: {
      rotationDeg: decompose(onA).rotationDeg,
      dxUm: bCentre[0] - ctx.extents[0].widthUm / 2,
      dyUm: bCentre[1] - ctx.extents[0].heightUm / 2,
      from: ctx.alignment.from,
      analysisId: ctx.alignment.analysisId,
    },
    light: { azimuthDeg: ((look.azimuthDeg % 360) + 360) % 360, elevationDeg: look.elevationDeg },
    reliefExaggeration: look.exaggeration,
    falseColour: look.falseColour,
    enhancedContrast: look.contrast,
    cmcCells: ctx.cells,
    profiles: ctx.profile
      ? [
          {
            a: [toFile(0, ctx.profile.from), toFile(0, ctx.profile.to)],
            b: [toFile(1, ctx.profile.from), toFile(1, ctx.profile.to)],
          },
        ]
      : [],
    viewport: { width: Math.max(1, Math.round(width)), height: Math.max(1, Math.round(height)) },
    extra: { activeSide: state.active === 0 ? 'a' : 'b' },
  };
}

/** The field and look a recorded view describes, drawn into a field of `size` (CSS pixels). */
export function fromViewState(
  view: ViewState,
  filePixelUm: [number, number],
  size: { width: number; height: number },
): { field: FieldState; look: Look; profile: { from: Point; to: Point } | null } {
  const mode = modes[view.layout];
  // A sits unmoved on the stage; the stage carries A's magnification and rotation.
  const base: FieldState = {
    centre: [view.a.centerX * filePixelUm[0], view.a.centerY * filePixelUm[0]],
    zoom: view.a.zoom / filePixelUm[0],
    rotationDeg: view.a.rotationDeg,
    placement: [translation(0, 0), translation(0, 0)],
    locked: view.locked,
    active: view.extra.activeSide === 'a' ? 0 : 1,
    mode,
    split: view.split,
    blend: view.blend,
    checkerPx: view.checkerSizePx,
  };
  // B: the placement that puts its recorded centre at its panel's centre, at its magnification and rotation.
  const panel = panelOf(base, 1, size.width, size.height);
  const wanted = compose(
    translation(panel.x + panel.width / 2, panel.y + panel.height / 2),
    compose(
      scaleAbout(view.b.zoom / filePixelUm[1], [0, 0]),
      compose(
        rotationAbout(view.b.rotationDeg, [0, 0]),
        translation(-view.b.centerX * filePixelUm[1], -view.b.centerY * filePixelUm[1]),
      ),
    ),
  );
  const field: FieldState = {
    ...base,
    placement: [base.placement[0], compose(invert(screenFromWorld(base, panel)), wanted)],
  };
  const recorded = view.profiles[0];
  const profile = recorded
    ? {
        from: apply(field.placement[0], [recorded.a[0][0] * filePixelUm[0], recorded.a[0][1] * filePixelUm[0]]),
        to: apply(field.placement[0], [recorded.a[1][0] * filePixelUm[0], recorded.a[1][1] * filePixelUm[0]]),
      }
    : null;
  return {
    field,
    look: {
      azimuthDeg: view.light.azimuthDeg,
      elevationDeg: view.light.elevationDeg,
      exaggeration: view.reliefExaggeration,
      falseColour: view.falseColour,
      contrast: view.enhancedContrast,
    },
    profile,
  };
}

/**
 * B's magnification relative to A's, written to 3 decimals, when it is not 1: a side zoomed on its own (unlocked)
 * is shown at another scale than the other, which the examiner must be told (on screen and in a snapshot).
 */
export function scaleOfB(onA: Affine): string | null {
  const scale = Math.hypot(onA.a, onA.b);
  return Math.abs(scale - 1) < 0.0005 ? null : formatNumber(scale, 3);
}
