// The built UI's files, answered the same way to a browser by `casebench serve` and to the desktop window by
// its app:// protocol (electron/main): confined to the renderer folder (no escape by `..` or an encoded slash), a
// malformed %-escape is a bad request, client-side routes fall back to the app page, and every answer carries
// the content security policy and the headers that keep the page to itself.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.y4m': 'video/x-yuv4mpeg',
};

// One policy for the browser and the Electron window: scripts and styles from the app only, connections to the
// station that served the page only, no frames, no forms, no plugins.
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

export interface FileAnswer {
  status: number;
  headers: Record<string, string>;
  body?: Buffer | string;
}

/** The decoded path, or undefined for a malformed %-escape (a bad request, not a server error). */
function decodePath(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
}

/**
 * The answer to `method` on `pathname` (still %-encoded, as in the URL; undefined when the URL did not parse) from
 * the renderer folder `rootDir` (absolute).
 */
export async function rendererFile(rootDir: string, method: string, pathname: string | undefined): Promise<FileAnswer> {
  const headers = {
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, headers };
  const decoded = pathname === undefined ? undefined : decodePath(pathname);
  if (decoded === undefined || decoded.includes('\0')) return { status: 400, headers, body: 'bad request' };
  let filePath = normalize(join(rootDir, decoded));
  if (filePath !== rootDir && !filePath.startsWith(rootDir + sep)) return { status: 403, headers };
  let info = await stat(filePath).catch(() => null);
  if (!info || info.isDirectory()) {
    // Client-side routes fall back to the app page; missing assets are a plain 404.
    if (extname(decoded)) return { status: 404, headers, body: 'not found' };
    filePath = join(rootDir, 'index.html');
    info = await stat(filePath).catch(() => null);
    if (!info)
      return {
        status: 503,
        headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' },
        body: 'The user interface is not built yet: run "npm run build".',
      };
  }
  const body = await readFile(filePath);
  return {
    status: 200,
    headers: {
      ...headers,
      'Content-Type': contentTypes[extname(filePath)] ?? 'application/octet-stream',
      'Cache-Control': filePath.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      'Content-Length': String(body.byteLength),
    },
    body,
  };
}
