// Writing a file that must survive a crash and must never take the place of another: the bytes go to a
// temporary file beside the target, are fsynced, and the temporary file is then hard-linked to the final name,
// which fails if that name exists (a rename would silently replace it). The folder is fsynced so the new name
// survives a power cut. File systems without hard links (FAT on removable media) get a check-then-rename.
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export class FileExistsError extends Error {
  override name = 'FileExistsError';
  readonly path: string;
  constructor(path: string) {
    super(`${path} already exists; it is never replaced`);
    this.path = path;
  }
}

/** Hard links are not supported by this file system (or across this mount). */
const noHardLinks = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EXDEV']);

/** A temporary name beside `path` for its bytes while they are written (hidden, never a chosen name). */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
}

/**
 * Gives a finished, fsynced temporary file its final name without replacing anything: a hard link (which fails if
 * the name exists), then the temporary name goes and the folder is fsynced. Throws FileExistsError (the temporary
 * file is then removed).
 */
export function commitNewFile(temp: string, path: string): void {
  try {
    linkSync(temp, path);
    unlinkSync(temp);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') {
      unlinkSync(temp);
      throw new FileExistsError(path);
    }
    if (!noHardLinks.has(code)) {
      unlinkSync(temp);
      throw error;
    }
    if (existsSync(path)) {
      unlinkSync(temp);
      throw new FileExistsError(path);
    }
    renameSync(temp, path);
  }
  fsyncFolder(dirname(path));
}

/** Writes a new file at `path` from one buffer or a sequence of chunks; throws FileExistsError if it exists. */
export function writeNewFileDurably(path: string, content: Uint8Array | Iterable<Uint8Array>, mode = 0o644): void {
  if (existsSync(path)) throw new FileExistsError(path);
  const temp = temporaryPathFor(path);
  const fd = openSync(temp, 'wx', mode);
  try {
    for (const chunk of content instanceof Uint8Array ? [content] : content) {
      let offset = 0;
      while (offset < chunk.byteLength) offset += writeSync(fd, chunk, offset, chunk.byteLength - offset);
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  commitNewFile(temp, path);
}

/** Writes chunks to a new temporary file beside `path` and fsyncs it; commitNewFile then gives it its name. */
export async function writeTemporaryFile(path: string, chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const temp = temporaryPathFor(path);
  const handle = await open(temp, 'wx', 0o644);
  try {
    for await (const chunk of chunks) {
      let done = 0;
      while (done < chunk.byteLength) done += (await handle.write(chunk, done, chunk.byteLength - done)).bytesWritten;
    }
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  return temp;
}

export function fsyncFolder(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
