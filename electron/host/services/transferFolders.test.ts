import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chosenFileNameProblem } from '../../contract/files.ts';
import type { Session } from '../../contract/auth.ts';
import { FileExistsError, writeNewFileDurably } from '../../base/durableFile.ts';
import { TransferFolders } from './transferFolders.ts';

const temp = () => mkdtempSync(join(tmpdir(), 'transfer-folders-'));

describe('chosen file names', () => {
  it('takes plain names in any script and refuses anything that names a place', () => {
    for (const ok of ['bundle.cbbundle', 'Affaire 2024-17 (copie).zip', 'تقرير.pdf', '案件.zip', 'a'])
      expect(chosenFileNameProblem(ok), ok).toBeNull();
    for (const bad of [
      '',
      '.',
      '..',
      '../x',
      'a/b',
      'a\\b',
      'C:x',
      '.bashrc',
      'x.',
      ' x',
      'x ',
      'a\nb',
      'a\u202eb', // right-to-left override: shows another name than the real one
      'con',
      'LPT1.txt',
      'x'.repeat(201),
      'é'.repeat(101), // 101 characters, 202 bytes
      '案'.repeat(67), // 201 bytes
    ])
      expect(chosenFileNameProblem(bad), JSON.stringify(bad)).not.toBeNull();
  });

  it('takes the longest names the file system can write with their temporary name', () => {
    const folders = new TransferFolders(temp());
    for (const name of ['x'.repeat(200), 'é'.repeat(100), '案'.repeat(66)]) {
      expect(chosenFileNameProblem(name), name).toBeNull();
      folders.writeExport(name, (path) => writeNewFileDurably(path, new Uint8Array([1])));
    }
    expect(folders.list('exports').files).toHaveLength(3);
  });
});

describe('new files, durably', () => {
  it('never replaces a file and leaves no temporary file behind', () => {
    const dir = temp();
    const path = join(dir, 'out.bin');
    writeNewFileDurably(path, [new Uint8Array([1, 2]), new Uint8Array([3])]);
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(() => writeNewFileDurably(path, new Uint8Array([9]))).toThrow(FileExistsError);
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['out.bin']);
  });
});

describe('transfer folders', () => {
  it('copies a picked file into imports under a free name, and an export out to where the user chose', () => {
    const dataDir = temp();
    const folders = new TransferFolders(dataDir);
    const picked = join(temp(), 'results.cbbundle');
    writeFileSync(picked, 'first');
    expect(folders.copyIn(picked)).toBe('results.cbbundle');
    writeFileSync(picked, 'second');
    expect(folders.copyIn(picked)).toBe('results (2).cbbundle');
    expect(readFileSync(folders.importPath('results.cbbundle'), 'utf8')).toBe('first');
    expect(readFileSync(folders.importPath('results (2).cbbundle'), 'utf8')).toBe('second');
    const oddName = join(temp(), '.hidden');
    writeFileSync(oddName, 'x');
    expect(folders.copyIn(oddName)).toBe('imported file');

    folders.writeExport('out.zip', (path) => writeNewFileDurably(path, Buffer.from('zip')));
    const destination = join(temp(), 'usb-stick-copy.zip');
    const manager = { user: { role: 'manager' } } as Session;
    folders.copyOut('out.zip', destination, manager);
    expect(readFileSync(destination, 'utf8')).toBe('zip');
    expect(() => folders.copyOut('../casebench.sqlite', destination, manager)).toThrow(/no folders|plain|dot/);
    expect(() => folders.copyOut('out.zip', join(temp(), 'x'), null)).toThrow(/sign in/);
    // A release check (the packages service's) decides who may take a file away.
    folders.addReleaseCheck((name, user) => {
      if (user.role !== 'manager') throw new Error(`not yours: ${name}`);
    });
    expect(() => folders.copyOut('out.zip', join(temp(), 'y'), { user: { role: 'examiner' } } as Session)).toThrow(
      'not yours: out.zip',
    );
  });

  it('lists only plain files with usable names, newest first; a missing folder is empty, not created', () => {
    const dataDir = temp();
    const folders = new TransferFolders(dataDir);
    expect(folders.list('imports')).toEqual({ folder: join(dataDir, 'imports'), files: [] });
    expect(readdirSync(dataDir)).toEqual([]);
    mkdirSync(join(dataDir, 'imports', 'sub'), { recursive: true });
    writeFileSync(join(dataDir, 'imports', '.x.partial'), '');
    writeFileSync(join(dataDir, 'imports', 'a.zip'), 'abc');
    expect(folders.list('imports').files).toEqual([{ name: 'a.zip', size: 3, modifiedAt: expect.any(String) }]);
  });
});
