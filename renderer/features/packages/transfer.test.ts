import { describe, expect, it } from 'vitest';
import { chosenFileNameProblem } from '../../../electron/contract/index.ts';
import { formatBytes } from '../../app/format.ts';
import { suggestedPackageName } from './transfer.ts';

describe('package file names and sizes', () => {
  it('suggests a usable file name from any lab case number', () => {
    const now = new Date('2026-12-04T21:31:00Z');
    expect(suggestedPackageName('LAB-2026-0142', now)).toBe('LAB-2026-0142-20261204-2131.cbpkg.zip');
    for (const number of ['LAB/2026:0142', '..', '.hidden', 'قضية ٤٢', 'a'.repeat(60), 'CON'])
      expect(chosenFileNameProblem(suggestedPackageName(number, now)), number).toBeNull();
  });

  it('writes sizes for reading', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(29.2 * 1024 * 1024)).toBe('29.2 MiB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2 GiB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MiB');
  });
});
