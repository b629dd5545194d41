import { describe, expect, it } from 'vitest';
import { caseListAddress, caseListFromAddress, defaultCaseList } from './listAddress.ts';

const read = (address: string) => caseListFromAddress(new URLSearchParams(address.split('?')[1] ?? ''));

describe('case list address', () => {
  it('is /cases for the defaults and round-trips every filter, the sort and the page', () => {
    expect(caseListAddress(defaultCaseList)).toBe('/cases');
    const state = {
      query: '枪击 & co',
      agency: 'Metro PD',
      status: 'open' as const,
      receivedFrom: '2026-01-01',
      receivedTo: '2026-12-31',
      sortBy: 'labCaseNumber' as const,
      sortDir: 'asc' as const,
      page: 3,
    };
    const address = caseListAddress(state);
    expect(address).toBe(
      '/cases?q=%E6%9E%AA%E5%87%BB+%26+co&status=open&agency=Metro+PD&from=2026-01-01&to=2026-12-31&sort=labCaseNumber&dir=asc&page=3',
    );
    expect(read(address)).toEqual(state);
  });

  it('drops what an edited or old address holds that the station would refuse', () => {
    expect(
      read('/cases?status=lost&from=yesterday&to=2026-13&sort=password&dir=sideways&page=-2&q=' + 'x'.repeat(500)),
    ).toEqual({ ...defaultCaseList, query: 'x'.repeat(200) });
    expect(read('/cases?page=2.5').page).toBe(1);
  });
});
