// The examiner's working copy of an acquisition's regions while editing: all four circles present (a missing one
// starts from a sensible default), moved and resized in the picture's pixels and kept on the picture, so what
// is saved passes the host's checks (centre on the picture, inner circle of the annulus smaller than its outer).
import type { HeadRegions, RegionCircle, Regions } from '../../../../electron/contract/index.ts';

export const circleKeys = ['primer', 'firingPin', 'outer', 'inner'] as const;
export type CircleKey = (typeof circleKeys)[number];
export type RegionDraft = Record<CircleKey, RegionCircle> & { width: number; height: number };

const round = (v: number) => Math.round(v * 10) / 10;

export function draftFrom(
  regions: Pick<Regions, 'width' | 'height' | 'primer' | 'firingPin' | 'breechFace'>,
): RegionDraft {
  const { width, height } = regions;
  const side = Math.min(width, height);
  const primer = regions.primer ?? { cx: width / 2, cy: height / 2, r: 0.45 * side };
  const firingPin = regions.firingPin ?? { cx: primer.cx, cy: primer.cy, r: 0.25 * primer.r };
  const outer = regions.breechFace?.outer ?? primer;
  const inner = regions.breechFace?.inner ?? firingPin;
  return {
    width,
    height,
    primer: { ...primer },
    firingPin: { ...firingPin },
    outer: { ...outer },
    inner: { ...inner },
  };
}

export function toHeadRegions(d: RegionDraft): HeadRegions {
  return {
    width: d.width,
    height: d.height,
    primer: d.primer,
    firingPin: d.firingPin,
    breechFace: { outer: d.outer, inner: d.inner },
  };
}

/** Sets one number of one circle, kept on the picture: centre inside it, radius ≥ 1 and at most the diagonal.
 * (The annulus' ring shape is checked by `annulusIsRing`, not forced here: it would fight the examiner's typing.) */
export function setValue(d: RegionDraft, key: CircleKey, field: keyof RegionCircle, value: number): RegionDraft {
  if (!Number.isFinite(value)) return d;
  const limit = field === 'cx' ? d.width : field === 'cy' ? d.height : Math.hypot(d.width, d.height);
  const v = round(Math.min(limit, Math.max(field === 'r' ? 1 : 0, value)));
  return { ...d, [key]: { ...d[key], [field]: v } };
}

/** Dragging the centre handle moves the circle; dragging the edge handle sets the radius to the pointer. */
export function dragTo(d: RegionDraft, key: CircleKey, part: 'centre' | 'edge', x: number, y: number): RegionDraft {
  if (part === 'centre') return setValue(setValue(d, key, 'cx', x), key, 'cy', y);
  return setValue(d, key, 'r', Math.hypot(x - d[key].cx, y - d[key].cy));
}

/** The host refuses an annulus whose inner circle is not smaller than its outer one. */
export function annulusIsRing(d: RegionDraft): boolean {
  return d.inner.r < d.outer.r;
}

/** Where a circle of the draft stands: as it came (detected or manual), moved by the examiner, or suggested to fill a gap. */
export type DraftOrigin = 'auto' | 'manual' | 'suggested';

/**
 * Per circle of the draft, what its label should say: a circle still as the regions it started from keeps their
 * origin (editing does not turn detected circles into manual ones); one the examiner changed is manual; one the
 * regions lacked (the draft filled it in) is a suggestion until changed.
 */
export function draftOrigins(
  base: Pick<Regions, 'primer' | 'firingPin' | 'breechFace' | 'origin'>,
  start: RegionDraft,
  draft: RegionDraft,
): Record<CircleKey, DraftOrigin> {
  const had: Record<CircleKey, boolean> = {
    primer: base.primer !== null,
    firingPin: base.firingPin !== null,
    outer: base.breechFace !== null,
    inner: base.breechFace?.inner != null,
  };
  const same = (a: RegionCircle, b: RegionCircle) => a.cx === b.cx && a.cy === b.cy && a.r === b.r;
  return Object.fromEntries(
    circleKeys.map((key) => [key, !same(start[key], draft[key]) ? 'manual' : had[key] ? base.origin : 'suggested']),
  ) as Record<CircleKey, DraftOrigin>;
}
