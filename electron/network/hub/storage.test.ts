// The folder artifact store: uploads stream in pieces over several calls and count as stored only when the bytes on
// disk hash to the expected SHA-256 (also after a failure or a restart half-way).
import { afterEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFolderArtifacts } from './artifactFolder.ts';
import { openRecordsThread } from './sqliteRecords.ts';

const dirs: string[] = [];
const stores: ReturnType<typeof openFolderArtifacts>[] = [];
function open(dir = mkdtempSync(join(tmpdir(), 'casebench-artifacts-'))) {
  dirs.push(dir);
  const store = openFolderArtifacts(dir);
  stores.push(store);
  return { dir, store };
}
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Odd-sized pieces, as a connection delivers them. */
function* pieces(bytes: Buffer, size = 70_001) {
  for (let at = 0; at < bytes.byteLength; at += size) yield bytes.subarray(at, at + size);
}

describe('folder artifact store', () => {
  it('stores an upload sent in several chunks of odd pieces, byte-identical, under its SHA-256', async () => {
    const { store } = open();
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const cut = 1_500_000;
    expect(await store.appendPartial('u', 0, pieces(bytes.subarray(0, cut)))).toBe(cut);
    expect(store.partialSize('u')).toBe(cut);
    expect(await store.appendPartial('u', cut, pieces(bytes.subarray(cut)))).toBe(bytes.byteLength);
    expect(await store.finalize('u', sha, bytes.byteLength)).toBe(true);
    expect(store.read(sha).equals(bytes)).toBe(true);
    expect(store.partialSize('u')).toBe(0);
  });

  it('refuses bytes that do not hash to the expected SHA-256 and drops the partial upload', async () => {
    const { store } = open();
    const bytes = randomBytes(2 * 1024 * 1024);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const tampered = Buffer.from(bytes);
    tampered[1_234_567] ^= 0xff;
    await store.appendPartial('t', 0, pieces(tampered));
    expect(await store.finalize('t', sha, bytes.byteLength)).toBe(false);
    expect(store.has(sha)).toBe(false);
    expect(store.partialSize('t')).toBe(0);
  });

  it('keeps what arrived before a source failed, and finishes after a restart (hashing the file from disk)', async () => {
    const { dir, store } = open();
    const bytes = randomBytes(2 * 1024 * 1024 + 3);
    const sha = createHash('sha256').update(bytes).digest('hex');
    async function* breaksAfter(count: number) {
      yield bytes.subarray(0, count);
      throw new Error('connection lost');
    }
    await expect(store.appendPartial('r', 0, breaksAfter(1_200_000))).rejects.toThrow(/connection lost/);
    expect(store.partialSize('r')).toBe(1_200_000);
    const restarted = open(dir).store;
    expect(await restarted.appendPartial('r', 1_200_000, pieces(bytes.subarray(1_200_000)))).toBe(bytes.byteLength);
    expect(await restarted.finalize('r', sha, bytes.byteLength)).toBe(true);
    expect(readFileSync(join(dir, sha.slice(0, 2), sha)).equals(bytes)).toBe(true);
  });

  it('resumes in the same process after a source failed half-way (finalize hashes what is on disk)', async () => {
    const { store } = open();
    const bytes = randomBytes(3 * 1024 * 1024);
    const sha = createHash('sha256').update(bytes).digest('hex');
    async function* breaksAfter(count: number) {
      yield* pieces(bytes.subarray(0, count));
      throw new Error('connection lost');
    }
    await expect(store.appendPartial('s', 0, breaksAfter(1_700_003))).rejects.toThrow(/connection lost/);
    expect(store.partialSize('s')).toBe(1_700_003);
    await store.appendPartial('s', 1_700_003, pieces(bytes.subarray(1_700_003)));
    expect(await store.finalize('s', sha, bytes.byteLength)).toBe(true);
    expect(store.read(sha).equals(bytes)).toBe(true);
  });
});

describe('records thread', () => {
  it('a file that is not a database fails the first call with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'casebench-thread-'));
    dirs.push(dir);
    const path = join(dir, 'hub.sqlite');
    writeFileSync(path, 'this is not a database, it is a text file that is long enough to have a header page');
    const records = openRecordsThread(path);
    await expect(records.committedUncorrelated()).rejects.toThrow(/not a database/);
    await records.close();
  });
});
