import { describe, expect, it } from 'vitest';
import { hasBidiControls, revealBidiControls } from './UserText.tsx';
import { bidiControlNames } from '../../electron/contract/bidiControls.ts';

describe('user text with direction controls', () => {
  it('finds and names every invisible direction control', () => {
    const disguised = 'invoice\u202egnp.exe';
    expect(hasBidiControls(disguised)).toBe(true);
    expect(revealBidiControls(disguised)).toBe('invoice[RLO]gnp.exe');
    expect(revealBidiControls('\u2067a\u2069\u200f\u061c')).toBe('[RLI]a[PDI][RLM][ALM]');
    // Called twice in a row (a global pattern keeps its position): still found.
    expect(hasBidiControls(disguised)).toBe(true);
  });

  it('names the controls a value holds, each once, for the warning beside a form field', () => {
    expect(bidiControlNames('Q1-\u202egnp.exe\u202c and \u202e again')).toEqual(['RLO', 'PDF']);
    expect(bidiControlNames('Q1')).toEqual([]);
  });

  it('leaves ordinary text of any script alone', () => {
    for (const text of ['LAB-2026-0042', 'شرطة دبي', '枪击案', 'Policía'])
      expect([hasBidiControls(text), revealBidiControls(text)]).toEqual([false, text]);
  });
});
