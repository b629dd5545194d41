// A stand-in for the parts of Electron the built main process uses, so the real bundle (out/main/index.js) runs
// in plain Node: the app becomes ready at once, the window "loads" its page by playing the preload's hello, and
// the page's end of the MessagePort is driven here — it asks the station for its status until the rig has
// settled, prints one JSON report line on stdout, and quits the app (which must stop the host before it exits).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
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

export const session = { defaultSession: { setPermissionRequestHandler() {} } };
export const ipcMain = {
  on(channel: string, handler: Handler) {
    ipcHandlers.set(channel, handler);
  },
};
export const Menu = { setApplicationMenu() {}, buildFromTemplate: (template: unknown) => template };
export const dialog = {};
export const shell = {};

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
    on(): void;
    setWindowOpenHandler(): void;
    postMessage(channel: string, message: unknown, ports: PortMain[]): void;
  };
  constructor(options: { webPreferences: { preload: string } }) {
    windows.push(this);
    report.preloadExists = existsSync(options.webPreferences.preload);
    this.webContents = {
      on() {},
      setWindowOpenHandler() {},
      postMessage: (channel, _message, ports) => {
        if (channel === 'casebench:port') void drive(ports[0]!);
      },
    };
  }
  maximize() {}
  once() {}
  on() {}
  getNormalBounds = () => ({ x: 0, y: 0, width: 1280, height: 800 });
  isMaximized = () => false;
  async loadFile(path: string) {
    report.rendererExists = existsSync(path);
    // What the preload does once the page has loaded: say hello from the main frame of our own page.
    const hello = ipcHandlers.get('casebench:hello') as (event: unknown) => void;
    hello({ sender: this.webContents, senderFrame: { url: pathToFileURL(path).href } });
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
