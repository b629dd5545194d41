// Keyboard users keep their place when a dialog changes what it shows: the control that had the focus (a start
// button) goes away, and without this the focus falls to the page behind the dialog.
import { useEffect, useRef, type RefObject } from 'react';

/** When `step` changes (not on first show), focuses the element of `targets` for the new step, if it has one. */
export function useFocusOnStep(step: string, targets: Partial<Record<string, RefObject<HTMLElement | null>>>) {
  const shown = useRef(step);
  useEffect(() => {
    if (shown.current === step) return;
    shown.current = step;
    targets[step]?.current?.focus();
  }, [step]);
}
