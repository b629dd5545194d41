// A station without a rig (the default, and every test that does not ask for one) starts no simulators and
// answers rig calls with clear errors; a rig profile that cannot be read is reported, not thrown.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../../../electron/contract/index.ts';
import { startSignedIn } from '../../fixtures/testHost.ts';

let dispose: (() => void) | undefined;
afterEach(() => dispose?.());

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
}

describe('station without a rig', () => {
  it("rig 'none' (the default): no devices, no simulators, control unavailable", async () => {
    const station = await startSignedIn();
    dispose = station.dispose;
    await station.host.rig.ready;
    const status = await station.client.call('rig.status', {});
    expect(status).toMatchObject({
      state: 'none',
      profile: null,
      devices: [],
      message: 'no rig configured for this station',
    });
    expect(station.host.rig.simulation()).toBeUndefined();
    expect(await code(station.client.call('rig.liveStart', {}))).toBe('unavailable');
    expect(await code(station.client.call('rig.stage.moveTo', { axis: 'z', position: 0 }))).toBe('unavailable');
    expect(await code(station.host.rig.withExclusive(async () => 1))).toBe('unavailable');
    expect((await station.client.call('system.status', {})).rig).toEqual({
      state: 'offline',
      label: 'no rig configured for this station',
    });
  });

  it('a rig profile that is not valid is reported in the status', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rig-bad-'));
    writeFileSync(
      join(dir, 'rig.json'),
      JSON.stringify({ schema: 'casebench.rig/1', name: 'x', geometry: { pixelSizeUm: 1, bestFocus: 0 }, devices: [] }),
    );
    const station = await startSignedIn({ rig: join(dir, 'rig.json') });
    dispose = station.dispose;
    await station.host.rig.ready;
    const status = await station.client.call('rig.status', {});
    expect(status.state).toBe('offline');
    expect(status.message).toMatch(/the rig could not start: .*rig\.json is not valid:\n {2}devices: /);
    expect((await station.client.call('system.status', {})).rig.state).toBe('error');
  });
});
