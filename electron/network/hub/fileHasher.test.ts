// The hub's file hasher thread: the same SHA-256 as hashing in place, clear errors, and no work after close.
import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFileHasher } from './fileHasher.ts';

const dir = mkdtempSync(join(tmpdir(), 'casebench-hasher-'));
const hasher = startFileHasher();

describe('file hasher', () => {
  it('hashes files of several sizes (empty, under, at and over its 1 MiB read) like hashing the bytes in place', async () => {
    const sizes = [0, 1, 1024 * 1024, 3 * 1024 * 1024 + 7];
    const files = sizes.map((size, i) => {
      const bytes = randomBytes(size);
      const path = join(dir, `f${i}`);
      writeFileSync(path, bytes);
      return { path, size, sha256: createHash('sha256').update(bytes).digest('hex') };
    });
    // Asked all at once: the replies find their own requests.
    const results = await Promise.all(files.map((f) => hasher.hash(f.path)));
    expect(results).toEqual(files.map((f) => ({ sha256: f.sha256, size: f.size })));
  });

  it('fails with the reason for a file that is not there, and keeps working', async () => {
    await expect(hasher.hash(join(dir, 'missing'))).rejects.toThrow(/ENOENT/);
    writeFileSync(join(dir, 'after'), 'x');
    expect((await hasher.hash(join(dir, 'after'))).size).toBe(1);
  });

  it('refuses work once closed', async () => {
    await hasher.close();
    await expect(hasher.hash(join(dir, 'after'))).rejects.toThrow(/closed/);
    rmSync(dir, { recursive: true, force: true });
  });
});
