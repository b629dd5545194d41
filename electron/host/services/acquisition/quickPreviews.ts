// Quick previews: the small view of a stored file (at most `quickPreviewMaxSize` pixels a side) that a viewer shows
// first, derived once per file and kept under <data>/derived/previews/, so opening a pair does not wait for its
// full-resolution topographies to be decoded (two 2048² X3P files take the host about half a second to read).
//
// A derived file is a cache, never evidence: the original is not touched and stays the reference. Each one is
// named by the SHA-256 of its original and the derivation version, carries its provenance (source hash, method,
// version, when) and the SHA-256 of its data; one that is missing, unreadable or does not check is derived again
// from the original. The derivation is the same block average the preview call makes, so it is reproducible.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { quickPreviewMaxSize, type AcquisitionPreview } from '../../../contract/acquisitions.ts';
import type { Log } from '../../../base/log.ts';

/** Bump when the derivation changes: previews derived by another version are then derived again. */
export const quickPreviewVersion = 1;
const format = 'casebench-quick-preview';
const method = `block average (missing points left out) to at most ${quickPreviewMaxSize} px a side`;
const SHA256 = /^[0-9a-f]{64}$/;
/** A quick preview is at most 512² float32 (1 MiB) plus its header; anything larger on disk is not one of ours. */
const maxFileBytes = quickPreviewMaxSize * quickPreviewMaxSize * 4 + 64 * 1024;

type StoredHeader = Omit<AcquisitionPreview, 'data' | 'role'> & {
  format: string;
  version: number;
  source: { sha256: string };
  method: string;
  derivedAt: string;
  dataSha256: string;
  /** MAC of the rest of the header (which names the data's hash) under the station audit key: a preview anyone
   * with the data folder rewrote, checksum and all, or one from another station, does not check. */
  mac?: string;
};

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export class QuickPreviews {
  readonly dir: string;
  private readonly log: Log | undefined;
  private readonly seal: (text: string) => string | null;
  private readonly queue: Array<{ sha256: string; derive: () => AcquisitionPreview }> = [];
  private timer: NodeJS.Immediate | null = null;
  private closed = false;

  constructor(dir: string, log: Log | undefined, seal: (text: string) => string | null) {
    this.dir = dir;
    this.log = log;
    this.seal = seal;
  }

  private pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new RangeError(`not a SHA-256: ${sha256}`);
    return join(this.dir, `${sha256}.v${quickPreviewVersion}.preview`);
  }

  /** Whether a quick preview of the file is stored (not whether it checks: reading it tells). */
  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  /** The stored quick preview of a file, or null when there is none that checks. */
  read(sha256: string, role: string): AcquisitionPreview | null {
    let bytes: Buffer;
    try {
      // Size first: a huge file in its place is not read whole.
      if (statSync(this.pathOf(sha256)).size > maxFileBytes) bytes = Buffer.alloc(0);
      else bytes = readFileSync(this.pathOf(sha256));
    } catch {
      return null;
    }
    try {
      if (bytes.byteLength < 4 || bytes.byteLength > maxFileBytes) throw new Error('wrong size');
      const headerBytes = bytes.readUInt32LE(0);
      if (4 + headerBytes > bytes.byteLength) throw new Error('header beyond the end');
      const header = JSON.parse(bytes.subarray(4, 4 + headerBytes).toString('utf8')) as StoredHeader;
      const data = new Uint8Array(bytes.subarray(4 + headerBytes));
      const { mac, ...sealed } = header;
      const expectedMac = this.seal(JSON.stringify(sealed));
      if (
        !expectedMac ||
        typeof mac !== 'string' ||
        mac.length !== expectedMac.length ||
        !timingSafeEqual(Buffer.from(mac), Buffer.from(expectedMac))
      )
        throw new Error('not sealed by this station');
      if (
        header.format !== format ||
        header.version !== quickPreviewVersion ||
        header.source?.sha256 !== sha256 ||
        header.dataSha256 !== sha256Of(data)
      )
        throw new Error('provenance or checksum does not match');
      const expected = header.width * header.height * (header.kind === 'topography' ? 4 : 1);
      if (data.byteLength !== expected) throw new Error('data size does not match its grid');
      const { format: _f, version: _v, source: _s, method: _m, derivedAt: _d, dataSha256: _c, ...preview } = sealed;
      return { ...preview, role, data } as AcquisitionPreview;
    } catch (error) {
      this.log?.('warn', 'a derived quick preview does not check; it is derived again from the original', {
        sha256,
        error: String(error),
      });
      return null;
    }
  }

  /** Stores the quick preview of a file (a failure to write only costs the next viewer the full read). */
  store(sha256: string, preview: AcquisitionPreview): void {
    if (Math.max(preview.width, preview.height) > quickPreviewMaxSize) return;
    const { data, role: _role, ...rest } = preview;
    const header: StoredHeader = {
      format,
      version: quickPreviewVersion,
      source: { sha256 },
      method,
      derivedAt: new Date().toISOString(),
      dataSha256: sha256Of(data),
      ...rest,
    };
    const mac = this.seal(JSON.stringify(header));
    if (!mac) return; // no station key: nothing this station could check later
    const headerBytes = Buffer.from(JSON.stringify({ ...header, mac }), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(headerBytes.byteLength, 0);
    const path = this.pathOf(sha256);
    const temp = join(this.dir, `.${sha256}.${randomBytes(6).toString('hex')}.partial`);
    try {
      mkdirSync(this.dir, { recursive: true });
      // Written whole under a temporary name, then renamed: a reader sees the old file, the new one, or none.
      writeFileSync(temp, Buffer.concat([length, headerBytes, data]));
      renameSync(temp, path);
    } catch (error) {
      rmSync(temp, { force: true });
      this.log?.('warn', 'a quick preview could not be stored', { sha256, error: String(error) });
    }
  }

  /**
   * Derives the quick previews of files soon, one per turn of the event loop so calls keep being answered
   * (used after a capture is stored: its files are in the evidence store, not in memory here).
   */
  deriveLater(files: Array<{ sha256: string; derive: () => AcquisitionPreview }>): void {
    if (this.closed) return;
    this.queue.push(...files);
    this.next();
  }

  private next(): void {
    if (this.timer || this.closed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.timer = setImmediate(() => {
      this.timer = null;
      if (this.closed) return;
      try {
        if (!this.read(job.sha256, '')) this.store(job.sha256, job.derive());
      } catch (error) {
        this.log?.('warn', 'a quick preview could not be derived', { sha256: job.sha256, error: String(error) });
      }
      this.next();
    });
  }

  /** Stops deriving (the host is closing); what is not derived yet will be on first view. */
  close(): void {
    this.closed = true;
    if (this.timer) clearImmediate(this.timer);
    this.timer = null;
    this.queue.length = 0;
  }
}
