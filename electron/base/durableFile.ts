// Writing a file that must survive a crash and must never take the place of another: the bytes go to a
// temporary file beside the target, are fsynced, and the temporary file is then hard-linked to the final name,
// which fails if that name exists (a rename would silently replace it). The folder is fsynced so the new name
// survives a power cut. File systems without hard links (FAT on removable media) get a check-then-rename.
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
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

/** Writes a new file at `path` from one buffer or a sequence of chunks; throws FileExistsError if it exists. */
export function writeNewFileDurably(path: string, content: Uint8Array | Iterable<Uint8Array>, mode = 0o644): void {
  if (existsSync(path)) throw new FileExistsError(path);
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
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

export function fsyncFolder(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
