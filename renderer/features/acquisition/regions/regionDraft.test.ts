import { describe, expect, it } from 'vitest';
import { headRegionsSchema } from '../../../../electron/contract/acquisitions.ts';
import { annulusIsRing, dragTo, draftFrom, draftOrigins, setValue, toHeadRegions } from './regionDraft.ts';

const detected = {
  width: 400,
  height: 300,
  primer: { cx: 200, cy: 150, r: 120 },
  firingPin: null,
  breechFace: { outer: { cx: 200, cy: 150, r: 120 }, inner: null },
};

describe('region draft', () => {
  it('labels circles by where they stand: detected until moved, manual once changed, suggested when filled in', () => {
    const base = { ...detected, origin: 'auto' as const };
    const start = draftFrom(base);
    expect(draftOrigins(base, start, start)).toEqual({
      primer: 'auto',
      firingPin: 'suggested',
      outer: 'auto',
      inner: 'suggested',
    });
    const moved = setValue(setValue(start, 'outer', 'r', 100), 'inner', 'r', 40);
    expect(draftOrigins(base, start, moved)).toMatchObject({ primer: 'auto', outer: 'manual', inner: 'manual' });
    const override = { ...base, origin: 'manual' as const, firingPin: { cx: 200, cy: 150, r: 30 } };
    expect(draftOrigins(override, draftFrom(override), draftFrom(override)).firingPin).toBe('manual');
  });

  it('fills missing circles so every circle can be edited, and saves something the host accepts', () => {
    const d = draftFrom(detected);
    expect(d.firingPin).toEqual({ cx: 200, cy: 150, r: 30 });
    expect(d.inner).toEqual(d.firingPin);
    expect(headRegionsSchema.safeParse(toHeadRegions(d)).success).toBe(true);
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
    d = setValue(d, 'inner', 'r', 130);
    expect(annulusIsRing(d)).toBe(false);
    expect(headRegionsSchema.safeParse(toHeadRegions(d)).success).toBe(false);
  });

  it('drags a centre and an edge in picture pixels', () => {
    let d = draftFrom(detected);
    d = dragTo(d, 'firingPin', 'centre', 210.04, 140);
    expect(d.firingPin).toMatchObject({ cx: 210, cy: 140 });
    d = dragTo(d, 'firingPin', 'edge', 210, 180);
    expect(d.firingPin.r).toBe(40);
  });
});
