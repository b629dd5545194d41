// Access to `casebench serve` is an HttpOnly cookie the station sets when the printed link is first opened (the
// page never sees it). A token still in the address bar is one the station did not accept: it is taken out of the
// address bar (so it is not bookmarked or shared) and kept in memory only to ask the station why it was refused.
// The signed-in session's token lives in this tab's sessionStorage, so a reload in the desktop app (no cookie
// there) re-attaches with `auth.resume` instead of asking for the password again.
import { sessionSchema, type Session } from '../../electron/contract/index.ts';

const sessionKey = 'casebench.session';
let refusedToken: string | null | undefined;

/** The token the address bar carried on first load (one the station refused), or null. */
export function takeUrlToken(): string | null {
  if (refusedToken !== undefined) return refusedToken;
  const url = new URL(location.href);
  refusedToken = url.searchParams.get('token');
  if (refusedToken !== null) {
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  }
  return refusedToken;
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
