import { describe, expect, it } from 'vitest';
import { imageRoles } from './roles.ts';

const file = (role: string, mediaType = 'image/png') => ({ role, sha256: 'x', size: 1, mediaType, settings: null });

describe('image roles', () => {
  it('lists 2D images, lights first in channel order, and leaves out the topography and non-images', () => {
    const roles = imageRoles([file('topography', 'application/x-x3p'), file('coaxial'), file('light:ring/s10'), file('ring'), file('light:ring/s2'), file('original', 'application/x-x3p'), file('dark')]);
    expect(roles).toEqual(['light:ring/s2', 'light:ring/s10', 'ring', 'coaxial', 'dark']);
  });
});
