import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli, stopSignalAction } from './main.ts';
import { commands } from './registry.ts';

async function cli(...argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const text = { out: '', err: '' };
  stdout.on('data', (d) => (text.out += d));
  stderr.on('data', (d) => (text.err += d));
  const code = await runCli(argv, {
    stdout: stdout as unknown as typeof process.stdout,
    stderr: stderr as unknown as typeof process.stderr,
  });
  return { code, ...text };
}

describe('casebench help', () => {
  it.each(['pki', 'x3p', 'rig', 'outbox', 'package', 'db'])(
    '`%s --help` lists that group’s commands',
    async (group) => {
      const { code, out, err } = await cli(group, '--help');
      expect(code).toBe(0);
      expect(err).toBe('');
      expect(out).toMatch(new RegExp(`^Usage: casebench ${group} <command>`));
      const listed = out.split('\n').filter((line) => line.startsWith(`  ${group} `));
      expect(listed.length).toBeGreaterThan(1);
      expect(out).not.toMatch(/unknown command/);
      expect(out).not.toMatch(/score-pairs/); // only the group, not every command
    },
  );

  it('a group word alone shows its commands as a usage error; a wrong sub-command says which', async () => {
    const alone = await cli('pki');
    expect(alone.code).toBe(2);
    expect(alone.out).toMatch(/pki init\s+create a development CA/);
    const wrong = await cli('x3p', 'bogus');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/^casebench: unknown x3p command "bogus"/);
    expect(wrong.err).toMatch(/x3p validate/);
  });

  it('a command that is also a group word keeps its own help and names the related commands', async () => {
    const { code, out } = await cli('hub', '--help');
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: casebench hub/);
    expect(out).toMatch(/Related commands:\n\s+hub jobs/);
    expect((await cli('rig', 'list', '--help')).out).toMatch(/^Usage: casebench rig list/);
  });

  it('an unknown word is still an unknown command with the whole list', async () => {
    const { code, err } = await cli('frobnicate');
    expect(code).toBe(2);
    expect(err).toMatch(/^casebench: unknown command "frobnicate"/);
    expect(err).toMatch(/score-pairs/);
  });
});

describe('stop signals', () => {
  it('ask first; a repeat within a second is the same Ctrl+C (terminal and launcher copies)', () => {
    for (const command of [{}, { stopsCleanly: true as const }]) {
      expect(stopSignalAction(command, null)).toBe('ask');
      expect(stopSignalAction(command, 5)).toBe('ignore');
    }
  });

  it('a later repeat ends a one-shot command at once but never cuts a server’s or worker’s clean stop short', () => {
    expect(stopSignalAction({}, 2_000)).toBe('end');
    expect(stopSignalAction({ stopsCleanly: true }, 2_000)).toBe('ignore');
  });

  it('only the servers and the worker stop cleanly on their own', () => {
    const clean = commands.filter((c) => c.stopsCleanly).map((c) => c.name.join(' '));
    expect(clean.sort()).toEqual(['hub', 'hub worker', 'serve']);
  });
});
