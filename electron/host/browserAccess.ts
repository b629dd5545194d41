// Who may open a WebSocket to `casebench serve` from a browser. The printed URL carries a per-run token; the
// first page load with it gets an access cookie instead (HttpOnly, SameSite=Strict, named after the port, bound
// to this run of the station by a MAC), so every tab, bookmark and Ctrl+click of that browser reaches the station
// without the token in the address bar. The cookie also names the browser, which lets its tabs share one sign-in.
// When access is refused, the page can ask why (`accessState`): a station that was restarted since the cookie was
// issued, a link with a token that is not this run's, or no access at all — each has its own advice.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type AccessState = 'ok' | 'station_restarted' | 'token_wrong' | 'no_access';

export interface Admission {
  state: AccessState;
  /** The browser that holds the access cookie; null when admitted by the token alone (scripts, tests). */
  browser: string | null;
}

export interface BrowserAccess {
  /** Set-Cookie value granting this browser access for the station's run. */
  issueCookie(): string;
  /** Why a request from this browser is (or is not) admitted: by a `token` query parameter or by the cookie. */
  admit(req: IncomingMessage, token: string | null): Admission;
  /** True when `token` is this run's token. */
  tokenMatches(token: string): boolean;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The cookies of a request, by name (the last one wins when a name repeats). */
export function requestCookies(req: IncomingMessage): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) found.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return found;
}

/** `port` is asked when needed: the server learns it only once listening (port 0 picks one). */
export function createBrowserAccess(options: { token: string; port: () => number; secure: boolean }): BrowserAccess {
  const runId = randomBytes(9).toString('base64url');
  const key = randomBytes(32);
  // Cookies ignore ports, so two stations on one host name theirs apart.
  const cookieName = () => `casebench_${options.port()}`;
  const mac = (body: string) => createHmac('sha256', key).update(body).digest('base64url');
  const tokenMatches = (token: string) => sameText(token, options.token);

  return {
    tokenMatches,
    issueCookie() {
      const body = `${runId}.${randomBytes(18).toString('base64url')}`;
      // No Max-Age: the cookie ends with the browser session, as the station's run ends with its process.
      return [
        `${cookieName()}=${body}.${mac(body)}`,
        'Path=/',
        'HttpOnly',
        'SameSite=Strict',
        ...(options.secure ? ['Secure'] : []),
      ].join('; ');
    },
    admit(req, token) {
      const cookie = requestCookies(req).get(cookieName());
      let cookieState: AccessState = 'no_access';
      let browser: string | null = null;
      if (cookie) {
        const [cookieRun = '', id = '', signature = ''] = cookie.split('.');
        if (cookieRun !== runId) cookieState = 'station_restarted';
        else if (id && sameText(signature, mac(`${cookieRun}.${id}`))) {
          cookieState = 'ok';
          browser = id;
        }
      }
      if (cookieState === 'ok') return { state: 'ok', browser };
      if (token !== null) return { state: tokenMatches(token) ? 'ok' : 'token_wrong', browser: null };
      return { state: cookieState, browser: null };
    },
  };
}
