import { describe, expect, it } from 'vitest';
import { matchPath, pathQuery, tabOf, withQueryParam } from './router.ts';

describe('matchPath', () => {
  it('extracts parameters', () => {
    expect(matchPath('/cases/:id', '/cases/12')).toEqual({ id: '12' });
    expect(matchPath('/cases', '/cases')).toEqual({});
  });
  it('refuses other shapes', () => {
    expect(matchPath('/cases/:id', '/cases')).toBeNull();
    expect(matchPath('/cases/:id', '/audit/3')).toBeNull();
  });
  it('takes only record ids for plain parameters, anything for (text) ones', () => {
    for (const bad of ['abc', '0', '-1', '1.5', '01', '1e3', '99999999999999999', '%E0%A4%A'])
      expect(matchPath('/cases/:id', `/cases/${bad}`), bad).toBeNull();
    expect(matchPath('/cases/:id', '/cases/12?tab=history')).toEqual({ id: '12' });
    expect(matchPath('/packages/:name(text)', '/packages/LAB%2F7')).toEqual({ name: 'LAB/7' });
    expect(matchPath('/packages/:name(text)', '/packages/%E0%A4%A')).toBeNull();
  });
  it('sets one parameter of an address, keeping the rest', () => {
    expect(withQueryParam('/cases/12', 'tab', 'history')).toBe('/cases/12?tab=history');
    expect(withQueryParam('/search?item=3&tab=a', 'tab', 'b')).toBe('/search?item=3&tab=b');
    expect(withQueryParam('/search?item=3&tab=a', 'tab', null)).toBe('/search?item=3');
  });
  it('reads the query of an address', () => {
    expect(pathQuery('/search?item=3&k=10').get('k')).toBe('10');
    expect(pathQuery('/search').get('k')).toBeNull();
  });
  it('reads the tab an address asks for, falling back to the default for none or one not offered', () => {
    const offered = ['items', 'history'];
    expect(tabOf('/cases/3?tab=history', offered, 'items')).toBe('history');
    expect(tabOf('/cases/3', offered, 'items')).toBe('items');
    expect(tabOf('/cases/3?tab=packages', offered, 'items')).toBe('items');
  });
});
