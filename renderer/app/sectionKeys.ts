// Sections by keyboard: G, then the section's key on the number row, in the order the side bar shows them:
// 1…9, then 0, - and = (the row goes on past 9 as it does on the keyboard), so an administrator's eleven
// sections all have one. Alt+digit switches Chromium's tabs on Linux and Alt opens Electron's menu bar; a two-key
// sequence without modifiers collides with neither (Electron's menu accelerators all hold Ctrl or are F11), works
// on any keyboard layout (keys read by position), and never fires while the user types in a field.
import { useEffect } from 'react';

/** The number row by position (KeyboardEvent.code) with the label the side bar shows; the keypad's twins beside. */
const sectionKeys: ReadonlyArray<{ codes: readonly string[]; label: string }> = [
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 0].map((n) => ({ codes: [`Digit${n}`, `Numpad${n}`], label: String(n) })),
  { codes: ['Minus', 'NumpadSubtract'], label: '-' },
  { codes: ['Equal'], label: '=' },
];

/** How many sections can have a shortcut (a test holds the side bar to it). */
export const sectionKeyCount = sectionKeys.length;

/** What the side bar and the help list show for the section at this index, or null past the last key. */
export function sectionShortcut(index: number): string | null {
  const key = sectionKeys[index];
  return key ? `G ${key.label}` : null;
}

const sectionIndex = (code: string): number | null => {
  const index = sectionKeys.findIndex((key) => key.codes.includes(code));
  return index < 0 ? null : index;
};

function typingIn(target: EventTarget | null): boolean {
  return (
    typeof Element !== 'undefined' &&
    target instanceof Element &&
    target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="dialog"]') !== null
  );
}

/** The key handler as a pure state machine, so it can be tested without a browser: returns the index to open. */
export function sectionKeyMachine() {
  let armed = false;
  return (event: { code: string; ctrlKey: boolean; altKey: boolean; metaKey: boolean; target: EventTarget | null }) => {
    const wasArmed = armed;
    armed = false;
    if (event.ctrlKey || event.altKey || event.metaKey || typingIn(event.target)) return null;
    if (event.code === 'KeyG') {
      armed = !wasArmed; // G G does not stay armed
      return null;
    }
    return wasArmed ? sectionIndex(event.code) : null;
  };
}

export function useSectionKeys(paths: readonly string[], open: (path: string) => void): void {
  useEffect(() => {
    const next = sectionKeyMachine();
    const onKeyDown = (event: KeyboardEvent) => {
      const index = next(event);
      if (index === null || index >= paths.length) return;
      // Before the page's own keys (the live view zooms on 1): this key belonged to the G sequence.
      event.preventDefault();
      event.stopPropagation();
      open(paths[index]!);
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [paths, open]);
}
