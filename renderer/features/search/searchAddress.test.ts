import { describe, expect, it } from 'vitest';
import { defaultFilters, searchAddress, searchFromAddress } from './searchAddress.ts';
import { pathQuery } from '../../app/router.ts';
import { populationName } from './meaning.ts';

describe('a search as an address', () => {
  it('round-trips every filter', () => {
    const filters = { calibre: '9mm Luger', dateField: 'recovered' as const, from: '2024-01-01', to: '', topK: 7 };
    const address = searchAddress('12', filters, true);
    expect(address).toBe('/search/acquisition/12?calibre=9mm+Luger&dates=recovered&from=2024-01-01&k=7&ran=1');
    expect(searchFromAddress('12', pathQuery(address))).toEqual({ acquisitionId: '12', filters, ran: true });
  });
  it('falls back to the defaults for values that do not parse, and never runs without an acquisition', () => {
    const read = searchFromAddress(null, pathQuery('/search?dates=x&from=yesterday&k=-3&ran=1'));
    expect(read).toEqual({ acquisitionId: null, filters: defaultFilters, ran: false });
  });
});

describe('population names', () => {
  it('drop a trailing pair count the sentence already gives', () => {
    expect(populationName('Fadul 2011 known non-matches (717 pairs)', 717)).toBe('Fadul 2011 known non-matches');
    expect(populationName('Lab set (12 pairs)', 717)).toBe('Lab set (12 pairs)');
  });
});
