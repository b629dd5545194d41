// The examiner's working copy of an acquisition's regions while editing, moved and resized in the picture's pixels
// and kept on the picture, so what is saved passes the host's checks (centre on the picture, inner circle of the
// annulus smaller than its outer). Primer and outer circle are always there (a missing one starts as a suggestion
// covering the middle of the picture); the firing pin and the annulus' inner circle may be absent: a missing one
// starts from the other (both outline the firing-pin aperture), else stays absent until the examiner places it,
// rather than being invented at some fixed fraction of the primer.
import type { HeadRegions, RegionCircle, Regions } from '../../../../electron/contract/index.ts';

export const circleKeys = ['primer', 'firingPin', 'outer', 'inner'] as const;
export type CircleKey = (typeof circleKeys)[number];
/** Circles that may be absent from the regions (and from the draft until placed). */
export const optionalCircles = ['firingPin', 'inner'] as const satisfies readonly CircleKey[];
export type RegionDraft = Record<'primer' | 'outer', RegionCircle> &
  Record<(typeof optionalCircles)[number], RegionCircle | null> & { width: number; height: number };

const round = (v: number) => Math.round(v * 10) / 10;

export function draftFrom(
  regions: Pick<Regions, 'width' | 'height' | 'primer' | 'firingPin' | 'breechFace'>,
): RegionDraft {
  const { width, height } = regions;
  const side = Math.min(width, height);
  const primer = regions.primer ?? { cx: width / 2, cy: height / 2, r: 0.45 * side };
  const aperture = regions.firingPin ?? regions.breechFace?.inner ?? null;
  const outer = regions.breechFace?.outer ?? primer;
  const inner = regions.breechFace?.inner ?? aperture;
  return {
    width,
    height,
    primer: { ...primer },
    firingPin: aperture && { ...aperture },
    outer: { ...outer },
    inner: inner && { ...inner },
  };
}

/**
 * Places an absent circle where the examiner asked for it: on the other outline of the firing-pin aperture if
 * there is one, else centred on the primer at a third of its radius (a firing-pin aperture is about a third of
 * the primer's diameter on common calibres); the examiner then moves it onto the aperture.
 */
export function placeCircle(d: RegionDraft, key: (typeof optionalCircles)[number]): RegionDraft {
  if (d[key]) return d;
  const other = key === 'firingPin' ? d.inner : d.firingPin;
  const placed = other ?? { cx: d.primer.cx, cy: d.primer.cy, r: round(Math.max(1, d.primer.r / 3)) };
  return { ...d, [key]: { ...placed } };
}

/** Takes a placed firing pin or inner circle away again (the host accepts regions without them). */
export function removeCircle(d: RegionDraft, key: (typeof optionalCircles)[number]): RegionDraft {
  return { ...d, [key]: null };
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
  const circle = d[key];
  return circle ? { ...d, [key]: { ...circle, [field]: v } } : d;
}

/** Dragging the centre handle moves the circle; dragging the edge handle sets the radius to the pointer. */
export function dragTo(d: RegionDraft, key: CircleKey, part: 'centre' | 'edge', x: number, y: number): RegionDraft {
  if (part === 'centre') return setValue(setValue(d, key, 'cx', x), key, 'cy', y);
  const circle = d[key];
  return circle ? setValue(d, key, 'r', Math.hypot(x - circle.cx, y - circle.cy)) : d;
}

/** The host refuses an annulus whose inner circle is not smaller than its outer one. */
export function annulusIsRing(d: RegionDraft): boolean {
  return d.inner === null || d.inner.r < d.outer.r;
}

/**
 * Where a circle of the draft stands: as it came (detected or manual), moved or placed by the examiner, suggested
 * to fill a gap, or absent (not placed).
 */
export type DraftOrigin = 'auto' | 'manual' | 'suggested' | 'absent';

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
  const same = (a: RegionCircle | null, b: RegionCircle | null) =>
    a === b || (a !== null && b !== null && a.cx === b.cx && a.cy === b.cy && a.r === b.r);
  const originOf = (key: CircleKey): DraftOrigin => {
    if (draft[key] === null) return 'absent';
    if (!same(start[key], draft[key])) return 'manual';
    return had[key] ? base.origin : 'suggested';
  };
  return Object.fromEntries(circleKeys.map((key) => [key, originOf(key)])) as Record<CircleKey, DraftOrigin>;
}
