// The simulators' pty launcher on a machine without socat: a clear error at once, not a 10-second timeout.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSerialSimulator } from '../../../native/sim/ptyLauncher.ts';

describe('pty launcher', () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  it('says socat is missing, quickly', async () => {
    process.env.PATH = join(tmpdir(), 'no-such-folder');
    const started = Date.now();
    await expect(
      startSerialSimulator({ device: 'ring', dir: mkdtempSync(join(tmpdir(), 'pty-no-socat-')), name: 'ring' }),
    ).rejects.toThrow(/socat is not installed.*apt-get install socat/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
