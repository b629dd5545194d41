import { describe, expect, it } from 'vitest';
import { sectionKeyMachine, sectionShortcut } from './sectionKeys.ts';

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
    expect(next(key('Digit0'))).toBeNull();
  });

  it('names the first nine sections', () => {
    expect(sectionShortcut(0)).toBe('G 1');
    expect(sectionShortcut(8)).toBe('G 9');
    expect(sectionShortcut(9)).toBeNull();
  });
});
