// Keyboard-only journeys: move with Tab / Shift+Tab as a person would, and at every stop check that the focus can be
// seen (an outline or ring on the element, or the border colour Mantine's fields take on focus) and is not hidden
// behind something else. A control the keyboard cannot reach within `max` stops fails the test, naming the stops it
// passed, which is how a keyboard trap (the same few stops over and over) shows.
import type { Page } from 'playwright-core';

export interface FocusStop {
  /** Tag, role and accessible name as far as the page says them, e.g. `button "Start capture"`. */
  said: string;
  /** Why the focus cannot be seen here, or null when it can. */
  unseen: string | null;
}

/** Where the keyboard focus is now and whether a person can see it. */
export function focusStop(page: Page): Promise<FocusStop> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { said: '(nothing)', unseen: 'nothing has the focus' };
    const labelled = el.getAttribute('aria-labelledby');
    const name =
      el.getAttribute('aria-label') ??
      (labelled ? document.getElementById(labelled.split(' ')[0]!)?.textContent : null) ??
      ((el as HTMLInputElement).labels?.[0]?.textContent || null) ??
      el.getAttribute('placeholder') ??
      el.textContent ??
      '';
    const role = el.getAttribute('role') ?? (el as HTMLInputElement).type ?? '';
    const said = `${el.tagName.toLowerCase()}${role ? `[${role}]` : ''} "${name.replace(/\s+/g, ' ').trim().slice(0, 60)}"`;

    const colourOf = (value: string) => {
      const probe = document.createElement('span');
      probe.style.color = value;
      document.body.append(probe);
      const colour = getComputedStyle(probe).color;
      probe.remove();
      return colour;
    };
    const ring = (node: Element) => {
      const s = getComputedStyle(node);
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1 && !/, 0\)$/.test(s.outlineColor);
      return outline || (s.boxShadow !== 'none' && s.boxShadow !== '');
    };
    // The element itself, or (for a visually hidden input) the control drawn for it right after it or around it.
    let seen = ring(el);
    if (!seen && el.matches('input, textarea')) {
      const s = getComputedStyle(el);
      seen = s.borderTopColor === colourOf('var(--mantine-primary-color-filled)') && parseFloat(s.borderTopWidth) > 0;
    }
    if (!seen) {
      const box = el.getBoundingClientRect();
      const hidden = box.width <= 2 || box.height <= 2 || getComputedStyle(el).opacity === '0';
      const drawn = [el.nextElementSibling, el.parentElement, el.parentElement?.parentElement];
      if (hidden) seen = drawn.some((node) => node && ring(node));
    }
    if (!seen) return { said, unseen: 'no outline, ring or focus border' };

    const box = el.getBoundingClientRect();
    const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
    if (box.bottom <= 0 || box.top >= innerHeight || box.right <= 0 || box.left >= innerWidth)
      return { said, unseen: 'outside the window' };
    const top = document.elementFromPoint(x, y);
    const related = (a: Element | null, b: Element) => a !== null && (a === b || a.contains(b) || b.contains(a));
    const labelOf = (el as HTMLInputElement).labels?.[0] ?? null;
    if (!top || !(related(top, el) || (labelOf && related(top, labelOf)) || related(top, el.parentElement!)))
      return { said, unseen: `covered by ${top?.tagName.toLowerCase()}.${top?.className}` };
    return { said, unseen: null };
  });
}

/** The stop once its focus style has come in (fields fade their border colour in over a few frames). */
async function settledFocusStop(page: Page, timeoutMs = 1_000): Promise<FocusStop> {
  const end = Date.now() + timeoutMs;
  let stop = await focusStop(page);
  while (stop.unseen && stop.said !== '(nothing)' && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    stop = await focusStop(page);
  }
  return stop;
}

/**
 * Presses Tab (or Shift+Tab) until `wanted` says the focused stop is the one, at most `max` times. Every stop on
 * the way must show its focus; returns the stops passed (for the record).
 */
export async function tabTo(
  page: Page,
  wanted: (stop: FocusStop) => boolean,
  options: { backwards?: boolean; max?: number; what?: string } = {},
): Promise<FocusStop[]> {
  const stops: FocusStop[] = [];
  const max = options.max ?? 60;
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
    const stop = await settledFocusStop(page);
    stops.push(stop);
    // Past the last control the focus goes to the browser's own bar, then comes back to the first one.
    if (stop.said === '(nothing)' && stops.at(-2)?.said !== '(nothing)') continue;
    if (stop.unseen) throw new Error(`focus not visible at ${stop.said}: ${stop.unseen}`);
    if (wanted(stop)) return stops;
  }
  const last = stops
    .slice(-12)
    .map((s) => s.said)
    .join(' → ');
  throw new Error(
    `${options.what ?? 'the control'} not reached in ${max} ${options.backwards ? 'Shift+' : ''}Tabs: ${last}`,
  );
}

/** Tabs to the stop whose words match `name` (a string must be contained, a RegExp must match). */
export function tabToNamed(page: Page, name: string | RegExp, options: { backwards?: boolean; max?: number } = {}) {
  const matches = (said: string) => (typeof name === 'string' ? said.includes(name) : name.test(said));
  return tabTo(page, (stop) => matches(stop.said), { ...options, what: String(name) });
}

/** The focus is where it should be after a key press (e.g. a dialog's first field), and can be seen there. */
export async function expectFocusOn(page: Page, name: string | RegExp): Promise<FocusStop> {
  const stop = await settledFocusStop(page);
  const ok = typeof name === 'string' ? stop.said.includes(name) : name.test(stop.said);
  if (!ok) throw new Error(`expected the focus on ${String(name)}, it is on ${stop.said}`);
  if (stop.unseen) throw new Error(`focus not visible at ${stop.said}: ${stop.unseen}`);
  return stop;
}
