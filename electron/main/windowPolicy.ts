// What the desktop window may do, decided here in plain functions (no `electron` import, so they are tested
// without Electron) and wired in index.ts. The page comes from the app's own origin (app://casebench, served
// from out/renderer by rendererFiles.ts), not from file://, so it cannot read other local files and is the only
// origin trusted with the host's port; it may use the camera (UVC microscopes) and nothing else; it opens no
// window, and outside links only to the hosts listed here; devices (USB, HID, serial, Bluetooth) are never
// handed to the page (the host drives the rig); DevTools exist only in development builds.

export const appScheme = 'app';
export const appOrigin = `${appScheme}://casebench`;
export const appPageUrl = `${appOrigin}/index.html`;

/** True for the app's own page (any route in its hash, any query). */
export function isAppPage(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === appOrigin && parsed.pathname === '/index.html';
  } catch {
    return false;
  }
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

/**
 * Hosts an outside link may open in the system browser (https only). The UI has no outside links today, so
 * none is listed; a link added later must be listed here, so a page that is somehow made to call window.open
 * cannot send the examiner anywhere else.
 */
export const externalLinkHosts: readonly string[] = [];

export function externalUrlAllowed(url: string, hosts: readonly string[] = externalLinkHosts): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'https:' &&
      parsed.username === '' &&
      parsed.password === '' &&
      hosts.includes(parsed.hostname)
    );
  } catch {
    return false;
  }
}

/**
 * Whether the page may have `permission`: only the camera (video capture, never the microphone), only for the
 * app's own origin. `mediaTypes` is what a media request asks for (absent in a permission check).
 */
export function permissionAllowed(
  permission: string,
  requestingUrl: string | undefined,
  mediaTypes?: string[],
): boolean {
  if (originOf(requestingUrl) !== appOrigin) return false;
  if (permission !== 'media') return false;
  return mediaTypes === undefined || mediaTypes.every((type) => type === 'video');
}

/** The window's web preferences: isolated, sandboxed, no Node, no DevTools in a packaged app. */
export function windowPreferences(preload: string, packaged: boolean) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: !packaged,
  };
}
