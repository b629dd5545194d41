// The hub's file hasher thread (fileHasher.ts): SHA-256 and size of a file, read in pieces, off the hub's event loop.
import { parentPort } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

export interface HashRequest {
  id: number;
  path: string;
}

export type HashReply = { id: number; ok: true; sha256: string; size: number } | { id: number; ok: false; message: string };

const piece = Buffer.allocUnsafe(1024 * 1024);

function hashFile(path: string): { sha256: string; size: number } {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  let size = 0;
  try {
    for (let read = readSync(fd, piece, 0, piece.byteLength, size); read > 0; read = readSync(fd, piece, 0, piece.byteLength, size)) {
      hash.update(piece.subarray(0, read));
      size += read;
    }
  } finally {
    closeSync(fd);
  }
  return { sha256: hash.digest('hex'), size };
}

parentPort!.on('message', ({ id, path }: HashRequest) => {
  let reply: HashReply;
  try {
    reply = { id, ok: true, ...hashFile(path) };
  } catch (error) {
    reply = { id, ok: false, message: (error as Error).message };
  }
  parentPort!.postMessage(reply);
});
