// The hub's file hasher thread (fileHasher.ts): SHA-256 and size of a file, read in pieces, off the hub's event loop.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { serveInThread } from '../../base/threadCall.ts';

const piece = Buffer.allocUnsafe(1024 * 1024);

function hashFile(path: string): { sha256: string; size: number } {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  let size = 0;
  try {
    for (
      let read = readSync(fd, piece, 0, piece.byteLength, size);
      read > 0;
      read = readSync(fd, piece, 0, piece.byteLength, size)
    ) {
      hash.update(piece.subarray(0, read));
      size += read;
    }
  } finally {
    closeSync(fd);
  }
  return { sha256: hash.digest('hex'), size };
}

serveInThread({ hashFile });
