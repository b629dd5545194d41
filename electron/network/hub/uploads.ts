// Resumable artifact uploads: each chunk streams from the connection to the upload's partial file at the hub's
// offset; the last one is hashed, fsynced and moved into the content-addressed store. Chunks of one upload are
// handled one at a time, and the hub knows when bytes are arriving (correlation in the same process waits for a
// pause, see correlation.ts).
import type { ArtifactRef } from '../protocol.ts';
import type { ArtifactStore, SubmissionRecord } from './storage.ts';
import { DroppedConnection, RequestError, exactly, firstBytes, type ChunkBody } from './http.ts';

export function artifactRef(record: SubmissionRecord, sha: string): ArtifactRef {
  const ref = record.manifest.artifacts.find((a) => a.sha256 === sha);
  if (!ref) throw new RequestError(404, 'not_found', `artifact ${sha} is not in submission ${record.id}`);
  return ref;
}

/** Whether chunks are arriving: in flight now, and when the last one started or ended. */
export class UploadActivity {
  inFlight = 0;
  lastAt = 0;
  begin(): void {
    this.inFlight++;
    this.lastAt = performance.now();
  }
  end(): void {
    this.inFlight--;
    this.lastAt = performance.now();
  }
  /** Resolves once no chunk has been arriving for `quietMs`, or after `maxWaitMs`, or when `signal` aborts. */
  async quiet(quietMs: number, maxWaitMs: number, signal: AbortSignal): Promise<void> {
    const giveUpAt = performance.now() + maxWaitMs;
    while (
      !signal.aborted &&
      performance.now() < giveUpAt &&
      (this.inFlight > 0 || performance.now() - this.lastAt < quietMs)
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Runs `work` after every earlier call with the same key has settled (in this process). */
export type Serialiser = <T>(key: string, work: () => Promise<T>) => Promise<T>;

export function inProcessSerialiser(): Serialiser {
  const queues = new Map<string, Promise<unknown>>();
  return (key, work) => {
    const result = (queues.get(key) ?? Promise.resolve()).then(work);
    const settled = result.then(
      () => {},
      () => {},
    );
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return result;
  };
}

export interface Uploads {
  readonly activity: UploadActivity;
  /** Stores one chunk; `dropMidway` (fault injection) keeps half of it and drops the connection. */
  putChunk(
    record: SubmissionRecord,
    sha: string,
    contentRange: string,
    body: ChunkBody,
    dropMidway: boolean,
  ): Promise<{ offset: number; complete: boolean }>;
  /** Bytes of the artifact the hub holds (its size once stored): where the station resumes. */
  offset(record: SubmissionRecord, ref: ArtifactRef): Promise<number>;
  /** Stores an upload whose bytes all arrived but were never checked (see `settleReceived`). */
  settle(record: SubmissionRecord, ref: ArtifactRef): Promise<void>;
}

/**
 * The chunks of one upload are handled one at a time (`serialise`, by upload id): the disk work is asynchronous,
 * and a retried request can arrive while its first copy is still being written; its offset check must see the
 * first one's outcome.
 */
export function createUploads(artifacts: ArtifactStore, serialise: Serialiser = inProcessSerialiser()): Uploads {
  const activity = new UploadActivity();
  const uploadIdOf = (record: SubmissionRecord, sha: string) => `${record.id}.${sha}`;

  /**
   * An upload whose bytes all arrived but were never checked and stored (the hub stopped, or the station stopped
   * waiting, while it hashed) is checked and stored now, before anyone is told what is missing; without this its
   * full-size partial would say "nothing left to send" while the artifact never counts as stored. A mismatch drops
   * the partial, so the station sends the artifact again from byte 0.
   */
  function settle(record: SubmissionRecord, ref: ArtifactRef): Promise<void> {
    const uploadId = uploadIdOf(record, ref.sha256);
    return serialise(uploadId, async () => {
      if (ref.size > 0 && !artifacts.has(ref.sha256) && artifacts.partialSize(uploadId) === ref.size)
        await artifacts.finalize(uploadId, ref.sha256, ref.size);
    });
  }

  async function storeChunk(
    record: SubmissionRecord,
    sha: string,
    contentRange: string,
    body: ChunkBody,
    dropMidway: boolean,
  ): Promise<{ offset: number; complete: boolean }> {
    const ref = artifactRef(record, sha);
    if (artifacts.has(sha)) return { offset: ref.size, complete: true };
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(contentRange);
    if (!range) throw new RequestError(400, 'invalid_request', 'content-range must be "bytes start-end/total"');
    const [start, end, total] = range.slice(1).map(Number);
    if (total !== ref.size)
      throw new RequestError(400, 'invalid_request', `total ${total} differs from the manifest's size ${ref.size}`);
    if (end < start || end >= total || end - start + 1 !== body.length)
      throw new RequestError(400, 'invalid_request', 'content-range does not match the body');
    const uploadId = uploadIdOf(record, sha);
    const offset = artifacts.partialSize(uploadId);
    if (start !== offset)
      throw new RequestError(409, 'offset_mismatch', `upload continues at byte ${offset}`, { offset });
    if (dropMidway) {
      await artifacts.appendPartial(uploadId, start, firstBytes(body.source, Math.floor(body.length / 2)));
      throw new DroppedConnection();
    }
    const received = await artifacts.appendPartial(uploadId, start, exactly(body.source, body.length));
    if (received < total) return { offset: received, complete: false };
    if (!(await artifacts.finalize(uploadId, sha, total))) {
      throw new RequestError(
        422,
        'artifact_hash_mismatch',
        `artifact ${sha}: the received bytes do not hash to the manifest's SHA-256; upload discarded`,
      );
    }
    return { offset: total, complete: true };
  }

  return {
    activity,
    putChunk(record, sha, contentRange, body, dropMidway) {
      activity.begin();
      return serialise(uploadIdOf(record, sha), () => storeChunk(record, sha, contentRange, body, dropMidway)).finally(
        () => activity.end(),
      );
    },
    async offset(record, ref) {
      await settle(record, ref);
      return artifacts.has(ref.sha256) ? ref.size : artifacts.partialSize(uploadIdOf(record, ref.sha256));
    },
    settle,
  };
}
