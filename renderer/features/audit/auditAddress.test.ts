import { describe, expect, it } from 'vitest';
import { auditAddress, auditFiltersFromAddress } from './auditAddress.ts';

const none = { caseNumber: '', username: '', action: null, from: '', to: '' };

describe('the audit trail’s address', () => {
  it('holds the filters in force and reads them back', () => {
    const filters = {
      caseNumber: 'LAB-2026-0042',
      username: 'jdoe',
      action: 'item.update',
      from: '2026-01-01',
      to: '',
    };
    const address = auditAddress(filters);
    expect(address).toBe('/audit?case=LAB-2026-0042&user=jdoe&action=item.update&from=2026-01-01');
    expect(auditFiltersFromAddress(new URLSearchParams(address.split('?')[1]))).toEqual(filters);
  });

  it('is the bare trail without filters', () => {
    expect(auditAddress(none)).toBe('/audit');
    expect(auditAddress({ ...none, caseNumber: '  ' })).toBe('/audit');
  });

  it('drops what a typed or pasted address holds that no filter can', () => {
    const odd = new URLSearchParams({ case: 'x'.repeat(500), action: 'DROP TABLE', from: '01/02/2026', to: '2026-13' });
    const read = auditFiltersFromAddress(odd);
    expect(read.caseNumber).toHaveLength(100);
    expect([read.action, read.from, read.to]).toEqual([null, '', '']);
  });
});
