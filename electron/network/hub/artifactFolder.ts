// The hub's artifacts as a content-addressed folder (a shared volume when several hub processes and workers run on
// several machines): files named by their SHA-256, written once (temp file, fsync, rename, folder fsync).
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { startFileHasher } from './fileHasher.ts';
import type { ArtifactStore } from './storage.ts';

/** Artifacts as files named by their SHA-256 (written once: temp file, fsync, rename); uploads in progress under partial/. */
export function openFolderArtifacts(dir: string): ArtifactStore {
  const partialDir = join(dir, 'partial');
  mkdirSync(partialDir, { recursive: true });
  const finalPath = (sha: string) => join(dir, sha.slice(0, 2), sha);
  const partialPath = (uploadId: string) => join(partialDir, uploadId);
  // Each complete upload is hashed from its file, in a thread of its own (see fileHasher.ts).
  const hasher = startFileHasher();
  // Artifacts renamed into place whose folder is not yet fsynced: not stored yet (a power cut could still lose the
  // name), so no create answer or commit may count them. One whose folder fsync failed stays here until it is
  // uploaded and stored again.
  const unsynced = new Set<string>();
  return {
    has: (sha) => !unsynced.has(sha) && existsSync(finalPath(sha)),
    partialSize: (uploadId) => (existsSync(partialPath(uploadId)) ? statSync(partialPath(uploadId)).size : 0),
    appendPartial: async (uploadId, offset, source) => {
      // No fsync per chunk: the upload is resumable anyway (a crash loses at most its tail, and the station asks
      // the hub's offset again), and finalize fsyncs the whole file once before it counts as stored.
      const file = await open(partialPath(uploadId), existsSync(partialPath(uploadId)) ? 'r+' : 'w');
      let position = offset;
      try {
        // Pieces are gathered to about 1 MiB per write; one write is in flight while the next batch arrives.
        let batch: Uint8Array[] = [];
        let batchBytes = 0;
        let writing: Promise<unknown> = Promise.resolve();
        const flush = async () => {
          await writing;
          const buffers = batch;
          const at = position;
          writing = file.writev(buffers, at);
          writing.catch(() => {});
          position += batchBytes;
          batch = [];
          batchBytes = 0;
        };
        try {
          for await (const piece of source) {
            batch.push(piece);
            batchBytes += piece.byteLength;
            if (batchBytes >= 1024 * 1024) await flush();
          }
        } finally {
          // What arrived before a failure is written too: the upload resumes after it.
          if (batchBytes > 0) await flush();
          await writing;
        }
      } finally {
        await file.close();
      }
      return position;
    },
    finalize: async (uploadId, sha, size) => {
      const path = partialPath(uploadId);
      const onDisk = await hasher.hash(path);
      if (onDisk.sha256 !== sha || onDisk.size !== size) {
        rmSync(path, { force: true });
        return false;
      }
      // The one fsync of the artifact, in the thread pool: the event loop goes on serving other uploads meanwhile.
      const file = await open(path, 'r+');
      try {
        await file.sync();
      } finally {
        await file.close();
      }
      const folder = join(dir, sha.slice(0, 2));
      await mkdir(folder, { recursive: true });
      unsynced.add(sha);
      await rename(path, finalPath(sha));
      // The rename is durable only once its folder is: without this a power cut after the receipt could lose the
      // file while the hub's record says it is stored.
      const handle = await open(folder, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      unsynced.delete(sha);
      return true;
    },
    read: (sha) => readFileSync(finalPath(sha)),
    localPath: (sha) => (existsSync(finalPath(sha)) ? finalPath(sha) : undefined),
    close: () => hasher.close(),
  };
}
