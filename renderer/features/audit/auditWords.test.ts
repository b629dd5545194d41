import { describe, expect, it } from 'vitest';
import { translator } from '../../../tests/fixtures/translator.ts';
import { entityWords } from './auditWords.ts';

const acquisition = {
  entityType: 'acquisition',
  entityId: '5',
  entityLabel: 'LAB-2026-0042 / Q1',
  entityRegion: 'breech_face' as const,
};

describe('the record an audit entry concerns, in words', () => {
  it('names an acquisition by case and exhibit with its region in the reader’s language, never the code', async () => {
    expect(entityWords(await translator('en'), acquisition)).toBe('Acquisition LAB-2026-0042 / Q1 · Breech face');
    const french = entityWords(await translator('fr'), acquisition);
    expect(french).toBe('Acquisition LAB-2026-0042 / Q1 · Tranche de culasse');
    expect(entityWords(await translator('ar'), acquisition)).not.toMatch(/breech_face|acquisition/);
  });

  it('keeps a record with no region, or an unknown kind of record, readable', async () => {
    const t = await translator('en');
    expect(entityWords(t, { entityType: 'item', entityId: '3', entityLabel: 'LAB-2026-0042 / Q1' })).toBe(
      'Item LAB-2026-0042 / Q1',
    );
    expect(entityWords(t, { entityType: 'gadget', entityId: '7', entityLabel: null })).toBe('gadget #7');
  });
});
