// Accessibility checks with axe-core (from npm): the page is given axe's script and asked to check itself. The target
// is WCAG 2.2 AA: no serious or critical violation of the WCAG rules or of axe's best practices (a level-one heading,
// named regions, table headers with text...). The script is evaluated through the debugging protocol, not added as a
// page script, because the station's CSP (rightly) refuses inline scripts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeProblem {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Serious and critical violations on the page (or inside `selector`) as it is now, each with up to three offending
 * elements (AXE_ALL=1 in the environment lists the moderate and minor ones too, for a look at everything).
 */
export async function axeViolations(page: Page, selector?: string): Promise<AxeProblem[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  // Colours are checked as they settle, not halfway through a transition (a segment enabled a moment ago fades from
  // its disabled grey for 200 ms, and axe would measure the grey in between): running transitions jump to their end.
  await page.evaluate(() => {
    for (const animation of document.getAnimations()) {
      try {
        animation.finish(); // refused (and left running) for an endless animation such as a loader
      } catch {
        // endless: nothing to settle
      }
    }
  });
  // A Mantine dialog gets its name (aria-labelledby its title) one render after it appears, as the title registers
  // itself in an effect: a dialog still opening is given a moment to be named. One that stays unnamed is reported.
  await page
    .waitForFunction(
      () => document.querySelector('[role="dialog"]:not([aria-labelledby]):not([aria-label])') === null,
      null,
      { timeout: 2_000 },
    )
    .catch(() => undefined);
  const violations = await page.evaluate(async (context) => {
    const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<unknown> } }).axe;
    const result = (await axe.run(context ?? document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    })) as {
      violations: Array<{
        id: string;
        impact: string | null;
        help: string;
        nodes: Array<{ target: unknown[]; html: string; failureSummary?: string }>;
      }>;
    };
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      // The element itself (its start tag, short) and why it fails say more than a generated selector.
      targets: v.nodes.slice(0, 3).map(
        (n) =>
          `${n.html.slice(0, 120)} [${(n.failureSummary ?? '')
            .replace(/\s+/g, ' ')
            .replace(/^Fix any of the following: /, '')
            .slice(0, 160)}]`,
      ),
    }));
  }, selector ?? null);
  return violations.filter((v) => process.env.AXE_ALL || v.impact === 'serious' || v.impact === 'critical');
}

export function describeProblems(where: string, problems: AxeProblem[]): string[] {
  return problems.map((p) => `${where}: ${p.rule} (${p.impact}) ${p.help} — ${p.targets.join(' | ')}`);
}

/** Serious and critical violations on the page (or inside `selector`), one line each; [] when it passes. */
export async function accessibilityViolations(page: Page, selector?: string): Promise<string[]> {
  return describeProblems(selector ?? 'page', await axeViolations(page, selector));
}
