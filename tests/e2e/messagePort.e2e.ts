// The Electron transport, exercised in Chromium: an init script plays the preload and main process (it sets
// window.casebench and hands the page a MessagePort), and bridges that port to the real host's WebSocket.
// The UI must work over the port exactly as over its own socket, show the link down when the shell says the
// host went away, and carry on with the next port it is handed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './support/browser.ts';
import { startStation, type RunningStation } from './support/station.ts';
import { FirstRunPage } from './pages/AuthPages.ts';
import { CaseDetailPage, CaseListPage } from './pages/CasePages.ts';
import { Shell } from './pages/Shell.ts';

/** Runs in the page before its scripts: a stand-in for electron/preload + the main process's port handover. */
function fakeElectronShell(wsUrl: string) {
  const w = window as unknown as { casebench: unknown; handOverPort: () => void; dropPort: () => void };
  w.casebench = { shell: 'electron' };
  let current: { port: MessagePort; socket: WebSocket } | null = null;
  w.handOverPort = () => {
    const channel = new MessageChannel();
    const socket = new WebSocket(wsUrl);
    socket.onmessage = (event) => channel.port1.postMessage(JSON.parse(event.data as string));
    channel.port1.onmessage = (event) => socket.send(JSON.stringify(event.data));
    socket.onopen = () => window.postMessage({ type: 'casebench:port' }, '*', [channel.port2]);
    current = { port: channel.port1, socket };
  };
  w.dropPort = () => {
    current?.socket.close();
    current?.port.close();
    window.postMessage({ type: 'casebench:disconnected' }, '*');
  };
  // Like the real preload: the port comes once the page has loaded.
  window.addEventListener('DOMContentLoaded', () => w.handOverPort());
}

describe('the UI over a MessagePort (the Electron transport)', { timeout: 120_000 }, () => {
  let station: RunningStation;
  let browser: Browser;
  let page: Page;

  before(async () => {
    [station, browser] = await Promise.all([startStation(), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    page.setDefaultTimeout(10_000);
    const token = new URL(station.url).searchParams.get('token')!;
    await page.addInitScript(fakeElectronShell, `ws://${new URL(station.url).host}/rpc?token=${token}`);
  });

  after(async () => {
    await browser?.close();
    await station?.stop();
  });

  it('signs up, creates a case and reads it back over the port', async () => {
    await page.goto(`${station.origin}/`); // no token in the address: the page must not dial a socket itself
    await new FirstRunPage(page).setUp({
      username: 'admin',
      displayName: 'Ada Admin',
      password: 'correct horse battery',
    });
    await new CaseListPage(page).heading().waitFor();
    await new CaseListPage(page).createCase({ labCaseNumber: 'PORT-1', agency: 'Metro Police' });
    await new CaseDetailPage(page).heading('PORT-1').waitFor();
    assert.match(await new Shell(page).statusBar().innerText(), /Link: OK/);
  });

  it('shows the link down when the port closes and carries on with a new port', async () => {
    await page.evaluate(() => (window as unknown as { dropPort: () => void }).dropPort());
    await page.getByText('Waiting for the application to reconnect.').waitFor();
    await page.evaluate(() => (window as unknown as { handOverPort: () => void }).handOverPort());
    // A new connection knows nothing of this tab: the session is re-attached from tab storage.
    await page.getByText('Waiting for the application to reconnect.').waitFor({ state: 'detached' });
    await new Shell(page).open('Cases');
    await new CaseListPage(page).row('PORT-1').waitFor();
  });
});
