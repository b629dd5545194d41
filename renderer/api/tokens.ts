// Two secrets live in this tab's sessionStorage (gone when the tab closes, never shared with other tabs):
// the connection token `casebench serve` printed in its URL, and the signed-in session's token, so a reload
// can re-attach with `auth.resume` instead of asking for the password again.
import { sessionSchema, type Session } from '../../electron/contract/index.ts';

const connectionTokenKey = 'casebench.connectionToken';
const sessionKey = 'casebench.session';

/** The connection token: from the address bar on first load (then removed from it, so it is not bookmarked or shared), else from this tab's storage. */
export function takeConnectionToken(): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(connectionTokenKey, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(connectionTokenKey);
}

export function loadStoredSession(): Session | null {
  const raw = sessionStorage.getItem(sessionKey);
  if (!raw) return null;
  try {
    return sessionSchema.parse(JSON.parse(raw));
  } catch {
    sessionStorage.removeItem(sessionKey);
    return null;
  }
}

export function storeSession(session: Session | null): void {
  if (session) sessionStorage.setItem(sessionKey, JSON.stringify(session));
  else sessionStorage.removeItem(sessionKey);
}
