// SHA-256 of files in a worker thread. The hub checks every received artifact against its manifest hash; done on
// its event loop, that hashing took about an eighth of the loop's time in a drain of many small files, time the
// loop could not spend taking bytes off the connections.
import { startThread } from '../../base/threadCall.ts';
import { workerUrl } from '../../base/workerUrl.ts';

export interface FileHasher {
  /** The file's SHA-256 (hex) and size, as read now. */
  hash(path: string): Promise<{ sha256: string; size: number }>;
  close(): Promise<void>;
}

export function startFileHasher(): FileHasher {
  const thread = startThread(workerUrl('hash.worker', import.meta.url), 'the file hasher');
  return {
    hash: (path) => thread.call('hashFile', [path]),
    close: () => thread.close(),
  };
}
