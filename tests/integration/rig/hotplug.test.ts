// USB hot-plug with rig: 'auto'. The station starts on the demo rig (no hardware); then a "real" rig appears:
// a GRBL controller on a serial port (a simulator behind a pty, opened by path like /dev/ttyACM0) and a USB3
// Vision camera (the emulator, announced through the hot-plug source as node-usb would). The station switches
// to the hardware profile, keeps live view going, and hands a re-plugged camera object to its driver.
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../fixtures/sharedData.ts';
import { StationRig, type HardwareSource } from '../../../electron/host/services/rig/rigService.ts';
import type { HardwareScan } from '../../../native/rig/discovery.ts';
import { startSerialSimulator, type RunningSimulator } from '../../../native/sim/ptyLauncher.ts';
import { U3vEmulator, emulatorUsbIds } from '../../../native/sim/u3vEmulator.ts';
import type { UsbDeviceLike } from '../../../native/transport/usbDevice.ts';

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What node-usb would report: the devices plugged in now, and connect/disconnect events. */
function fakeUsb() {
  const devices: UsbDeviceLike[] = [];
  let listener: ((change: { type: 'connect' | 'disconnect'; device: UsbDeviceLike }) => void) | undefined;
  const source: HardwareSource = {
    scan: async (): Promise<HardwareScan> => ({
      usb: { available: true, message: `${devices.length} USB devices found`, devices: [...devices] },
      serial: { available: true, message: '', ports: [] },
    }),
    watch: async (l) => {
      listener = l;
      return { available: true, stop: () => (listener = undefined) };
    },
  };
  return {
    source,
    plug(device: UsbDeviceLike) {
      devices.push(device);
      listener?.({ type: 'connect', device });
    },
    unplug(device: UsbDeviceLike) {
      devices.splice(devices.indexOf(device), 1);
      listener?.({ type: 'disconnect', device });
    },
  };
}

const flatRenderer = {
  render: (r: { width: number; height: number; bitDepth: number }) =>
    new Uint8Array(r.width * r.height * (r.bitDepth / 8)).fill(90),
};

describe('USB hot-plug', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rig-hotplug-'));
  let station: StationRig | undefined;
  let grbl: RunningSimulator | undefined;

  afterAll(async () => {
    await station?.stop();
    await grbl?.stop();
  });

  it('switches from the demo rig to the hardware rig when its devices are plugged in, and takes a re-plugged camera', async () => {
    grbl = await startSerialSimulator({ device: 'grbl', dir, name: 'ttyACM0' });
    const profiles = join(dir, 'profiles');
    mkdirSync(profiles);
    copyFileSync(join(repoRoot, 'resources/rigs/demo.json'), join(profiles, 'demo.json'));
    writeFileSync(
      join(profiles, 'lab.json'),
      JSON.stringify({
        schema: 'casebench.rig/1',
        name: 'Lab rig',
        geometry: { pixelSizeUm: 3.3, bestFocus: -5 },
        devices: [
          {
            label: 'camera',
            kind: 'camera',
            driver: 'u3v',
            usb: { vendorId: emulatorUsbIds.vendorId, productId: emulatorUsbIds.productId, serialNumber: 'LAB1' },
          },
          {
            label: 'stage',
            kind: 'stage',
            driver: 'grbl',
            port: { path: grbl.path },
            axes: [{ name: 'z', letter: 'Z', unit: 'mm', speed: 300, role: 'focus' }],
          },
        ],
      }),
    );
    const usb = fakeUsb();
    station = new StationRig({
      rig: 'auto',
      profilesDir: profiles,
      hardware: usb.source,
      log: () => undefined,
      audit: () => undefined,
    });
    await station.ready;
    expect(station.status().profile?.name).toBe('Demo rig (simulated devices)');
    await station.live.start(30);
    await until('demo live view', 5000, () => station!.status().live.running);

    // The lab camera arrives: with the stage already on its port, the lab profile is complete.
    const camera = new U3vEmulator({
      renderer: flatRenderer,
      sensorWidth: 256,
      sensorHeight: 256,
      serialNumber: 'LAB1',
    });
    usb.plug(camera);
    await until(
      'switch to the lab rig',
      15_000,
      () => station!.status().profile?.name === 'Lab rig' && station!.status().state === 'ready',
    );
    expect(station.simulation()).toBeUndefined(); // the demo rig's simulators are stopped
    expect(station.status().message).toBe('rig found: Lab rig');
    await until('live view resumed on the lab camera', 5000, () => station!.status().live.running);
    const frame = await station.live.nextFrame(AbortSignal.timeout(5000));
    expect([frame.width, frame.height]).toEqual([256, 256]);

    // Unplugged: the camera is disconnected at once; the station stays on the lab rig (it may come back).
    camera.unplug();
    usb.unplug(camera);
    await until(
      'camera disconnected',
      1000,
      () => station!.status().devices.find((d) => d.label === 'camera')?.state === 'disconnected',
    );
    await new Promise((r) => setTimeout(r, 600));
    expect(station.status().profile?.name).toBe('Lab rig');

    // Plugged back in, node-usb hands over a new device object: the driver takes it and reconnects.
    const again = new U3vEmulator({
      renderer: flatRenderer,
      sensorWidth: 256,
      sensorHeight: 256,
      serialNumber: 'LAB1',
    });
    usb.plug(again);
    await until(
      'camera back',
      5000,
      () =>
        station!.status().devices.find((d) => d.label === 'camera')?.state !== 'disconnected' &&
        station!.status().live.running,
    );
    expect(again.framesRendered).toBeGreaterThan(0);
  }, 60_000);
});
