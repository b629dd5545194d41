// A test pair's sides are named in the reader's language, from the set and pair number the host sends.
import { describe, expect, it } from 'vitest';
import { translator } from '../../../tests/fixtures/translator.ts';
import type { Workspace } from '../../../electron/contract/index.ts';
import { testSideLabel, withTestLabels } from './testLabels.ts';

const side = (label: string) => ({ label, acquisitionId: 1 }) as unknown as Workspace['a'];
const workspace = (test: Workspace['test']) =>
  ({ test, a: side('Q4 · pair 3 · A'), b: side('Q4 · pair 3 · B') }) as unknown as Workspace;

describe('test pair names', () => {
  it.each([
    ['en', 'Q4 · pair 3 · A'],
    ['fr', 'Q4 · paire 3 · A'],
    ['es', 'Q4 · par 3 · A'],
    ['ar', 'Q4 · الزوج 3 · A'],
  ])('read in %s', async (lng, a) => {
    const t = await translator(lng);
    const named = withTestLabels(t, workspace({ testSetId: 1, name: 'Q4', position: 3, of: 5 }));
    expect(named.a.label).toBe(a);
    expect(named.b.label).toBe(a.replace(/A$/, 'B'));
    expect(testSideLabel(t, { name: 'Q4', position: 3 }, 'b')).toBe(named.b.label);
  });

  it('leaves casework names as the host sent them', async () => {
    const casework = { ...workspace(null), a: side('LAB-1 / Q1') } as Workspace;
    expect(withTestLabels(await translator('fr'), casework)).toBe(casework);
  });
});
