import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../format.ts';
import { reportReferences } from './references.ts';

// Only what the references read; the rest of a case record plays no part here.
const record = {
  case: { originId: 1, labCaseNumber: 'LAB-2026-0042' },
  items: [{ originId: 10, exhibitNumber: 'Q1' }],
  acquisitions: [
    { originId: 100, exhibitNumber: 'Q1', region: 'breech_face', completedAt: '2026-03-04T10:00:00.000Z', files: [] },
  ],
  calibrations: [],
  examination: {
    comparisons: [
      {
        id: 7,
        a: { acquisitionId: 100, label: 'LAB-2026-0042 / Q1' },
        b: { acquisitionId: 555, label: 'LAB-2025-0900 / K3' },
      },
    ],
  },
} as unknown as CaseRecord;

describe('report references', () => {
  it('names an acquisition of another case, compared with this one, as the examination recorded it', () => {
    const refs = reportReferences(record, [], 'en');
    expect(refs.acquisition(100)).toMatch(/^Q1 · /);
    expect(refs.acquisition(555)).toBe('LAB-2025-0900 / K3');
    expect(refs.acquisition(999)).toBeNull();
  });
});
