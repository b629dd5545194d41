// The station's transfer folders (see contract/files.ts): the only places the contract can name a file.
// Names are checked here again (the contract's schema already did) so no caller of this class, contract or
// not, can step out of the folder; the folders are made on first use, so opening a station creates nothing.
import { closeSync, copyFileSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, type Stats } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { AppError, notFound } from '../../contract/errors.ts';
import { chosenFileNameProblem, type filesCalls, type TransferArea, type TransferFile } from '../../contract/files.ts';
import type { CallHandlers } from '../rpc/handlers.ts';
import type { Session } from '../../contract/auth.ts';
import { FileExistsError, writeNewFileDurably } from '../../base/durableFile.ts';

/** Throws when `user` may not take the exports-folder file `name` off the station (e.g. a package they may not read). */
export type ReleaseCheck = (name: string, user: Session['user']) => void;

export class TransferFolders {
  readonly exportsDir: string;
  readonly importsDir: string;
  private readonly releaseChecks: ReleaseCheck[] = [];

  constructor(dataDir: string) {
    this.exportsDir = join(dataDir, 'exports');
    this.importsDir = join(dataDir, 'imports');
  }

  folder(area: TransferArea): string {
    return area === 'exports' ? this.exportsDir : this.importsDir;
  }

  /**
   * Runs `write` with the path of a new file `name` in the exports folder. The writer must not replace a file
   * (writeNewFileDurably); an existing name is refused before and, should one appear meanwhile, after.
   */
  writeExport<T>(name: string, write: (path: string) => T): T {
    checkName(name);
    mkdirSync(this.exportsDir, { recursive: true });
    const path = join(this.exportsDir, name);
    if (statOrNull(path)) throw exists(name);
    const named = (error: unknown) => (error instanceof FileExistsError ? exists(name) : error);
    let result: T;
    try {
      result = write(path);
    } catch (error) {
      throw named(error);
    }
    // An asynchronous writer (a streamed bundle) gets the same answer when its file turns out to exist.
    return result instanceof Promise
      ? (result.catch((error: unknown) => {
          throw named(error);
        }) as T)
      : result;
  }

  /** The path of the plain file `name` in the imports folder (links and folders are refused). */
  importPath(name: string): string {
    checkName(name);
    const path = join(this.importsDir, name);
    const info = statOrNull(path);
    if (!info) throw notFound('folder_file', `there is no file named "${name}" in the imports folder`, { name });
    if (!info.isFile()) throw new AppError('invalid_input', `"${name}" in the imports folder is not a plain file`);
    return path;
  }

  /** A file (or the folder) to show in the system's file manager. */
  pathToReveal(area: TransferArea, name?: string): string {
    const folder = this.folder(area);
    mkdirSync(folder, { recursive: true });
    if (name === undefined) return folder;
    checkName(name);
    const path = join(folder, name);
    if (!statOrNull(path))
      throw notFound('folder_file', `there is no file named "${name}" in the ${area} folder`, { name });
    return path;
  }

  list(area: TransferArea): { folder: string; files: TransferFile[] } {
    const folder = this.folder(area);
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      names = [];
    }
    const files = names.flatMap((name) => {
      if (chosenFileNameProblem(name)) return []; // temporary files (".x.partial") and names the contract cannot use
      const info = statOrNull(join(folder, name));
      return info?.isFile() ? [{ name, size: info.size, modifiedAt: info.mtime.toISOString(), at: info.mtimeMs }] : [];
    });
    files.sort((a, b) => b.at - a.at || a.name.localeCompare(b.name));
    return { folder, files: files.map(({ at: _at, ...file }) => file) };
  }

  /**
   * Copies a file the user picked in a native dialog into the imports folder, under its own name or, when
   * that is taken or unusable, a free one; returns the name. Only the desktop shell calls this.
   */
  copyIn(sourcePath: string): string {
    mkdirSync(this.importsDir, { recursive: true });
    const wanted = chosenFileNameProblem(basename(sourcePath)) ? 'imported file' : basename(sourcePath);
    const extension = extname(wanted);
    const stem = wanted.slice(0, wanted.length - extension.length);
    for (let attempt = 1; ; attempt++) {
      const name = attempt === 1 ? wanted : `${stem} (${attempt})${extension}`;
      try {
        writeNewFileDurably(join(this.importsDir, name), fileChunks(sourcePath));
        return name;
      } catch (error) {
        if (!(error instanceof FileExistsError) || attempt >= 1000) throw error;
      }
    }
  }

  /** Copies `name` of the exports folder to where the user chose in a native save dialog. */
  /** A service whose files lie in the exports folder says who may take them away (asked by copyOut). */
  addReleaseCheck(check: ReleaseCheck): void {
    this.releaseChecks.push(check);
  }

  /** Refuses `session` a file of the exports folder it may not have (call before asking where to save it). */
  checkRelease(name: string, session: Session | null): void {
    checkName(name);
    if (!session) throw new AppError('unauthenticated', 'sign in first');
    for (const check of this.releaseChecks) check(name, session.user);
  }

  /** Copies a file of the exports folder out for `session`, when every release check lets that user have it. */
  copyOut(name: string, destinationPath: string, session: Session | null): void {
    this.checkRelease(name, session);
    const source = join(this.exportsDir, name);
    if (!statOrNull(source)?.isFile())
      throw notFound('folder_file', `there is no file named "${name}" in the exports folder`, { name });
    copyFileSync(source, destinationPath);
  }

  handlers(): CallHandlers<typeof filesCalls> {
    return { 'files.list': (input) => this.list(input.area) };
  }
}

function checkName(name: string): void {
  const problem = chosenFileNameProblem(name);
  if (problem) throw new AppError('invalid_input', problem, { issues: [{ path: ['name'], message: problem }] });
}

function exists(name: string): AppError {
  return new AppError(
    'conflict',
    `a file named "${name}" is already in the exports folder; it is never replaced: choose another name`,
  );
}

/** lstat: a link is reported as a link, never followed. */
function statOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

function* fileChunks(path: string, chunkBytes = 1024 * 1024): Generator<Uint8Array> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(chunkBytes);
    for (;;) {
      const read = readSync(fd, buffer, 0, chunkBytes, null);
      if (read === 0) return;
      yield buffer.subarray(0, read);
    }
  } finally {
    closeSync(fd);
  }
}
