// The station's audit key and its checkpoints: what makes the audit trail checkable without trusting the
// database file. The hash chain alone can be recomputed by anyone who edits the database; each entry therefore
// also carries an HMAC of its hash under a key that lives in a file outside the database (and, in a lab that
// follows docs/security.md, outside the data folder). Because each hash covers every earlier entry, the HMAC of
// the last entry vouches for the whole log up to it: that (sequence number, hash, HMAC) triple is a checkpoint.
// Checkpoints are appended to a file beside the database after each commit and travel in network submissions
// and case packages, so cutting entries off the end is caught by the copies held elsewhere.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { z } from 'zod';
import { writeNewFileDurably } from '../../base/durableFile.ts';
import { auditCheckpointSchema, type AuditCheckpoint } from '../../contract/audit.ts';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export { auditCheckpointSchema, type AuditCheckpoint };

const keyFileSchema = z.strictObject({
  format: z.literal('casebench-audit-key/1'),
  keyId: z.string(),
  key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, '32 bytes in base64'),
  createdAt: z.iso.datetime(),
  /**
   * The log as it was when the key was made: entries up to `count` were written without a key (a station from
   * before keyed audit). They stay covered because the first keyed entry's hash includes them, and entry
   * `count` must still have `lastHash`.
   */
  legacy: z.strictObject({ count: z.number().int().nonnegative(), lastHash: hex64 }),
});

export interface AuditKey {
  keyId: string;
  legacy: { count: number; lastHash: string };
  /** The MAC of entry `seq` whose hash is `hash`. */
  mac(seq: number, hash: string): string;
  /** Constant-time check of a MAC made by mac(). */
  vouches(seq: number, hash: string, mac: string): boolean;
  /** A MAC of anything else the station keeps outside the log (a purpose word first, so never an entry's MAC). */
  seal(purpose: string, text: string): string;
  path: string;
}

export class AuditKeyError extends Error {
  override name = 'AuditKeyError';
}

function keyFrom(bytes: Buffer, legacy: AuditKey['legacy'], path: string): AuditKey {
  const keyId = createHash('sha256').update('casebench audit key id').update(bytes).digest('hex').slice(0, 16);
  const mac = (seq: number, hash: string) => createHmac('sha256', bytes).update(`${seq} ${hash}`).digest('hex');
  return {
    keyId,
    legacy,
    path,
    mac,
    seal: (purpose, text) => createHmac('sha256', bytes).update(`${purpose} ${text}`).digest('hex'),
    vouches: (seq, hash, given) => {
      const expected = Buffer.from(mac(seq, hash), 'hex');
      const actual = Buffer.from(given, 'hex');
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
  };
}

/** Reads the key file; undefined when there is none. A file that is there but unusable is an error, never ignored. */
export function readAuditKey(path: string): AuditKey | undefined {
  if (!existsSync(path)) return undefined;
  let parsed;
  try {
    parsed = keyFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new AuditKeyError(`the audit key file ${path} is damaged: ${(error as Error).message}`);
  }
  const key = keyFrom(Buffer.from(parsed.key, 'base64'), parsed.legacy, path);
  if (key.keyId !== parsed.keyId) throw new AuditKeyError(`the audit key file ${path} is damaged: its key id differs`);
  return key;
}

/** A key that lives only in memory: for an in-memory database (tests), which leaves nothing on disk either. */
export function ephemeralAuditKey(legacy: AuditKey['legacy']): AuditKey {
  return keyFrom(randomBytes(32), legacy, '(in memory)');
}

/** Makes a new key file (readable by its owner only); `legacy` is the log as it stands. */
export function createAuditKey(path: string, legacy: AuditKey['legacy'], now = new Date()): AuditKey {
  const bytes = randomBytes(32);
  const key = keyFrom(bytes, legacy, path);
  const file = {
    format: 'casebench-audit-key/1',
    keyId: key.keyId,
    key: bytes.toString('base64'),
    createdAt: now.toISOString(),
    legacy,
  };
  writeNewFileDurably(path, Buffer.from(`${JSON.stringify(file, null, 2)}\n`), 0o600);
  return key;
}

/**
 * Appends one checkpoint line. No fsync: the database commit before it is durable, so after a power cut the file
 * can only lag behind the log (a missing checkpoint), never run ahead of it (which would look like tampering).
 */
export function appendCheckpoint(path: string, checkpoint: AuditCheckpoint): void {
  appendFileSync(path, `${JSON.stringify(checkpoint)}\n`, { mode: 0o644 });
}

/** Every line of a checkpoints file, parsed; lines that do not parse are reported, never skipped silently. */
export function* readCheckpoints(path: string): Generator<{ line: number; checkpoint?: AuditCheckpoint }> {
  if (!existsSync(path)) return;
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    let carry = '';
    let line = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      const lines = (carry + buffer.toString('latin1', 0, read)).split('\n');
      carry = read > 0 ? lines.pop()! : '';
      // A line longer than any checkpoint is not one; it is not kept whole in memory either.
      if (carry.length > 4096) carry = carry.slice(0, 4096);
      for (const raw of lines) {
        if (raw.trim() === '') continue;
        line++;
        yield { line, checkpoint: raw.length > 1000 ? undefined : safeParse(raw) };
      }
      if (read === 0) return;
    }
  } finally {
    closeSync(fd);
  }
}

function safeParse(raw: string): AuditCheckpoint | undefined {
  try {
    const result = auditCheckpointSchema.safeParse(JSON.parse(raw));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
