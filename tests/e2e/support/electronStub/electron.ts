// A stand-in for the parts of Electron the built main process uses, so the real bundle (out/main/index.js) runs
// in plain Node: the app becomes ready at once, the window "loads" its page through the app's protocol handler
// and plays the preload's hello, and the page's end of the MessagePort is driven here — it asks the station for
// its status until the rig has settled, prints one JSON report line on stdout, and quits the app (which must stop
// the host before it exits). On the way it puts what main registered (window preferences, protocol, permission
// and device handlers, window-open handler, menu) to the test, as Electron would call them, into the report.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { createClient, type ClientMessage, type HostMessage } from '../../../../electron/contract/rpc.ts';
import type { Calls, Events } from '../../../../electron/contract/index.ts';

type Handler = (...args: never[]) => unknown;
const appHandlers = new Map<string, Handler[]>();
const ipcHandlers = new Map<string, Handler>();
const report: Record<string, unknown> = {};

function on(handlers: Map<string, Handler[]>, event: string, handler: Handler) {
  handlers.set(event, [...(handlers.get(event) ?? []), handler]);
}

export const app = {
  isPackaged: process.env.CASEBENCH_STUB_PACKAGED === '1',
  enableSandbox() {},
  whenReady: () => Promise.resolve(),
  getPath: (_name: string) => process.env.CASEBENCH_STUB_USER_DATA!,
  getVersion: () => '0.0.0-built-app-test',
  on(event: string, handler: Handler) {
    on(appHandlers, event, handler);
  },
  quit() {
    let prevented = false;
    const event = { preventDefault: () => (prevented = true) };
    for (const handler of appHandlers.get('will-quit') ?? []) (handler as (e: typeof event) => void)(event);
    if (!prevented) process.exit(0);
  },
};

type ProtocolHandler = (request: Request) => Promise<Response>;
const protocolHandlers = new Map<string, ProtocolHandler>();
export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown) {
    report.privilegedSchemes = schemes;
  },
  handle(scheme: string, handler: ProtocolHandler) {
    protocolHandlers.set(scheme, handler);
  },
};

type PermissionRequest = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl?: string; mediaTypes?: string[] },
) => void;
type PermissionCheck = (contents: unknown, permission: string, origin: string) => boolean;
const sessionHandlers: {
  request?: PermissionRequest;
  check?: PermissionCheck;
  device?: (details: unknown) => boolean;
  events: Map<string, Handler>;
} = { events: new Map() };
export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler: PermissionRequest) {
      sessionHandlers.request = handler;
    },
    setPermissionCheckHandler(handler: PermissionCheck) {
      sessionHandlers.check = handler;
    },
    setDevicePermissionHandler(handler: (details: unknown) => boolean) {
      sessionHandlers.device = handler;
    },
    on(event: string, handler: Handler) {
      sessionHandlers.events.set(event, handler);
    },
  },
};
export const ipcMain = {
  on(channel: string, handler: Handler) {
    ipcHandlers.set(channel, handler);
  },
};
export const Menu = {
  setApplicationMenu(template: unknown) {
    report.menuHasDevTools = JSON.stringify(template).includes('toggleDevTools');
  },
  buildFromTemplate: (template: unknown) => template,
};
export const dialog = {};
const openedExternally: string[] = [];
export const shell = {
  openExternal(url: string) {
    openedExternally.push(url);
    return Promise.resolve();
  },
};

/** Electron's MessagePortMain over a Node MessagePort: 'message' events carry `{ data }`. */
class PortMain {
  readonly port: MessagePort;
  constructor(port: MessagePort) {
    this.port = port;
  }
  on(event: 'message' | 'close', listener: (event?: { data: unknown }) => void) {
    if (event === 'message') this.port.on('message', (data) => listener({ data }));
    else this.port.on('close', () => listener());
  }
  start() {}
  postMessage(message: unknown) {
    this.port.postMessage(message);
  }
  close() {
    this.port.close();
  }
}

export class MessageChannelMain {
  readonly port1: PortMain;
  readonly port2: PortMain;
  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port1 = new PortMain(port1);
    this.port2 = new PortMain(port2);
  }
}

const windows: BrowserWindow[] = [];

export class BrowserWindow {
  static getAllWindows = () => windows;
  readonly webContents: {
    on(event: string, handler: Handler): void;
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void;
    postMessage(channel: string, message: unknown, ports: PortMain[]): void;
  };
  private readonly contentsEvents = new Map<string, Handler>();
  private openHandler?: (details: { url: string }) => { action: string };
  private portsHanded = 0;
  constructor(options: { webPreferences: { preload: string } & Record<string, unknown> }) {
    windows.push(this);
    report.preloadExists = existsSync(options.webPreferences.preload);
    report.webPreferences = options.webPreferences;
    this.webContents = {
      on: (event, handler) => void this.contentsEvents.set(event, handler),
      setWindowOpenHandler: (handler) => void (this.openHandler = handler),
      postMessage: (channel, _message, ports) => {
        if (channel !== 'casebench:port') return;
        this.portsHanded++;
        void drive(ports[0]!);
      },
    };
  }
  maximize() {}
  once() {}
  on() {}
  getNormalBounds = () => ({ x: 0, y: 0, width: 1280, height: 800 });
  isMaximized = () => false;
  async loadURL(url: string) {
    report.pageUrl = url;
    const scheme = new URL(url).protocol.slice(0, -1);
    const handler = protocolHandlers.get(scheme);
    if (!handler) throw new Error(`no protocol handler for ${scheme}:`);
    const page = await handler(new Request(url));
    report.page = {
      status: page.status,
      csp: page.headers.get('content-security-policy'),
      html: (await page.text()).includes('<div id="root">'),
    };
    const origin = new URL(url).origin === 'null' ? `${scheme}://${new URL(url).host}` : new URL(url).origin;
    const statusOf = async (target: string) => (await handler(new Request(target))).status;
    report.outsideRenderer = await statusOf(`${origin}/..%2f..%2f..%2fpackage.json`);
    report.otherHost = await statusOf(`${scheme}://elsewhere/index.html`);
    report.navigationGuards = [...this.contentsEvents.keys()].sort();
    const decisions: Record<string, boolean> = {};
    const ask = (name: string, permission: string, requestingUrl: string, mediaTypes?: string[]) =>
      sessionHandlers.request!(null, permission, (granted) => (decisions[name] = granted), {
        requestingUrl,
        mediaTypes,
      });
    ask('camera', 'media', url, ['video']);
    ask('microphone', 'media', url, ['audio']);
    ask('geolocation', 'geolocation', url);
    ask('notifications', 'notifications', url);
    ask('camera for another origin', 'media', 'https://evil.example/', ['video']);
    decisions['check camera'] = sessionHandlers.check!(null, 'media', origin);
    decisions['check clipboard'] = sessionHandlers.check!(null, 'clipboard-read', origin);
    decisions['device usb'] = sessionHandlers.device!({ deviceType: 'usb', origin });
    decisions['device serial'] = sessionHandlers.device!({ deviceType: 'serial', origin });
    const picked: Record<string, unknown> = {};
    for (const event of ['select-usb-device', 'select-hid-device', 'select-serial-port']) {
      const handler = sessionHandlers.events.get(event) as ((...args: unknown[]) => void) | undefined;
      let prevented = false;
      const callback = (...args: unknown[]) => (picked[event] = { prevented, chose: args[0] ?? null });
      const preventable = { preventDefault: () => (prevented = true) };
      if (event === 'select-serial-port') handler?.(preventable, [{ portId: 'p1' }], null, callback);
      else handler?.(preventable, { deviceList: [{ deviceId: 'd1' }] }, callback);
    }
    report.permissions = decisions;
    report.devicePickers = picked;
    report.windowOpen = ['https://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)'].map((target) => ({
      target,
      action: this.openHandler?.({ url: target }).action,
    }));
    report.openedExternally = openedExternally;
    // A hello from anything but our page (a file, another origin) gets no port; then the page's own hello.
    const hello = ipcHandlers.get('casebench:hello') as (event: unknown) => void;
    for (const foreign of ['file:///tmp/evil.html', 'https://evil.example/index.html'])
      hello({ sender: this.webContents, senderFrame: { url: foreign } });
    report.portsForForeignFrames = this.portsHanded;
    hello({ sender: this.webContents, senderFrame: { url: `${url}#/cases` } });
  }
}

/** The page's side: the contract over the handed port, as the renderer's connect.ts uses it. */
async function drive(port: PortMain) {
  const client = createClient<Calls, Events>({
    send: (message: ClientMessage) => port.postMessage(message),
    onMessage: (listener: (message: HostMessage) => void) =>
      port.on('message', (event) => listener(event!.data as HostMessage)),
    onClose: (listener: () => void) => port.on('close', listener),
    close: () => port.close(),
  });
  const deadline = Date.now() + Number(process.env.CASEBENCH_STUB_TIMEOUT_MS ?? 60_000);
  let status = await client.call('system.status', {});
  while (status.rig.state === 'unknown' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    status = await client.call('system.status', {});
  }
  report.status = status;
  report.children = childPids();
  process.stdout.write(`${JSON.stringify({ report })}\n`);
  app.quit();
}

/** This process's children (the demo rig's simulators and their ptys), which must be gone once the app has quit. */
function childPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}
