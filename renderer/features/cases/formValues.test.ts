import { describe, expect, it } from 'vitest';
import { changedFields, toFormValues } from './formValues.ts';

describe('form values', () => {
  const record = { labCaseNumber: 'L-1', agency: null, offence: 'Robbery', version: 3 };
  it('shows nulls as empty text', () => {
    expect(toFormValues(record, ['labCaseNumber', 'agency'])).toEqual({ labCaseNumber: 'L-1', agency: '' });
  });
  it('keeps only changed fields and sends an emptied field as null', () => {
    expect(changedFields(record, { labCaseNumber: 'L-2', agency: 'PD', offence: null })).toEqual({
      labCaseNumber: 'L-2',
      agency: 'PD',
      offence: null,
    });
    expect(changedFields(record, { labCaseNumber: 'L-1', agency: '', offence: 'Robbery' })).toEqual({});
    expect(changedFields(record, { labCaseNumber: 'L-1', agency: undefined, offence: 'Robbery' })).toEqual({});
  });
});
