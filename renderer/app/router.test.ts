import { describe, expect, it } from 'vitest';
import { matchPath } from './router.ts';

describe('matchPath', () => {
  it('extracts parameters', () => {
    expect(matchPath('/cases/:id', '/cases/12')).toEqual({ id: '12' });
    expect(matchPath('/cases', '/cases')).toEqual({});
  });
  it('refuses other shapes', () => {
    expect(matchPath('/cases/:id', '/cases')).toBeNull();
    expect(matchPath('/cases/:id', '/audit/3')).toBeNull();
  });
});
