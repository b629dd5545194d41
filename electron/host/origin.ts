// Which requests come from this station's own page? Any web page open in the examiner's browser can open a
// WebSocket to a predictable loopback port, so the first step of every upgrade decides this from the headers
// alone, before any token or session is looked at. Every function here returns a refusal reason or null and
// never throws: a header an attacker wrote must not be able to stop the server.

/** Address names that reach only this machine. */
export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\./.test(address);
}

/** The hostname of a Host header ("127.0.0.1:4780", "[::1]:4780", "station.lab"), or null when it does not parse. */
function hostnameOf(hostHeader: string): string | null {
  try {
    const url = new URL(`http://${hostHeader}`);
    // URL keeps the brackets of an IPv6 literal; the bare address is what isLoopback knows.
    return url.hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return null;
  }
}

export type OriginRefusal = 'origin' | 'host';

/**
 * Refuses a WebSocket upgrade that a browser made on behalf of another site:
 * - an Origin that is "null" (sandboxed iframes, file: pages, some redirects) or does not parse is cross-origin;
 * - an Origin whose scheme is not the server's, or whose host:port is not the Host the request was sent to;
 * - when the server listens on loopback only, a Host that is not a loopback name (DNS rebinding: a page whose
 *   own name resolves to 127.0.0.1 would otherwise be "same-origin").
 * No Origin at all is a program rather than a browser page (browsers always send it on WebSocket upgrades);
 * the token or session check that follows still applies to it.
 */
export function crossOriginRefusal(
  headers: { origin?: string; host?: string },
  server: { scheme: 'http:' | 'https:'; listensOnLoopbackOnly: boolean },
): OriginRefusal | null {
  const host = headers.host ?? '';
  if (server.listensOnLoopbackOnly) {
    const hostname = hostnameOf(host);
    if (hostname === null || !isLoopback(hostname)) return 'host';
  }
  if (headers.origin === undefined) return null;
  let origin: URL;
  try {
    origin = new URL(headers.origin);
  } catch {
    return 'origin';
  }
  if (origin.protocol !== server.scheme) return 'origin';
  // Host is compared as the browser would: parsed with the origin's scheme, so default ports and case agree.
  let target: string;
  try {
    target = new URL(`${origin.protocol}//${host}`).host;
  } catch {
    return 'origin';
  }
  return origin.host !== '' && origin.host === target ? null : 'origin';
}
