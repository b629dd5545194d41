// Sections by keyboard: G, then the section's number in the side bar (1–9, in the order the user sees them).
// Alt+digit switches Chromium's tabs on Linux and Alt opens Electron's menu bar; a two-key sequence collides with
// neither, works on any keyboard layout (keys read by position), and never fires while the user types in a field.
import { useEffect } from 'react';

/** What the side bar and the help list show for the section at this index, or null past the ninth. */
export function sectionShortcut(index: number): string | null {
  return index < 9 ? `G ${index + 1}` : null;
}

const digit = (code: string): number | null => {
  const m = /^(?:Digit|Numpad)([1-9])$/.exec(code);
  return m ? Number(m[1]) : null;
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
    const n = wasArmed ? digit(event.code) : null;
    return n === null ? null : n - 1;
  };
}

export function useSectionKeys(paths: readonly string[], open: (path: string) => void): void {
  useEffect(() => {
    const next = sectionKeyMachine();
    const onKeyDown = (event: KeyboardEvent) => {
      const index = next(event);
      if (index === null || index >= paths.length) return;
      // Before the page's own keys (the live view zooms on 1): this digit belonged to the G sequence.
      event.preventDefault();
      event.stopPropagation();
      open(paths[index]!);
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [paths, open]);
}
