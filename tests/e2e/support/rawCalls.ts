// Contract calls made from a signed-in page straight over a second WebSocket, bypassing the UI: how a test shows
// that the host itself refuses or withholds something (the UI merely not showing it proves nothing).
import type { Page } from 'playwright-core';

export type RawAnswer = { t: 'result'; output: unknown } | { t: 'error'; error: { code: string; message: string } };

/**
 * How a binary value of an answer comes back: its length and first bytes (enough to check a file's header), and
 * all of it in base64 when asked for (`whole`).
 */
export interface RawBytes {
  len: number;
  head: number[];
  base64?: string;
}

export async function rawCalls(
  page: Page,
  calls: Array<{ method: string; input: unknown }>,
  options: { whole?: boolean } = {},
): Promise<RawAnswer[]> {
  return page.evaluate(
    async ([list, whole]) => {
      const session = JSON.parse(sessionStorage.getItem('casebench.session') ?? 'null') as { token: string } | null;
      const socket = new WebSocket(`ws://${location.host}/rpc`); // the page's access cookie admits it
      socket.binaryType = 'arraybuffer';
      // A binary frame is [u32 LE header length][JSON header][blobs]; blobs are replaced by their length and head.
      const decode = (data: ArrayBuffer): unknown => {
        const headerLength = new DataView(data).getUint32(0, true);
        const header = JSON.parse(new TextDecoder().decode(new Uint8Array(data, 4, headerLength))) as unknown;
        // Blobs follow the header in the order their markers appear.
        let at = 4 + headerLength;
        const place = (v: unknown): unknown => {
          if (Array.isArray(v)) return v.map(place);
          if (v && typeof v === 'object') {
            const r = v as Record<string, unknown>;
            if (typeof r.$bin === 'number' && typeof r.len === 'number') {
              const start = at;
              at += r.len;
              const head = [...new Uint8Array(data, start, Math.min(32, r.len))];
              if (!whole) return { len: r.len, head };
              const bytes = new Uint8Array(data, start, r.len);
              let binary = '';
              for (let i = 0; i < bytes.length; i += 0x8000)
                binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
              return { len: r.len, head, base64: btoa(binary) };
            }
            return Object.fromEntries(Object.entries(r).map(([k, x]) => [k, place(x)]));
          }
          return v;
        };
        return place(header);
      };
      await new Promise((resolve, reject) => {
        socket.onopen = resolve;
        socket.onerror = reject;
      });
      const replies = new Map<number, unknown>();
      const done = new Promise<void>((resolve) => {
        socket.onmessage = (event) => {
          const message = (
            typeof event.data === 'string' ? JSON.parse(event.data) : decode(event.data as ArrayBuffer)
          ) as {
            id?: number;
            t: string;
          };
          if (typeof message.id !== 'number' || (message.t !== 'result' && message.t !== 'error')) return;
          replies.set(message.id, message);
          if (replies.size === list.length + 1) resolve();
        };
      });
      socket.send(JSON.stringify({ t: 'call', id: 0, method: 'auth.resume', input: { token: session?.token } }));
      list.forEach((c, i) => socket.send(JSON.stringify({ t: 'call', id: i + 1, method: c.method, input: c.input })));
      // A reply that never comes fails the test with a reason instead of hanging it.
      await Promise.race([
        done,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`no reply to ${list.length + 1 - replies.size} call(s)`)), 30_000),
        ),
      ]);
      socket.close();
      return list.map((_, i) => replies.get(i + 1));
    },
    [calls, options.whole ?? false] as const,
  ) as Promise<RawAnswer[]>;
}
