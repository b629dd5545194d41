// The Electron shell: one sandboxed window, the host in this process, and one MessagePort between them.
// Everything else (storage, devices, analysis, network) lives in the host, which never imports electron.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  MessageChannelMain,
  Menu,
  protocol,
  session,
  shell,
  type MessagePortMain,
  type WebContents,
} from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHost, type Host } from '../host/createHost.ts';
import { rendererFile } from '../host/rendererFiles.ts';
import type { HostMessage, MessagePipe } from '../contract/rpc.ts';
import type { shellCalls } from '../contract/system.ts';
import type { CallHandlers } from '../host/rpc/handlers.ts';
import { loadWindowState, saveWindowState } from './windowState.ts';
import {
  appOrigin,
  appPageUrl,
  appScheme,
  externalUrlAllowed,
  isAppPage,
  permissionAllowed,
  windowPreferences,
} from './windowPolicy.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '../renderer');
const preloadPath = join(here, '../preload/index.cjs');

let host: Host;
let mainWindow: BrowserWindow | null = null;

function portPipe(port: MessagePortMain): MessagePipe<unknown, HostMessage> {
  return {
    send: (message) => port.postMessage(message),
    onMessage: (listener) => port.on('message', (event) => listener(event.data)),
    onClose: (listener) => port.on('close', listener),
    close: () => port.close(),
  };
}

/** Only our own page, in our own window's main frame, gets a port to the host. */
function isTrustedSender(sender: WebContents, frameUrl: string | undefined): boolean {
  return mainWindow !== null && sender === mainWindow.webContents && isAppPage(frameUrl);
}

function shellHandlers(): CallHandlers<typeof shellCalls> {
  return {
    // The user picks a place on the host in a native dialog; the page only learns names in the transfer folders.
    'shell.importFile': async (input) => {
      const result = await dialog.showOpenDialog(mainWindow!, {
        title: input.title,
        filters: input.filters,
        properties: ['openFile'],
      });
      const chosen = result.canceled ? undefined : result.filePaths[0];
      return { name: chosen ? host.files.copyIn(chosen) : null };
    },
    'shell.exportFile': async (input, ctx) => {
      // Refused before the dialog opens (a blind verifier, a technician and a case package), and again on copying.
      host.files.checkRelease(input.name, ctx.session);
      const result = await dialog.showSaveDialog(mainWindow!, { title: input.title, defaultPath: input.name });
      if (result.canceled || !result.filePath) return { saved: false };
      host.files.copyOut(input.name, result.filePath, ctx.session);
      return { saved: true };
    },
    'shell.revealInFolder': (input) => {
      shell.showItemInFolder(host.files.pathToReveal(input.area, input.name));
      return {};
    },
  };
}

function createWindow(): void {
  const dataDir = app.getPath('userData');
  const state = loadWindowState(dataDir);
  mainWindow = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: 1024,
    minHeight: 680,
    backgroundColor: '#1a1b1e',
    title: 'Casebench',
    show: false,
    webPreferences: windowPreferences(preloadPath, app.isPackaged),
  });
  if (state.maximized) mainWindow.maximize();
  mainWindow.once('ready-to-show', () => mainWindow?.show());

  const contents = mainWindow.webContents;
  // The page never leaves itself (routes change only its hash), embeds nothing and opens no window.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (externalUrlAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });

  mainWindow.on('close', () => {
    if (!mainWindow) return;
    const bounds = mainWindow.getNormalBounds();
    saveWindowState(dataDir, { ...bounds, maximized: mainWindow.isMaximized() });
  });
  mainWindow.on('closed', () => (mainWindow = null));
  void mainWindow.loadURL(appPageUrl);
}

/** The window's permissions and devices (see windowPolicy.ts): the camera for our page, nothing else. */
function restrictSession(): void {
  const { defaultSession } = session;
  defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(
      permissionAllowed(
        permission,
        details.requestingUrl,
        'mediaTypes' in details ? (details.mediaTypes as string[] | undefined) : undefined,
      ),
    ),
  );
  defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionAllowed(permission, requestingOrigin),
  );
  defaultSession.setDevicePermissionHandler(() => false);
  defaultSession.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  defaultSession.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  defaultSession.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
}

app.enableSandbox();
// Before the app is ready: the page's own origin is a secure, standard one (camera, fetch of its assets).
protocol.registerSchemesAsPrivileged([
  { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

app.whenReady().then(() => {
  host = createHost({ dataDir: app.getPath('userData'), shell: 'electron', version: app.getVersion(), rig: 'auto' });
  host.implement(shellHandlers());

  // The page and its assets from out/renderer, confined to that folder, with the content security policy.
  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url);
    if (`${url.protocol}//${url.host}` !== appOrigin) return new Response(null, { status: 404 });
    const answer = await rendererFile(rendererDir, request.method, url.pathname);
    const body = typeof answer.body === 'string' ? answer.body : answer.body && new Uint8Array(answer.body);
    return new Response(request.method === 'HEAD' ? null : (body ?? null), {
      status: answer.status,
      headers: answer.headers,
    });
  });
  restrictSession();

  ipcMain.on('casebench:hello', (event) => {
    if (!isTrustedSender(event.sender, event.senderFrame?.url)) return;
    const { port1, port2 } = new MessageChannelMain();
    host.connect(portPipe(port1), 'electron');
    port1.start();
    event.sender.postMessage('casebench:port', null, [port2]);
  });

  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      { role: 'fileMenu' },
      { role: 'editMenu' },
      {
        label: 'View',
        submenu: [
          { role: 'reload' },
          // DevTools only in development: in a lab's packaged app they would bypass every rule of the page.
          ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
          { type: 'separator' },
          { role: 'resetZoom' },
          { role: 'zoomIn' },
          { role: 'zoomOut' },
          { type: 'separator' },
          { role: 'togglefullscreen' },
        ],
      },
      { role: 'windowMenu' },
    ]),
  );
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Quitting waits for the host to stop (outbox, rig and its simulators, search, database last), then exits.
let hostStopped = false;
app.on('will-quit', (event) => {
  if (!host || hostStopped) return;
  event.preventDefault();
  void host.close().finally(() => {
    hostStopped = true;
    app.quit();
  });
});
