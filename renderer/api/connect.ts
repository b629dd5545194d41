// Picks the transport to the station host and keeps it connected:
// - in Electron the preload posts a window message {type: 'casebench:port'} carrying a MessagePort;
// - in a browser against `casebench serve`, a WebSocket to /rpc?token=… on the page's own host.
// Either way the rest of the UI sees one typed client and one connection state.
import { z } from 'zod';
import {
  createClient,
  decodeFrame,
  encodeFrame,
  errorSchema,
  type ClientMessage,
  type HostMessage,
  type MessagePipe,
} from '../../electron/contract/index.ts';
import type { Calls, Events, Client } from '../../electron/contract/index.ts';
import { backoffDelay } from './backoff.ts';
import { takeUrlToken } from './tokens.ts';

export type StationClient = Client<Calls, Events>;
export type Transport = 'electron' | 'websocket';

export type ConnectionState =
  | { status: 'connecting'; transport: Transport; attempt: number }
  | { status: 'online'; transport: Transport }
  | { status: 'offline'; transport: Transport; attempt: number; retryAt: number; reason: string }
  /** The station answers but refuses this page; retrying cannot help until the user does what `reason` calls for. */
  | { status: 'refused'; transport: Transport; reason: RefusalReason };

/** Why `casebench serve` refuses this browser (its GET /access answer). */
export type RefusalReason = 'station_restarted' | 'token_wrong' | 'no_access';
const refusalReasons: readonly string[] = ['station_restarted', 'token_wrong', 'no_access'];

/** Asks the station why the socket was refused; null when it cannot be asked (then the link is just down). */
async function askWhyRefused(token: string | null): Promise<RefusalReason | null> {
  try {
    const response = await fetch(token ? `/access?token=${encodeURIComponent(token)}` : '/access', {
      cache: 'no-store',
    });
    if (!response.ok) return null;
    const { state } = (await response.json()) as { state?: unknown };
    return typeof state === 'string' && refusalReasons.includes(state) ? (state as RefusalReason) : null;
  } catch {
    return null;
  }
}

// Host messages are checked before they reach the client: a malformed frame is dropped, never trusted.
const hostMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('result'), id: z.number().int(), output: z.unknown() }),
  z.object({ t: z.literal('error'), id: z.number().int(), error: errorSchema }),
  z.object({ t: z.literal('progress'), id: z.number().int(), fraction: z.number(), detail: z.unknown().optional() }),
  z.object({ t: z.literal('event'), id: z.number().int(), payload: z.unknown() }),
]);

function acceptHostMessage(raw: unknown): HostMessage | null {
  const parsed = hostMessageSchema.safeParse(raw);
  if (!parsed.success) {
    console.warn('casebench: dropped a malformed message from the station', parsed.error.issues);
    return null;
  }
  return parsed.data as HostMessage;
}

type Pipe = MessagePipe<HostMessage, ClientMessage>;

function pipeOverPort(port: MessagePort): Pipe {
  const closeListeners: Array<() => void> = [];
  let closed = false;
  const fireClose = () => {
    if (closed) return;
    closed = true;
    closeListeners.forEach((l) => l());
  };
  // MessagePort 'close' events exist in Chromium/Electron; the host closing its end ends the session.
  port.addEventListener('close', fireClose);
  return {
    send: (message) => port.postMessage(message),
    onMessage: (listener) => {
      port.addEventListener('message', (event: MessageEvent) => {
        const message = acceptHostMessage(event.data);
        if (message) listener(message);
      });
      port.start();
    },
    onClose: (listener) => closeListeners.push(listener),
    close: () => {
      port.close();
      fireClose();
    },
  };
}

function pipeOverSocket(socket: WebSocket): Pipe {
  socket.binaryType = 'arraybuffer';
  return {
    send: (message) => {
      if (socket.readyState === WebSocket.OPEN)
        socket.send(encodeFrame(message) as string | ArrayBufferView<ArrayBuffer>);
    },
    onMessage: (listener) => {
      socket.addEventListener('message', (event: MessageEvent<string | ArrayBuffer>) => {
        let raw: unknown;
        try {
          raw = decodeFrame(typeof event.data === 'string' ? event.data : new Uint8Array(event.data));
        } catch (error) {
          console.warn('casebench: dropped an undecodable frame from the station', error);
          return;
        }
        const message = acceptHostMessage(raw);
        if (message) listener(message);
      });
    },
    onClose: (listener) => socket.addEventListener('close', () => listener()),
    close: () => socket.close(),
  };
}

function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const fail = (event: Event | CloseEvent) => {
      socket.removeEventListener('open', onOpen);
      reject(
        new Error('code' in event && event.code ? `closed with code ${event.code}` : 'could not reach the station'),
      );
    };
    const onOpen = () => {
      socket.removeEventListener('error', fail);
      socket.removeEventListener('close', fail);
      resolve(socket);
    };
    socket.addEventListener('open', onOpen, { once: true });
    socket.addEventListener('error', fail, { once: true });
    socket.addEventListener('close', fail, { once: true });
  });
}

export interface Connection {
  getState(): ConnectionState;
  /** The client of the current link, or null while (re)connecting. */
  getClient(): StationClient | null;
  /** Called on every state change; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Called with each new client, after the first connection and after every reconnection. */
  onConnected(listener: (client: StationClient) => void): () => void;
  /** Retry now instead of waiting for the backoff (or after the user fixed what a refusal called for). */
  retryNow(): void;
}

export function isElectronShell(): boolean {
  return (window as { casebench?: { shell?: string } }).casebench?.shell === 'electron';
}

export function connectToStation(): Connection {
  const transport: Transport = isElectronShell() ? 'electron' : 'websocket';
  const stateListeners = new Set<() => void>();
  const connectedListeners = new Set<(client: StationClient) => void>();
  let state: ConnectionState = { status: 'connecting', transport, attempt: 0 };
  let client: StationClient | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const setState = (next: ConnectionState) => {
    state = next;
    stateListeners.forEach((l) => l());
  };

  const attach = (pipe: Pipe) => {
    const next = createClient<Calls, Events>(pipe);
    pipe.onClose(() => {
      if (client !== next) return;
      client = null;
      scheduleRetry(1, 'the connection to the station closed');
    });
    client = next;
    setState({ status: 'online', transport });
    connectedListeners.forEach((l) => l(next));
  };

  const scheduleRetry = (attempt: number, reason: string) => {
    if (transport === 'electron') {
      // The shell hands over a fresh port when it restarts the host; nothing to dial from here.
      setState({ status: 'offline', transport, attempt, retryAt: Number.POSITIVE_INFINITY, reason });
      return;
    }
    const delay = backoffDelay(attempt);
    setState({ status: 'offline', transport, attempt, retryAt: Date.now() + delay, reason });
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void dial(attempt), delay);
  };

  const dial = async (attempt: number) => {
    const token = takeUrlToken();
    setState({ status: 'connecting', transport, attempt });
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const query = token ? `?token=${encodeURIComponent(token)}` : '';
    try {
      const socket = await openSocket(`${scheme}://${location.host}/rpc${query}`);
      attach(pipeOverSocket(socket));
    } catch (error) {
      // A browser is not told why a socket was refused; the station says it over plain HTTP.
      const refusal = await askWhyRefused(token);
      if (refusal) setState({ status: 'refused', transport, reason: refusal });
      else scheduleRetry(attempt + 1, error instanceof Error ? error.message : String(error));
    }
  };

  if (transport === 'electron') {
    // The shell posts {type: 'casebench:port'} with a port whenever it (re)connects the page to the host. A shell
    // that runs the host in another process posts {type: 'casebench:disconnected'} when that process goes away,
    // because Chromium does not report a closed MessagePort.
    window.addEventListener('message', (event: MessageEvent) => {
      // Only this window's own preload posts these (another frame would be a different source).
      if (event.source !== null && event.source !== window) return;
      const type = (event.data as { type?: unknown } | null)?.type;
      if (type === 'casebench:disconnected') {
        client?.close(); // fails pending calls with `unavailable`; the pipe's close handler shows the link down
        return;
      }
      if (type !== 'casebench:port') return;
      const port = event.ports[0];
      if (!port) return;
      const previous = client;
      client = null; // so the old pipe's close does not report the link down while the new one attaches
      previous?.close();
      attach(pipeOverPort(port));
    });
  } else {
    void dial(0);
  }

  return {
    getState: () => state,
    getClient: () => client,
    subscribe: (listener) => {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    onConnected: (listener) => {
      connectedListeners.add(listener);
      return () => connectedListeners.delete(listener);
    },
    retryNow: () => {
      if ((state.status !== 'offline' && state.status !== 'refused') || transport === 'electron') return;
      clearTimeout(retryTimer);
      void dial(state.status === 'offline' ? state.attempt : 0);
    },
  };
}
