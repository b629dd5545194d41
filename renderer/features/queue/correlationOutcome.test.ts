import { describe, expect, it } from 'vitest';
import type { LeadView } from '../../../electron/contract/index.ts';
import { correlationOutcome } from './correlationOutcome.ts';

const lead = { leadId: 1 } as LeadView;

describe('correlationOutcome', () => {
  it('is null until the hub has correlated the job', () => {
    for (const state of ['queued', 'uploading', 'committed', 'rejected', 'dead', 'canceled'] as const) {
      expect(correlationOutcome({ state, leads: null, correlationNotes: [] })).toBeNull();
    }
  });

  it('says "nothing found" only when the hub compared everything and no casing scored as a lead', () => {
    expect(correlationOutcome({ state: 'correlated', leads: [], correlationNotes: [] })).toEqual({
      leads: 0,
      notes: [],
      nothingFound: true,
    });
    // 0 leads because the hub could not compare: never reported as "no match in the network".
    const notes = [{ text: 'the submission has no X3P topography', code: 'no_topography', values: {} }];
    expect(correlationOutcome({ state: 'correlated', leads: [], correlationNotes: notes })).toEqual({
      leads: 0,
      notes,
      nothingFound: false,
    });
    expect(
      correlationOutcome({
        state: 'correlated',
        leads: [lead, lead],
        correlationNotes: [{ text: '1 candidate(s) without an X3P topography were not compared' }],
      }),
    ).toEqual({
      leads: 2,
      notes: [{ text: '1 candidate(s) without an X3P topography were not compared' }],
      nothingFound: false,
    });
    expect(correlationOutcome({ state: 'correlated', leads: [lead], correlationNotes: [] })).toEqual({
      leads: 1,
      notes: [],
      nothingFound: false,
    });
  });
});
