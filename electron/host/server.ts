// `casebench serve`: one plain-Node process serving the built UI and the contract over a WebSocket.
// Loopback only unless told otherwise, and then only with TLS; a per-run token guards the socket.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { decodeFrame, encodeFrame, messageJsonLimits, type HostMessage, type MessagePipe } from '../contract/rpc.ts';
import type { Host } from './createHost.ts';
import { crossOriginRefusal, isLoopback } from './origin.ts';
import { createBrowserAccess, type BrowserAccess } from './browserAccess.ts';
import { rendererFile } from './rendererFiles.ts';

export interface ServeOptions {
  host: Host;
  /** Folder with the built renderer (index.html). */
  rendererDir: string;
  port?: number;
  bindAddress?: string;
  tls?: { cert: Buffer; key: Buffer };
  /** Fixed token (tests); a random one per run otherwise. */
  token?: string;
  maxMessageBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const bindAddress = options.bindAddress ?? '127.0.0.1';
  if (!isLoopback(bindAddress) && !options.tls) {
    throw new Error(
      `refusing to serve on ${bindAddress} without TLS: give --tls-cert and --tls-key, or bind to 127.0.0.1`,
    );
  }
  const token = options.token ?? randomBytes(18).toString('base64url');
  const rendererDir = resolve(options.rendererDir);
  const { host } = options;
  const servedAs = {
    scheme: options.tls ? ('https:' as const) : ('http:' as const),
    listensOnLoopbackOnly: isLoopback(bindAddress),
  };
  const access = createBrowserAccess({
    token,
    port: () => (server.address() as AddressInfo).port,
    secure: Boolean(options.tls),
  });

  const handleRequest = (req: IncomingMessage, res: ServerResponse) => {
    // A loopback station answers only to loopback names, for pages as for sockets (DNS rebinding).
    if (crossOriginRefusal({ host: req.headers.host }, servedAs) === 'host') {
      res
        .writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end('this station answers only to its own address');
      return;
    }
    if (answerAccessRequest(access, req, res)) return;
    serveStatic(rendererDir, req, res).catch((error: unknown) => {
      host.registry.log('error', 'static file error', { error: String(error) });
      if (!res.headersSent) res.writeHead(500).end('internal error');
    });
  };
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handleRequest)
    : createHttpServer(handleRequest);

  // No compression: a deflated frame is a decompression bomb waiting to be inflated.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes ?? 64 * 1024 * 1024,
    perMessageDeflate: false,
  });
  wss.on('error', (error) => host.registry.log('warn', 'websocket server error', { error: String(error) }));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node leaves an upgraded socket without an error listener: a reset by the peer would stop the process.
    socket.on('error', () => socket.destroy());
    const remote = req.socket.remoteAddress ?? 'unknown';
    const refuse = (status: string, reason: string) => {
      host.registry.log('warn', 'refused websocket connection', { remote, reason });
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = parseRequestUrl(req.url);
    if (!url || url.pathname !== '/rpc') return refuse('404 Not Found', 'path');
    // Step 1, from the headers alone: is this the station's own page (or a program), not another site?
    const originRefusal = crossOriginRefusal(req.headers, servedAs);
    if (originRefusal) return refuse('403 Forbidden', originRefusal);
    // Step 2: who may use the contract at all: this browser's access cookie, or the run's token (programs).
    const admission = access.admit(req, url.searchParams.get('token'));
    if (admission.state !== 'ok') return refuse('401 Unauthorized', admission.state);
    // A browser always names its origin, so the cookie admits only requests that did (and passed step 1).
    if (admission.browser !== null && req.headers.origin === undefined) return refuse('403 Forbidden', 'origin');
    wss.handleUpgrade(req, socket, head, (ws) =>
      host.connect(webSocketPipe(ws, host, remote), remote, admission.browser ?? undefined),
    );
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindAddress, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  const scheme = options.tls ? 'https' : 'http';
  const shownHost = bindAddress.includes(':') ? `[${bindAddress}]` : bindAddress;
  return {
    url: `${scheme}://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((done) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/**
 * The access paths: `GET /access` tells the page why it may not connect (same-origin only: no CORS header); a page
 * load carrying this run's token gets the access cookie and is sent to the same address without the token, so the
 * token never stays in the address bar, history or a bookmark. Returns false for requests it does not answer.
 */
function answerAccessRequest(access: BrowserAccess, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const url = parseRequestUrl(req.url);
  if (!url) return false;
  const token = url.searchParams.get('token');
  if (url.pathname === '/access') {
    const body = JSON.stringify({ state: access.admit(req, token).state });
    res
      .writeHead(200, {
        'Content-Type': 'application/json',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      })
      .end(body);
    return true;
  }
  if (token === null || !access.tokenMatches(token)) return false;
  url.searchParams.delete('token');
  res
    .writeHead(303, {
      'Set-Cookie': access.issueCookie(),
      Location: url.pathname + url.search,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    })
    .end();
  return true;
}

/** A WebSocket as a message pipe: text frames carry JSON, binary frames carry JSON plus blobs. */
function webSocketPipe(ws: WebSocket, host: Host, remote: string): MessagePipe<unknown, HostMessage> {
  // A malformed frame (invalid UTF-8, a reserved opcode or bit, an unmasked frame, a message over the size
  // limit) makes ws close this connection with the matching close code and emit 'error': logged, and only this
  // connection ends.
  ws.on('error', (error) =>
    host.registry.log('warn', 'closed websocket connection after a protocol error', {
      remote,
      error: error.message,
    }),
  );
  return {
    send(message) {
      if (ws.readyState === ws.OPEN) ws.send(encodeFrame(message));
    },
    onMessage(listener) {
      ws.on('message', (data: RawData, isBinary: boolean) => {
        let message: unknown;
        try {
          const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
          message = decodeFrame(
            isBinary ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes.toString('utf8'),
            messageJsonLimits,
          );
        } catch {
          host.registry.log('warn', 'rejected undecodable websocket message');
          message = null; // the dispatcher rejects it as malformed and keeps the connection
        }
        listener(message);
      });
    },
    onClose(listener) {
      ws.on('close', listener);
    },
    close() {
      ws.close();
    },
  };
}

async function serveStatic(rootDir: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const answer = await rendererFile(rootDir, req.method ?? 'GET', parseRequestUrl(req.url)?.pathname);
  res.writeHead(answer.status, answer.headers).end(req.method === 'HEAD' ? undefined : answer.body);
}

/** The request target as a URL, or undefined when it does not parse (it is the client's text). */
function parseRequestUrl(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://station');
  } catch {
    return undefined;
  }
}
