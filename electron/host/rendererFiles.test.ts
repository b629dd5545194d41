import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentSecurityPolicy, rendererFile } from './rendererFiles.ts';

let dir: string;
let root: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'renderer-files-'));
  root = join(dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  writeFileSync(join(root, 'assets', 'app.js'), 'export {}');
  writeFileSync(join(dir, 'secret.txt'), 'not for the page');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('renderer files', () => {
  it('serves the page and its assets with the content security policy', async () => {
    const page = await rendererFile(root, 'GET', '/index.html');
    expect(page).toMatchObject({ status: 200, headers: { 'Content-Security-Policy': contentSecurityPolicy } });
    expect(String(page.body)).toBe('<!doctype html>');
    expect((await rendererFile(root, 'GET', '/assets/app.js')).headers['Content-Type']).toMatch(/javascript/);
    expect((await rendererFile(root, 'GET', '/cases/3')).body?.toString()).toBe('<!doctype html>'); // a route
  });

  it('keeps to the renderer folder and answers bad requests as such', async () => {
    for (const path of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt'])
      expect((await rendererFile(root, 'GET', path)).status, path).toBe(403);
    expect((await rendererFile(root, 'GET', '/%E0%A4%A')).status).toBe(400);
    expect((await rendererFile(root, 'GET', '/index.html%00.js')).status).toBe(400);
    expect((await rendererFile(root, 'GET', undefined)).status).toBe(400);
    expect((await rendererFile(root, 'POST', '/index.html')).status).toBe(405);
    expect((await rendererFile(root, 'GET', '/missing.js')).status).toBe(404);
  });
});
