// Debian's Chromium driven by playwright-core (Playwright's own browsers cannot be downloaded here).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const root = join(import.meta.dirname, '..', '..', '..');
export const screenshotDir = join(root, 'test-results', 'screenshots');

// WebGL2 (the comparison field) is drawn by SwiftShader, Chromium's software GPU: --disable-gpu keeps a machine's
// real GPU out of the tests, --use-angle=swiftshader names the software backend and --enable-unsafe-swiftshader
// allows WebGL on it (newer Chromium no longer falls back to it by itself).
export const webglFlags = ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

const flags = [
  '--no-sandbox',
  '--disable-gpu',
  ...webglFlags,
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Chromium's built-in fake camera (a moving test pattern), with camera access granted without a prompt. */
export const fakeCameraFlags = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...flags, ...extraArgs],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

/** Console errors and page errors, collected so a test can assert the UI ran clean. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

/**
 * A scenario's page: its own context, 1440 px wide, with reduced motion (Mantine then skips its transitions, so
 * screenshots never catch a half-open panel), a default timeout, and the page's errors collected.
 */
export async function openPage(
  browser: Browser,
  options: { width?: number; height?: number; timeoutMs?: number } = {},
): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1440, height: options.height ?? 900 },
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(options.timeoutMs ?? 10_000);
  return { context, page, pageErrors: collectPageErrors(page) };
}
