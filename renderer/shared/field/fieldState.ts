// The comparison field as a virtual microscope stage. Both specimens lie on one stage (the "world" frame,
// micrometres); each has a placement (its own frame → world) and the view (world → screen) is shared, so pan,
// zoom and rotation move both at once. Unlocked, the same moves change the active side's placement instead:
// that offset stays when the sides are locked again, exactly as an examiner aligns two casings on a physical
// comparison microscope. All units are micrometres, so scans of different pixel sizes show at the same scale.
import {
  apply,
  applyLinear,
  compose,
  identity,
  invert,
  rotationAbout,
  scaleAbout,
  translation,
  type Affine,
  type Point,
} from './geometry.ts';

export type SideIndex = 0 | 1;
export const sideIndexes: readonly SideIndex[] = [0, 1];

/** side: two panels; split: one field, A left of the split line; blend, difference, checker: both everywhere. */
export const viewModes = ['side', 'split', 'blend', 'difference', 'checker'] as const;
export type ViewMode = (typeof viewModes)[number];
/** The comparison modes, or 'single': one picture alone (the acquisition viewer). */
export type FieldMode = ViewMode | 'single';

/** The extent of a side's picture in its own frame, micrometres. */
export interface SideExtent {
  widthUm: number;
  heightUm: number;
}

export interface FieldState {
  /** World point at the centre of each panel. */
  centre: Point;
  /** Screen pixels per micrometre. */
  zoom: number;
  /** Rotation of the whole stage on screen, degrees (clockwise positive). */
  rotationDeg: number;
  /** Own frame → world, per side. */
  placement: [Affine, Affine];
  locked: boolean;
  /** The side an unlocked move, an annotation or a fine alignment acts on. */
  active: SideIndex;
  mode: FieldMode;
  /** Split line position as a share of the field width (split mode). */
  split: number;
  /** Share of B in blend mode. */
  blend: number;
  /** Checkerboard square size, screen pixels. */
  checkerPx: number;
}

export interface Panel {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Sides drawn in this panel. */
  sides: SideIndex[];
}

export const minZoom = 1e-4;
export const maxZoom = 200;
const clampZoom = (z: number) => Math.min(maxZoom, Math.max(minZoom, z));

/** Side by side: two halves with a gap; every other mode: one field showing both sides. */
export function panelsOf(mode: FieldMode, width: number, height: number, gap = 4): Panel[] {
  if (mode === 'single') return [{ x: 0, y: 0, width, height, sides: [0] }];
  if (mode !== 'side') return [{ x: 0, y: 0, width, height, sides: [0, 1] }];
  const half = Math.max(1, Math.floor((width - gap) / 2));
  return [
    { x: 0, y: 0, width: half, height, sides: [0] },
    { x: width - half, y: 0, width: half, height, sides: [1] },
  ];
}

/** The panel holding a screen point (the nearer one in the gap). */
export function panelAt(panels: Panel[], [x]: Point): number {
  if (panels.length === 1) return 0;
  return x < (panels[0]!.x + panels[0]!.width + panels[1]!.x) / 2 ? 0 : 1;
}

/** World → screen for one panel: s = panelCentre + zoom · R(rotation) · (w − centre). */
export function screenFromWorld(state: FieldState, panel: Panel): Affine {
  const pc: Point = [panel.x + panel.width / 2, panel.y + panel.height / 2];
  return compose(
    translation(pc[0], pc[1]),
    compose(
      scaleAbout(state.zoom, [0, 0]),
      compose(rotationAbout(state.rotationDeg, [0, 0]), translation(-state.centre[0], -state.centre[1])),
    ),
  );
}

export function screenFromOwn(state: FieldState, panel: Panel, side: SideIndex): Affine {
  return compose(screenFromWorld(state, panel), state.placement[side]);
}

/** The placement that puts a side's centre on A's centre, unrotated: where B starts before any alignment. */
export function centredPlacement(extentA: SideExtent, extent: SideExtent): Affine {
  return translation((extentA.widthUm - extent.widthUm) / 2, (extentA.heightUm - extent.heightUm) / 2);
}

export function initialState(extentA: SideExtent, extentB: SideExtent, mode: FieldMode = 'side'): FieldState {
  return {
    centre: [extentA.widthUm / 2, extentA.heightUm / 2],
    zoom: 1,
    rotationDeg: 0,
    placement: [identity, centredPlacement(extentA, extentB)],
    locked: true,
    active: 1,
    mode,
    split: 0.5,
    blend: 0.5,
    checkerPx: 48,
  };
}

/** The world shift that moves content by (dx, dy) screen pixels. */
function worldShift(state: FieldState, dx: number, dy: number): Point {
  const inverse = invert(compose(scaleAbout(state.zoom, [0, 0]), rotationAbout(state.rotationDeg, [0, 0])));
  return applyLinear(inverse, [dx, dy]);
}

/** Moves what is under the pointer by (dx, dy) screen pixels: both sides when locked, the active side when not. */
export function pan(state: FieldState, dx: number, dy: number): FieldState {
  const [wx, wy] = worldShift(state, dx, dy);
  if (state.locked) return { ...state, centre: [state.centre[0] - wx, state.centre[1] - wy] };
  return withPlacement(state, state.active, compose(translation(wx, wy), state.placement[state.active]));
}

/** Zooms by `factor` keeping the world point under `at` (screen) where it is. Unlocked: scales the active side. */
export function zoomAt(state: FieldState, panel: Panel, factor: number, at: Point): FieldState {
  const world = apply(invert(screenFromWorld(state, panel)), at);
  if (!state.locked) {
    return withPlacement(state, state.active, compose(scaleAbout(factor, world), state.placement[state.active]));
  }
  const zoom = clampZoom(state.zoom * factor);
  const next = { ...state, zoom };
  // Solve for the centre that keeps `world` under `at`.
  const moved = apply(screenFromWorld(next, panel), world);
  const [wx, wy] = worldShift(next, moved[0] - at[0], moved[1] - at[1]);
  return { ...next, centre: [next.centre[0] + wx, next.centre[1] + wy] };
}

/** Turns the stage (locked) or the active side (unlocked) by `deg` about the field centre. */
export function rotate(state: FieldState, deg: number): FieldState {
  if (state.locked) return { ...state, rotationDeg: state.rotationDeg + deg };
  // On screen the side turns the way the stage would: about the world point at the centre, by the same sense.
  return withPlacement(state, state.active, compose(rotationAbout(deg, state.centre), state.placement[state.active]));
}

export function withPlacement(state: FieldState, side: SideIndex, placement: Affine): FieldState {
  const next: [Affine, Affine] = [...state.placement];
  next[side] = placement;
  return { ...state, placement: next };
}

/** World bounding box of a side's picture. */
export function worldBounds(state: FieldState, side: SideIndex, extent: SideExtent): [Point, Point] {
  const corners: Point[] = [
    [0, 0],
    [extent.widthUm, 0],
    [0, extent.heightUm],
    [extent.widthUm, extent.heightUm],
  ].map((p) => apply(state.placement[side], p as Point));
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  return [
    [Math.min(...xs), Math.min(...ys)],
    [Math.max(...xs), Math.max(...ys)],
  ];
}

/** Zoom and centre so that both pictures fit their panels (rotation kept). */
export function fit(state: FieldState, extents: [SideExtent, SideExtent | null], panel: Panel): FieldState {
  const boxes = sideIndexes.filter((s) => extents[s]).map((s) => worldBounds(state, s, extents[s]!));
  const min: Point = [Math.min(...boxes.map((b) => b[0][0])), Math.min(...boxes.map((b) => b[0][1]))];
  const max: Point = [Math.max(...boxes.map((b) => b[1][0])), Math.max(...boxes.map((b) => b[1][1]))];
  // The box's extent as seen through the current rotation.
  const t = (state.rotationDeg * Math.PI) / 180;
  const w = max[0] - min[0];
  const h = max[1] - min[1];
  const seenW = Math.abs(w * Math.cos(t)) + Math.abs(h * Math.sin(t));
  const seenH = Math.abs(w * Math.sin(t)) + Math.abs(h * Math.cos(t));
  const zoom = clampZoom(0.95 * Math.min(panel.width / Math.max(seenW, 1e-9), panel.height / Math.max(seenH, 1e-9)));
  return { ...state, zoom, centre: [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2] };
}

/** Micrometres per screen pixel of one side (its placement may scale it when zoomed unlocked). */
export function sideScale(state: FieldState, side: SideIndex): number {
  const m = state.placement[side];
  return state.zoom * Math.hypot(m.a, m.b);
}
