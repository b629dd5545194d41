import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSimulated, listProfiles, matchProfile, suggestProfile, type HardwareScan } from './discovery.ts';
import type { UsbDeviceLike } from '../transport/usbDevice.ts';

const usbDevice = (vendorId: number, productId: number, serialNumber?: string) =>
  ({ vendorId, productId, serialNumber }) as UsbDeviceLike;

function profile(name: string, devices: unknown[]) {
  return { schema: 'casebench.rig/1', name, geometry: { pixelSizeUm: 3, bestFocus: -1 }, devices };
}

const stage = (path: string) => ({
  label: 'stage',
  kind: 'stage',
  driver: 'grbl',
  port: { path },
  axes: [{ name: 'z', letter: 'Z', unit: 'mm', speed: 100, min: -10, max: 0, role: 'focus' }],
});
const camera = (serialNumber?: string) => ({
  label: 'camera',
  kind: 'camera',
  driver: 'u3v',
  usb: { vendorId: '0x2676', productId: '0xba02', ...(serialNumber ? { serialNumber } : {}) },
});

describe('rig discovery', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rig-discovery-'));
  const port = join(dir, 'ttyACM0');
  writeFileSync(port, '');
  writeFileSync(
    join(dir, 'a-camera-only.json'),
    JSON.stringify(profile('Camera only', [camera(), { ...stage(port) }])),
  );
  writeFileSync(
    join(dir, 'b-lab.json'),
    JSON.stringify(
      profile('Lab rig', [
        camera('SN42'),
        stage(port),
        {
          label: 'ring',
          kind: 'light',
          driver: 'casebench-ring',
          port: { path: port },
          channels: [{ id: '0', name: 'east', azimuthDeg: 0, elevationDeg: 30 }],
        },
      ]),
    ),
  );
  writeFileSync(
    join(dir, 'c-demo.json'),
    JSON.stringify(
      profile('Sim', [
        {
          label: 'stage',
          kind: 'stage',
          driver: 'grbl',
          port: { simulator: 'grbl' },
          axes: [{ name: 'z', letter: 'Z', unit: 'mm', speed: 100, min: -10, max: 0, role: 'focus' }],
        },
      ]),
    ),
  );
  writeFileSync(join(dir, 'd-broken.json'), '{"schema": "casebench.rig/1"}');

  const hardware = (devices: UsbDeviceLike[]): HardwareScan => ({
    usb: { available: true, message: '', devices },
    serial: { available: true, message: '', ports: [] },
  });

  it('lists profiles, invalid ones with their error, simulated ones marked', async () => {
    const entries = await listProfiles(dir);
    expect(entries.map((e) => [e.profile?.name ?? null, e.simulated, e.error ? 'error' : 'ok'])).toEqual([
      ['Camera only', false, 'ok'],
      ['Lab rig', false, 'ok'],
      ['Sim', true, 'ok'],
      [null, false, 'error'],
    ]);
    expect(entries[3].error).toMatch(/name: /);
    expect(isSimulated(entries[2].profile!)).toBe(true);
  });

  it('suggests the largest profile whose devices are all present, matching USB serial numbers', async () => {
    const entries = await listProfiles(dir);
    expect(suggestProfile(entries, hardware([]))).toBeUndefined();
    expect(suggestProfile(entries, hardware([usbDevice(0x2676, 0xba02, 'OTHER')]))?.entry.profile?.name).toBe(
      'Camera only',
    );
    expect(suggestProfile(entries, hardware([usbDevice(0x2676, 0xba02, 'SN42')]))?.entry.profile?.name).toBe('Lab rig');
    const missing = matchProfile(entries[1], hardware([]));
    expect(missing.devices.find((d) => d.label === 'camera')).toEqual({
      label: 'camera',
      found: false,
      where: 'USB 2676:ba02 not connected',
    });
    expect(missing.devices.find((d) => d.label === 'stage')).toEqual({ label: 'stage', found: true, where: port });
  });
});
