// Stopping the station: host.close() resolves only once what it ran has stopped — the rig (a calibration in
// progress refused as "the station is stopping", the demo rig's simulator processes gone), also the demo rig a
// station without a rig starts per use — and the database is closed last, with nothing failing on the way (no
// error in the host's log).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { isAppError } from '../../../electron/contract/index.ts';
import { startSignedIn } from '../../fixtures/testHost.ts';

/** Live (not zombie) child processes of this test process: the demo rig's socat pairs and simulators. */
function liveChildren(): string[] {
  const children: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // After the command name (in parentheses, which may hold spaces): state, then the parent's pid.
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) !== process.pid || state === 'Z') continue;
      children.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim());
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

describe('host lifecycle', () => {
  it('close() stops the rig (aborting a calibration), ends its simulators, then closes the database', async () => {
    const errors: unknown[] = [];
    const station = await startSignedIn({
      rig: 'auto',
      log: (level, message, fields) => level === 'error' && errors.push({ message, fields }),
    });
    await station.host.rig.ready;
    expect(liveChildren().some((command) => /serialSimulator|socat/.test(command))).toBe(true);

    let started!: () => void;
    const progressed = new Promise<void>((resolve) => (started = resolve));
    const calibration = station.client.call('calibrations.run', { kind: 'all' }, { onProgress: () => started() }).then(
      () => 'finished',
      (error: unknown) => (isAppError(error) ? `${error.code}: ${error.message}` : String(error)),
    );
    await progressed;

    const closing = station.host.close();
    await closing;
    expect(await calibration).toMatch(/^unavailable: .*stopping/);
    expect(liveChildren().filter((command) => /serialSimulator|socat/.test(command))).toEqual([]);
    expect(station.host.db.open).toBe(false);
    await station.host.close(); // a second close waits for the same end
    expect(errors).toEqual([]);
    await station.dispose();
  }, 120_000);

  it('close() also stops a calibration on the demo rig started per use (no station rig: tests, CLI)', async () => {
    const errors: unknown[] = [];
    const station = await startSignedIn({
      log: (level, message, fields) => level === 'error' && errors.push({ message, fields }),
    });
    let started!: () => void;
    const progressed = new Promise<void>((resolve) => (started = resolve));
    const calibration = station.client.call('calibrations.run', { kind: 'all' }, { onProgress: () => started() }).then(
      () => 'finished',
      (error: unknown) => (isAppError(error) ? `${error.code}: ${error.message}` : String(error)),
    );
    await progressed;
    expect(liveChildren().some((command) => /serialSimulator|socat/.test(command))).toBe(true);

    await station.host.close();
    // Ended before close() resolved: the call has its answer and the simulators are gone.
    const outcome = await Promise.race([calibration, Promise.resolve('still running after close()')]);
    expect(outcome).toMatch(/^unavailable: .*stopping/);
    expect(liveChildren().filter((command) => /serialSimulator|socat/.test(command))).toEqual([]);
    expect(station.host.db.open).toBe(false);
    expect(errors).toEqual([]);
    await station.dispose();
  }, 120_000);
});
