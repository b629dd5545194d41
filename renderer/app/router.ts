// A small hash router: the app is served from a file (Electron) or one path (casebench serve), so the
// location hash is the only part of the address that is ours. Routes are patterns like '/cases/:id'.
import { useCallback, useSyncExternalStore } from 'react';

function currentPath(): string {
  const hash = location.hash.replace(/^#/, '');
  return hash.startsWith('/') ? hash : '/cases';
}

function subscribe(listener: () => void) {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

export function navigate(path: string) {
  location.hash = path;
}

export function href(path: string): string {
  return `#${path}`;
}

const recordId = /^[1-9]\d{0,14}$/;

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null; // '%E0%A4%A' and the like: not an address this app wrote
  }
}

/**
 * Matches '/cases/:id' against '/cases/12' → { id: '12' }; null when it does not match. A parameter is a record id
 * (a positive whole number, as the station numbers its records) unless written ':name(text)', which takes any
 * non-empty segment. So '/cases/abc' matches no route and shows the not-found page instead of loading forever.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('?')[0]!.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (!segment.startsWith(':')) {
      if (segment !== have[i]) return null;
      continue;
    }
    const text = segment.endsWith('(text)');
    const name = segment.slice(1, text ? -'(text)'.length : undefined);
    const value = decodeSegment(have[i]!);
    if (value === null || (!text && !recordId.test(value))) return null;
    params[name] = value;
  }
  return params;
}

/** The address's query ('/search?item=3&k=10' → item=3, k=10): the state a screen keeps in its address to be shared. */
export function pathQuery(path: string): URLSearchParams {
  const at = path.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : path.slice(at + 1));
}

/** Replaces the address (no new history entry) when a screen's shareable state changes. */
export function replacePath(path: string) {
  if (currentPath() === path) return;
  history.replaceState(history.state, '', `#${path}`);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** The address with one query parameter set (or removed, for null), the rest of the address as it was. */
export function withQueryParam(path: string, name: string, value: string | null): string {
  const at = path.indexOf('?');
  const base = at < 0 ? path : path.slice(0, at);
  const query = pathQuery(path);
  if (value === null) query.delete(name);
  else query.set(name, value);
  const text = query.toString();
  return text ? `${base}?${text}` : base;
}

/** The tab an address asks for, or `fallback` when it asks for none or for one the page does not offer. */
export function tabOf(path: string, offered: readonly string[], fallback: string): string {
  const asked = pathQuery(path).get('tab');
  return asked !== null && offered.includes(asked) ? asked : fallback;
}

/**
 * The tab a page shows, kept in its address (?tab=images), so a reload, a second browser tab or a pasted link opens
 * the same tab. A value the page does not offer (a mistyped link, a tab this user may not see, an acquisition with no
 * images) shows `fallback`, the tab the page opens on by default. Choosing another tab is a step in the browser's
 * history, so Back returns to the tab shown before; choosing the tab already shown adds nothing.
 */
export function useAddressTab(offered: readonly string[], fallback: string): [string, (tab: string | null) => void] {
  const path = usePath();
  const tab = tabOf(path, offered, fallback);
  const key = offered.join('|');
  const choose = useCallback(
    (next: string | null) => {
      const now = currentPath();
      if (next === null || next === tabOf(now, key.split('|'), fallback)) return;
      navigate(withQueryParam(now, 'tab', next));
    },
    [key, fallback],
  );
  return [tab, choose];
}
