import { describe, expect, it } from 'vitest';
import { sectionKeyCount, sectionKeyMachine, sectionShortcut } from './sectionKeys.ts';
import { navEntries } from './nav.ts';

const key = (code: string, modifiers: Partial<{ ctrlKey: boolean; altKey: boolean; metaKey: boolean }> = {}) => ({
  code,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  target: null,
  ...modifiers,
});

describe('section keys', () => {
  it('G then a digit opens that section (by key position, main row or keypad)', () => {
    const next = sectionKeyMachine();
    expect(next(key('KeyG'))).toBeNull();
    expect(next(key('Digit3'))).toBe(2);
    expect(next(key('KeyG'))).toBeNull();
    expect(next(key('Numpad1'))).toBe(0);
  });

  it('a digit alone, a digit after another key, G G, or modifiers open nothing', () => {
    const next = sectionKeyMachine();
    expect(next(key('Digit2'))).toBeNull();
    next(key('KeyG'));
    next(key('KeyX'));
    expect(next(key('Digit2'))).toBeNull();
    next(key('KeyG'));
    next(key('KeyG'));
    expect(next(key('Digit2'))).toBeNull();
    next(key('KeyG'));
    expect(next(key('Digit2', { altKey: true }))).toBeNull(); // Alt+2 stays the browser's
    next(key('KeyG', { ctrlKey: true }));
    expect(next(key('Digit2'))).toBeNull();
    next(key('KeyG'));
    expect(next(key('KeyQ'))).toBeNull();
  });

  it('goes on past 9 along the number row: 0, then -, then =', () => {
    const next = sectionKeyMachine();
    next(key('KeyG'));
    expect(next(key('Digit0'))).toBe(9);
    next(key('KeyG'));
    expect(next(key('Minus'))).toBe(10);
    next(key('KeyG'));
    expect(next(key('NumpadSubtract'))).toBe(10);
    next(key('KeyG'));
    expect(next(key('Equal'))).toBe(11);
    expect(sectionShortcut(0)).toBe('G 1');
    expect(sectionShortcut(8)).toBe('G 9');
    expect(sectionShortcut(9)).toBe('G 0');
    expect(sectionShortcut(10)).toBe('G -');
    expect(sectionShortcut(sectionKeyCount)).toBeNull();
  });

  it('every section of the side bar has a shortcut (an administrator sees them all)', () => {
    expect(navEntries.length).toBeLessThanOrEqual(sectionKeyCount);
    navEntries.forEach((_, index) => expect(sectionShortcut(index)).not.toBeNull());
  });
});
