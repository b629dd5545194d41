import { createHash, randomBytes } from 'node:crypto';
import {
  createReadStream,
  mkdirSync,
  openSync,
  writeSync,
  fsyncSync,
  closeSync,
  renameSync,
  existsSync,
  chmodSync,
  unlinkSync,
  readdirSync,
} from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../contract/errors.ts';
import type { Db } from '../storage/database.ts';
import type { AuditRepo, Actor } from '../storage/repos/auditRepo.ts';
import { IntegrityRepo } from '../storage/repos/integrityRepo.ts';
import type { z } from 'zod';
import type { evidenceVerifyResultSchema } from '../../contract/audit.ts';

export interface StoredFile {
  sha256: string;
  size: number;
  mediaType: string;
  /** False when the same bytes were already stored (content addressing makes a second copy pointless). */
  created: boolean;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Evidence files, content-addressed by SHA-256: written once (temp file, fsync, rename, fsync of the folder),
 * made read-only, never modified. The database refers to them by hash; `verify` re-hashes every file.
 */
export class EvidenceStore {
  readonly root: string;
  private readonly db: Db;
  private readonly audit: AuditRepo;

  constructor(root: string, db: Db, audit: AuditRepo) {
    this.root = root;
    this.db = db;
    this.audit = audit;
    mkdirSync(join(root, 'tmp'), { recursive: true });
    this.removeStaleTemps();
  }

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new AppError('invalid_input', 'not a SHA-256 hash');
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** The stored bytes of a file, or null when this station does not hold it. */
  async read(sha256: string): Promise<Uint8Array | null> {
    if (!SHA256.test(sha256)) return null;
    try {
      return await readFile(this.pathOf(sha256));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  has(sha256: string): boolean {
    return this.db.prepare('SELECT 1 FROM evidence_files WHERE sha256 = ?').get(sha256) !== undefined;
  }

  /**
   * Stores bytes and records them (with an audit entry) in the caller's transaction if there is one.
   * The file lands on disk before the row commits; a crash in between leaves an unreferenced file,
   * which is harmless and is reported by `verify` as unreferenced rather than lost.
   */
  put(
    bytes: Uint8Array,
    meta: { mediaType: string; originalName?: string; caseId?: number | null },
    actor: Actor,
  ): StoredFile {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const finalPath = this.pathOf(sha256);
    if (!existsSync(finalPath)) this.writeOnce(bytes, finalPath);
    const created = this.register(sha256, bytes.byteLength, meta, actor);
    return { sha256, size: bytes.byteLength, mediaType: meta.mediaType, created };
  }

  /** Records a file already on disk (and its audit entry) in the caller's transaction if there is one. */
  register(
    sha256: string,
    size: number,
    meta: { mediaType: string; originalName?: string; caseId?: number | null },
    actor: Actor,
  ): boolean {
    return this.db.transaction(() => {
      if (this.has(sha256)) return false;
      this.db
        .prepare(
          'INSERT INTO evidence_files (sha256, size, media_type, original_name, stored_at, stored_by) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(sha256, size, meta.mediaType, meta.originalName ?? null, new Date().toISOString(), actor.userId);
      this.audit.append(actor, {
        action: 'evidence.store',
        entityType: 'evidence',
        entityId: sha256,
        caseId: meta.caseId ?? null,
        after: { size, mediaType: meta.mediaType, originalName: meta.originalName ?? null },
      });
      return true;
    })();
  }

  /**
   * Writes a file from chunks (any size, bounded memory) to its content address: temp file, fsync, rename, read-only.
   * The bytes must hash to `expectedSha256`, else nothing is kept. Not yet recorded: call `register` after.
   */
  async writeStream(chunks: AsyncIterable<Uint8Array>, expectedSha256: string): Promise<{ size: number }> {
    const finalPath = this.pathOf(expectedSha256);
    const temp = join(this.root, 'tmp', `${randomBytes(8).toString('hex')}.part`);
    const handle = await open(temp, 'wx', 0o600);
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of chunks) {
        hash.update(chunk);
        let done = 0;
        while (done < chunk.byteLength) done += (await handle.write(chunk, done, chunk.byteLength - done)).bytesWritten;
        size += chunk.byteLength;
      }
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC')
        throw new AppError('storage', 'the disk is full; nothing was stored');
      throw error;
    }
    await handle.close();
    if (hash.digest('hex') !== expectedSha256) {
      await rm(temp, { force: true });
      throw new AppError('integrity', `file does not match its SHA-256 ${expectedSha256}; not stored`);
    }
    if (existsSync(finalPath)) {
      await rm(temp, { force: true });
      return { size };
    }
    const dir = join(finalPath, '..');
    mkdirSync(dir, { recursive: true });
    chmodSync(temp, 0o444);
    renameSync(temp, finalPath);
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
    return { size };
  }

  private writeOnce(bytes: Uint8Array, finalPath: string): void {
    const dir = join(finalPath, '..');
    mkdirSync(dir, { recursive: true });
    const temp = join(this.root, 'tmp', `${randomBytes(8).toString('hex')}.part`);
    const fd = openSync(temp, 'wx', 0o600);
    try {
      let offset = 0;
      while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
      fsyncSync(fd);
    } catch (error) {
      closeSync(fd);
      unlinkSync(temp);
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC')
        throw new AppError('storage', 'the disk is full; nothing was stored');
      throw error;
    }
    closeSync(fd);
    chmodSync(temp, 0o444);
    renameSync(temp, finalPath);
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }

  private removeStaleTemps(): void {
    for (const name of readdirSync(join(this.root, 'tmp')))
      if (name.endsWith('.part')) unlinkSync(join(this.root, 'tmp', name));
  }

  verify(onProgress?: (done: number, total: number) => void): Promise<EvidenceVerifyResult> {
    return verifyEvidence(this.db, this.root, onProgress);
  }
}

export type EvidenceVerifyResult = z.infer<typeof evidenceVerifyResultSchema>;

/**
 * Re-hashes every recorded evidence file, and names every reference (an acquisition's file, a calibration report,
 * any foreign key to the evidence records) whose record is gone, saying whether its file is still on disk.
 * Reads only: `casebench evidence verify` runs it on a database opened read-only.
 */
export async function verifyEvidence(
  db: Db,
  root: string,
  onProgress?: (done: number, total: number) => void,
): Promise<EvidenceVerifyResult> {
  const rows = db.prepare('SELECT sha256 FROM evidence_files ORDER BY stored_at').pluck().all() as string[];
  const pathOf = (sha256: string) => join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  const missing: string[] = [];
  const altered: string[] = [];
  let checked = 0;
  for (const sha256 of rows) {
    const path = pathOf(sha256);
    if (!existsSync(path)) missing.push(sha256);
    else if ((await hashFile(path)) !== sha256) altered.push(sha256);
    checked++;
    onProgress?.(checked, rows.length);
  }
  const missingRecords = new IntegrityRepo(db).danglingEvidenceReferences().map((ref) => ({
    ...ref,
    fileOnDisk: SHA256.test(ref.sha256) && existsSync(pathOf(ref.sha256)),
  }));
  return {
    ok: missing.length === 0 && altered.length === 0 && missingRecords.length === 0,
    checked,
    missing,
    altered,
    missingRecords,
  };
}

export function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
