import { describe, expect, it } from 'vitest';
import { headRegionsSchema } from '../../../../electron/contract/acquisitions.ts';
import {
  annulusIsRing,
  dragTo,
  draftFrom,
  draftOrigins,
  placeCircle,
  removeCircle,
  setValue,
  toHeadRegions,
} from './regionDraft.ts';

const detected = {
  width: 400,
  height: 300,
  primer: { cx: 200, cy: 150, r: 120 },
  firingPin: null,
  breechFace: { outer: { cx: 200, cy: 150, r: 120 }, inner: null },
};

describe('region draft', () => {
  it('labels circles by where they stand: detected until moved, manual once changed, absent until placed', () => {
    const base = { ...detected, origin: 'auto' as const };
    const start = draftFrom(base);
    expect(draftOrigins(base, start, start)).toEqual({
      primer: 'auto',
      firingPin: 'absent',
      outer: 'auto',
      inner: 'absent',
    });
    const moved = setValue(placeCircle(setValue(start, 'outer', 'r', 100), 'inner'), 'inner', 'r', 40);
    expect(draftOrigins(base, start, moved)).toMatchObject({ primer: 'auto', outer: 'manual', inner: 'manual' });
    const override = { ...base, origin: 'manual' as const, firingPin: { cx: 200, cy: 150, r: 30 } };
    expect(draftOrigins(override, draftFrom(override), draftFrom(override)).firingPin).toBe('manual');
  });

  it('leaves a firing pin that was not found absent (not a quarter of the primer) until the examiner places it', () => {
    const d = draftFrom(detected);
    expect(d.firingPin).toBeNull();
    expect(d.inner).toBeNull();
    // Saved as it is, the regions say "no firing pin" and the host accepts them.
    expect(toHeadRegions(d)).toMatchObject({ firingPin: null, breechFace: { inner: null } });
    expect(headRegionsSchema.safeParse(toHeadRegions(d)).success).toBe(true);
    // Typing into or dragging an absent circle changes nothing.
    expect(setValue(d, 'firingPin', 'r', 20)).toBe(d);
    expect(dragTo(d, 'inner', 'edge', 10, 10)).toBe(d);
    // Placed on request: on the primer's centre, a third of its radius; removed again on request.
    const placed = placeCircle(d, 'firingPin');
    expect(placed.firingPin).toEqual({ cx: 200, cy: 150, r: 40 });
    expect(removeCircle(placed, 'firingPin').firingPin).toBeNull();
  });

  it('starts one outline of the firing-pin aperture from the other one when only one was found', () => {
    const pinOnly = { ...detected, firingPin: { cx: 190, cy: 155, r: 35 } };
    expect(draftFrom(pinOnly).inner).toEqual({ cx: 190, cy: 155, r: 35 });
    const innerOnly = {
      ...detected,
      breechFace: { outer: detected.breechFace.outer, inner: { cx: 205, cy: 148, r: 38 } },
    };
    const d = draftFrom(innerOnly);
    expect(d.firingPin).toEqual({ cx: 205, cy: 148, r: 38 });
    expect(draftOrigins({ ...innerOnly, origin: 'auto' }, d, d)).toMatchObject({
      firingPin: 'suggested',
      inner: 'auto',
    });
    // Placing the inner circle of a draft that has a firing pin puts it on the firing pin.
    expect(placeCircle(removeCircle(d, 'inner'), 'inner').inner).toEqual(d.firingPin);
  });

  it('keeps centres on the picture and tells when the annulus is not a ring', () => {
    let d = draftFrom(detected);
    d = setValue(d, 'primer', 'cx', -40);
    expect(d.primer.cx).toBe(0);
    d = setValue(d, 'outer', 'cy', 1000);
    expect(d.outer.cy).toBe(300);
    expect(setValue(d, 'primer', 'r', 0).primer.r).toBe(1);
    expect(setValue(d, 'primer', 'r', 9999).primer.r).toBe(500);
    expect(setValue(d, 'primer', 'r', Number.NaN)).toBe(d);
    expect(annulusIsRing(d)).toBe(true);
    expect(headRegionsSchema.safeParse(toHeadRegions(d)).success).toBe(true);
    d = setValue(placeCircle(d, 'inner'), 'inner', 'r', 130);
    expect(annulusIsRing(d)).toBe(false);
    expect(headRegionsSchema.safeParse(toHeadRegions(d)).success).toBe(false);
  });

  it('drags a centre and an edge in picture pixels', () => {
    let d = draftFrom(detected);
    d = placeCircle(d, 'firingPin');
    d = dragTo(d, 'firingPin', 'centre', 210.04, 140);
    expect(d.firingPin).toMatchObject({ cx: 210, cy: 140 });
    d = dragTo(d, 'firingPin', 'edge', 210, 180);
    expect(d.firingPin?.r).toBe(40);
  });
});
