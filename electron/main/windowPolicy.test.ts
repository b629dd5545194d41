import { describe, expect, it } from 'vitest';
import {
  appOrigin,
  appPageUrl,
  externalUrlAllowed,
  isAppPage,
  permissionAllowed,
  windowPreferences,
} from './windowPolicy.ts';

describe('the desktop window policy', () => {
  it('trusts only the app page of its own origin with the host port', () => {
    expect(isAppPage(appPageUrl)).toBe(true);
    expect(isAppPage(`${appPageUrl}#/cases/3`)).toBe(true);
    expect(isAppPage('file:///opt/casebench/resources/app/out/renderer/index.html')).toBe(false);
    expect(isAppPage(`${appOrigin}/assets/evil.html`)).toBe(false);
    expect(isAppPage('app://casebench.evil/index.html')).toBe(false);
    expect(isAppPage('https://casebench/index.html')).toBe(false);
    expect(isAppPage(undefined)).toBe(false);
    expect(isAppPage('not a url')).toBe(false);
  });

  it('lets the app page use the camera and nothing else; other origins get nothing', () => {
    expect(permissionAllowed('media', appPageUrl, ['video'])).toBe(true);
    expect(permissionAllowed('media', `${appOrigin}/`)).toBe(true); // a permission check names the origin only
    expect(permissionAllowed('media', appPageUrl, ['audio'])).toBe(false);
    expect(permissionAllowed('media', appPageUrl, ['video', 'audio'])).toBe(false);
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'hid', 'serial', 'usb', 'openExternal'])
      expect(permissionAllowed(permission, appPageUrl), permission).toBe(false);
    expect(permissionAllowed('media', 'https://evil.example/', ['video'])).toBe(false);
    expect(permissionAllowed('media', 'file:///tmp/x.html', ['video'])).toBe(false);
    expect(permissionAllowed('media', undefined, ['video'])).toBe(false);
  });

  it('opens outside links only over https to listed hosts (none by default)', () => {
    expect(externalUrlAllowed('https://github.com/x')).toBe(false);
    const hosts = ['docs.example.org'];
    expect(externalUrlAllowed('https://docs.example.org/security', hosts)).toBe(true);
    expect(externalUrlAllowed('http://docs.example.org/', hosts)).toBe(false);
    expect(externalUrlAllowed('https://docs.example.org.evil.example/', hosts)).toBe(false);
    expect(externalUrlAllowed('https://user:pw@docs.example.org/', hosts)).toBe(false);
    expect(externalUrlAllowed('file:///etc/passwd', hosts)).toBe(false);
    expect(externalUrlAllowed('smb://docs.example.org/share', hosts)).toBe(false);
    expect(externalUrlAllowed('javascript:alert(1)', hosts)).toBe(false);
  });

  it('isolates and sandboxes the page, without Node, and without DevTools when packaged', () => {
    const packaged = windowPreferences('/p/preload.cjs', true);
    expect(packaged).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(windowPreferences('/p/preload.cjs', false).devTools).toBe(true);
  });
});
