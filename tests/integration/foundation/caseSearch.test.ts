// The case list's search finds words in any script: two-character Chinese words, Arabic, accented Latin, and
// still a short prefix of the lab number for Latin text.
import { afterEach, describe, expect, it } from 'vitest';
import { startSignedIn } from '../../fixtures/testHost.ts';

let dispose: (() => Promise<void> | void) | undefined;
afterEach(async () => {
  await dispose?.();
  dispose = undefined;
});

describe('case search in every script', () => {
  it('finds CJK and other non-Latin substrings, short or long', async () => {
    const station = await startSignedIn();
    dispose = station.dispose;
    const { client } = station;
    await client.call('cases.create', { labCaseNumber: 'LAB-2026-0101', offence: '枪击案', agency: '北京市公安局' });
    await client.call('cases.create', { labCaseNumber: 'LAB-2026-0102', offence: 'إطلاق نار', agency: 'شرطة دبي' });
    await client.call('cases.create', { labCaseNumber: 'ZX-7', offence: 'Homicide', agency: 'Policía Nacional' });
    const numbers = async (query: string) =>
      (await client.call('cases.list', { query })).rows.map((c) => c.labCaseNumber).sort();

    expect(await numbers('枪击')).toEqual(['LAB-2026-0101']); // two characters: a word in Chinese
    expect(await numbers('击')).toEqual(['LAB-2026-0101']);
    expect(await numbers('枪击案')).toEqual(['LAB-2026-0101']);
    expect(await numbers('公安')).toEqual(['LAB-2026-0101']);
    expect(await numbers('نار')).toEqual(['LAB-2026-0102']);
    expect(await numbers('دب')).toEqual(['LAB-2026-0102']);
    expect(await numbers('Policía')).toEqual(['ZX-7']);
    // Short Latin text stays a prefix of the lab number (no scan of every field for "7" or "ho").
    expect(await numbers('ZX')).toEqual(['ZX-7']);
    expect(await numbers('ho')).toEqual([]);
    expect(await numbers('%')).toEqual([]);
  });
});
