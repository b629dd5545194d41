import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import WebSocket from 'ws';
import { createHost, type Host } from '../../../electron/host/createHost.ts';
import { startServer, type RunningServer } from '../../../electron/host/server.ts';
import {
  createClient,
  decodeFrame,
  encodeFrame,
  type ClientMessage,
  type HostMessage,
  type MessagePipe,
} from '../../../electron/contract/rpc.ts';
import type { Calls, Events } from '../../../electron/contract/index.ts';
import { adminAccount } from '../../fixtures/testHost.ts';
import { encodeRawFrame, rawUpgrade } from '../../fixtures/rawWebSocket.ts';

let host: Host;
let server: RunningServer;
let dataDir: string;
const logs: { level: string; message: string }[] = [];

async function start(options: { maxMessageBytes?: number } = {}) {
  dataDir = mkdtempSync(join(tmpdir(), 'casebench-serve-'));
  const rendererDir = join(dataDir, 'ui');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Casebench</title>');
  host = createHost({ dataDir, log: (level, message) => void logs.push({ level, message }) });
  server = await startServer({ host, rendererDir, port: 0, ...options });
}

afterEach(async () => {
  await server?.close();
  await host?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function wsUrl(token = server.token) {
  return `ws://127.0.0.1:${server.port}/rpc?token=${token}`;
}

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function pipeOf(ws: WebSocket): MessagePipe<HostMessage, ClientMessage> {
  return {
    send: (m) => ws.send(encodeFrame(m)),
    onMessage: (l) =>
      ws.on('message', (data, isBinary) =>
        l(decodeFrame(isBinary ? new Uint8Array(data as Buffer) : String(data)) as HostMessage),
      ),
    onClose: (l) => ws.on('close', l),
    close: () => ws.close(),
  };
}

function nextMessage(ws: WebSocket): Promise<HostMessage> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)) as HostMessage)));
}

describe('casebench serve', () => {
  it('serves the UI with a strict CSP and refuses path traversal', async () => {
    await start();
    const page = await fetch(`http://127.0.0.1:${server.port}/cases/12`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('Casebench');
    const traversal = await fetch(`http://127.0.0.1:${server.port}/..%2f..%2fetc%2fpasswd`);
    expect([403, 404]).toContain(traversal.status);
    expect((await fetch(`http://127.0.0.1:${server.port}/missing.js`)).status).toBe(404);
  });

  it('refuses sockets without the token or from another origin', async () => {
    await start();
    await expect(open(wsUrl('wrong-token'))).rejects.toThrow(/401/);
    await expect(open(wsUrl(), { Origin: 'http://evil.example' })).rejects.toThrow(/403/);
    expect(logs.some((l) => l.message === 'refused websocket connection')).toBe(true);
  });

  it('trades the printed token for an HttpOnly, SameSite=Strict cookie and takes the token out of the address', async () => {
    await start();
    const base = `http://127.0.0.1:${server.port}`;
    const first = await fetch(`${base}/?token=${server.token}&lang=fr`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/?lang=fr');
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(new RegExp(`^casebench_${server.port}=[A-Za-z0-9_.-]+;`));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    const cookie = setCookie.split(';')[0]!;

    // The cookie admits a page of the station's own origin, and nothing else.
    const origin = base;
    const ws = await open(`ws://127.0.0.1:${server.port}/rpc`, { Cookie: cookie, Origin: origin });
    ws.close();
    await expect(open(`ws://127.0.0.1:${server.port}/rpc`, { Cookie: cookie })).rejects.toThrow(/403/);
    await expect(
      open(`ws://127.0.0.1:${server.port}/rpc`, { Cookie: cookie, Origin: 'http://127.0.0.1:1' }),
    ).rejects.toThrow(/403/);
    await expect(open(`ws://127.0.0.1:${server.port}/rpc`, { Cookie: `${cookie}x`, Origin: origin })).rejects.toThrow(
      /401/,
    );
    // A hostile name re-pointed at 127.0.0.1 (DNS rebinding) is refused even with the right origin for it.
    await expect(
      open(`ws://127.0.0.1:${server.port}/rpc`, {
        Cookie: cookie,
        Host: `evil.example:${server.port}`,
        Origin: `http://evil.example:${server.port}`,
      }),
    ).rejects.toThrow(/403/);
    // fetch() may not set Host; a plain request can.
    const status = await new Promise<number>((resolve, reject) =>
      request({ port: server.port, host: '127.0.0.1', path: '/', headers: { Host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end(),
    );
    expect(status).toBe(421);
  });

  it('says why access is refused: no access, a wrong token, a station restarted since the cookie', async () => {
    await start();
    const access = async (query = '', cookie?: string) =>
      (
        (await (
          await fetch(`http://127.0.0.1:${server.port}/access${query}`, { headers: cookie ? { Cookie: cookie } : {} })
        ).json()) as { state: string }
      ).state;
    expect(await access()).toBe('no_access');
    expect(await access('?token=not-the-token')).toBe('token_wrong');
    expect(await access(`?token=${server.token}`)).toBe('ok');
    const first = await fetch(`http://127.0.0.1:${server.port}/?token=${server.token}`, { redirect: 'manual' });
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(await access('', cookie)).toBe('ok');
    const [name, value] = cookie.split('=') as [string, string];
    expect(await access('', `${name}=someOtherRun.${value.split('.').slice(1).join('.')}`)).toBe('station_restarted');
    expect(await access('', `${name}=${value.slice(0, -2)}xx`)).toBe('no_access');
  });

  it('refuses a null, unparsable or foreign Origin and a rebinding Host, even with the token, and keeps serving', async () => {
    await start();
    const path = `/rpc?token=${server.token}`;
    const hostHeader = `127.0.0.1:${server.port}`;
    const refused: Record<string, string | null>[] = [
      { Origin: 'null' }, // a sandboxed iframe
      { Origin: 'http://[' }, // does not parse
      { Origin: '::::' },
      { Origin: 'file://' },
      { Origin: `chrome-extension://${hostHeader}` },
      { Origin: `http://${hostHeader}.evil.example` },
      { Origin: `https://${hostHeader}` }, // another scheme is another origin
      { Host: `rebound.evil.example:${server.port}`, Origin: `http://rebound.evil.example:${server.port}` },
      { Host: '[', Origin: 'http://[' },
      { Host: null },
    ];
    for (const headers of refused) {
      const reply = await rawUpgrade(server.port, path, headers);
      expect(reply.status, JSON.stringify(headers)).toBe(403);
      await reply.closed;
    }
    // A malformed request target and a malformed %-escape are bad requests, not crashes or server errors.
    expect((await rawUpgrade(server.port, '//x:abc/rpc')).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${server.port}/%E0%A4%A`)).status).toBe(400);
    // The station's own page and programs without an Origin still connect.
    const own = await rawUpgrade(server.port, path, { Origin: `http://${hostHeader}` });
    expect(own.status).toBe(101);
    own.socket.destroy();
    const client = createClient<Calls, Events>(
      pipeOf(await open(wsUrl(), { Origin: `http://localhost:${server.port}`, Host: `localhost:${server.port}` })),
    );
    expect((await client.call('auth.status', {})).firstRun).toBe(true);
    client.close();
  });

  it('closes only the connection that sends a malformed frame, and keeps serving the others', async () => {
    await start({ maxMessageBytes: 4096 });
    const bystander = createClient<Calls, Events>(pipeOf(await open(wsUrl())));
    const path = `/rpc?token=${server.token}`;
    const malformed = {
      'invalid UTF-8 in a text frame': encodeRawFrame({ opcode: 1, payload: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }),
      'a reserved opcode': encodeRawFrame({ opcode: 3, payload: new Uint8Array([1]) }),
      'RSV1 without an extension': encodeRawFrame({ opcode: 1, rsv: 4, payload: Buffer.from('{}') }),
      'an unmasked client frame': encodeRawFrame({ opcode: 1, masked: false, payload: Buffer.from('{}') }),
      'a message over the size limit': encodeRawFrame({ opcode: 2, payload: new Uint8Array(5000) }),
      'a declared length of 2^53': encodeRawFrame({ opcode: 2, declaredLength: 2 ** 53 - 1 }),
      'a fragmented control frame': encodeRawFrame({ opcode: 9, fin: false }),
      'a continuation without a start': encodeRawFrame({ opcode: 0, payload: Buffer.from('x') }),
    };
    for (const [name, frame] of Object.entries(malformed)) {
      const connection = await rawUpgrade(server.port, path);
      expect(connection.status, name).toBe(101);
      connection.socket.write(frame);
      await connection.closed;
      // ws answers with a close frame (opcode 8) naming the protocol error before it ends the connection.
      expect(connection.received()[0] & 0x0f, name).toBe(8);
      expect((await bystander.call('auth.status', {})).firstRun, name).toBe(true);
    }
    expect(logs.filter((l) => l.message === 'closed websocket connection after a protocol error').length).toBe(
      Object.keys(malformed).length,
    );
    bystander.close();
  });

  it('rejects malformed messages, logs them, and keeps serving this and other clients', async () => {
    await start();
    const ws = await open(wsUrl());
    ws.send('this is not json');
    ws.send(JSON.stringify({ t: 'call', id: 7, method: 42 }));
    const reply = await nextMessage(ws);
    expect(reply).toMatchObject({ t: 'error', id: 7, error: { code: 'invalid_input' } });
    ws.send(new Uint8Array([255, 255, 255, 255, 1]));
    expect(logs.filter((l) => l.message.startsWith('rejected')).length).toBeGreaterThanOrEqual(2);

    const client = createClient<Calls, Events>(pipeOf(ws));
    expect((await client.call('auth.status', {})).firstRun).toBe(true);
    await expect(client.call('cases.list', {})).rejects.toMatchObject({ code: 'unauthenticated' });

    const other = createClient<Calls, Events>(pipeOf(await open(wsUrl())));
    await other.call('auth.setupAdmin', adminAccount);
    expect((await other.call('cases.list', {})).total).toBe(0);
    ws.close();
  });
});
