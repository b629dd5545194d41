// Scenario helpers shared by the e2e files. A scenario is one story: once a step fails, the later ones would only
// time out on its leftovers, so they are skipped, naming the step that failed.
import { it } from 'node:test';
import type { Locator } from 'playwright-core';

/**
 * Returns `step(name, fn)`, which declares one test of the story. `onFailure` runs when a step fails (e.g. a
 * screenshot of what the screen showed, which says more than a timeout); its own errors are ignored.
 */
export function storySteps(
  onFailure?: (step: string) => Promise<unknown> | void,
): (name: string, fn: () => Promise<void> | void) => void {
  let failedStep: string | null = null;
  return (name, fn) => {
    it(name, async (t) => {
      if (failedStep) return t.skip(`an earlier step failed: ${failedStep}`);
      try {
        await fn();
      } catch (error) {
        failedStep = name;
        try {
          await onFailure?.(name);
        } catch {
          // The report of the failure matters more than a failed screenshot.
        }
        throw error;
      }
    });
  };
}

export async function visible(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

/** The element's text with runs of white space made one space. */
export async function text(locator: Locator): Promise<string> {
  await visible(locator);
  return (await locator.first().innerText()).replace(/\s+/g, ' ');
}

/** Polls `check` until it holds; throws naming `what` after `timeoutMs`. */
export async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 10_000,
  pollMs = 100,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
