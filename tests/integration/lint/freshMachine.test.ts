// The fresh-machine check (scripts/ci/freshMachine.ts): every program the code and the tests start is on a fresh
// Debian machine after .ci/run, so `npm test` does not pass here and fail in CI for a missing udevadm or ps.
import { describe, expect, it } from 'vitest';
import {
  checkFreshMachine,
  freshMachineProblems,
  packagesInstalledBy,
  programsIn,
} from '../../../scripts/ci/freshMachine.ts';

describe('fresh-machine check', () => {
  it('finds every program this project starts on a fresh machine after .ci/run', () => {
    const { uses, problems } = checkFreshMachine();
    expect(problems).toEqual([]);
    // It really reads the sources: programs the tests are known to start are found.
    expect([...uses.keys()]).toEqual(expect.arrayContaining(['socat', 'pdftotext', 'initdb', 'pgrep']));
  });

  it('names a program no fresh machine has, one nobody placed in a package, and a package .ci/run lacks', () => {
    // Written apart so that this file does not itself start udevadm in the check's eyes.
    const [execFileSync, spawn] = ['execFileSync', 'spawn'];
    const sample = `${execFileSync}('udevadm', ['info', '-e']); ${spawn}("lsusb"); db.exec('DROP TRIGGER x')`;
    const uses = new Map([
      ...[...programsIn(sample)].map((p) => [p, ['a.ts']] as [string, string[]]),
      ['frobnicate', ['b.ts']],
      ['pdftotext', ['c.ts']],
    ]);
    expect([...uses.keys()].sort()).toEqual(['frobnicate', 'lsusb', 'pdftotext', 'udevadm']); // not DROP
    const installed = packagesInstalledBy('command -v socat || need+=(socat)\n');
    expect(freshMachineProblems(uses, installed)).toEqual([
      'udevadm (a.ts) is not on a fresh machine or in a container: do without it',
      'lsusb (a.ts) is not on a fresh machine or in a container: do without it',
      'frobnicate (b.ts): say which Debian package provides it in scripts/ci/freshMachine.ts',
      'pdftotext (c.ts) needs the Debian package poppler-utils, which .ci/run does not install',
    ]);
  });
});
