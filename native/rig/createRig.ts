// Rig profile → device instances. Drivers get their transports here (a serial port path, a USB device, or a
// simulator's pty), so no driver ever opens a path on its own.
import type { Device } from '../devices/device.ts';
import { DeviceError } from '../devices/errors.ts';
import type { Camera, LightSource, Stage } from '../devices/kinds.ts';
import { GrblStage } from '../devices/grblStage.ts';
import { CoolLedLight } from '../devices/coolLedLight.ts';
import { RingLight } from '../devices/ringLight.ts';
import { U3vCamera } from '../devices/u3vCamera.ts';
import { SerialTransport } from '../transport/serialTransport.ts';
import type { UsbDeviceLike } from '../transport/usbDevice.ts';
import type { Log } from '../../electron/base/log.ts';
import type { RigDeviceConfig, RigProfile, SerialPortConfig } from './profile.ts';

export interface RigWiring {
  /** Simulator name → the pty path its driver opens (from the demo-rig launcher). */
  simulatorPorts?: Record<string, string>;
  /** USB devices to pick cameras from: node-usb's getDevices() or emulators. */
  usbDevices?: UsbDeviceLike[];
  /** The host's log, for what drivers report on their own (a command retried after a missing reply). */
  log?: Log;
}

export interface Rig {
  profile: RigProfile;
  devices: Device[];
  camera: Camera | undefined;
  stages: Stage[];
  lights: LightSource[];
  /** The stage and axis that focus the camera. */
  focus: { stage: Stage; axis: string } | undefined;
  device(label: string): Device;
  /** Initializes every device; one failing device does not stop the others. */
  connectAll(signal?: AbortSignal): Promise<{ label: string; error?: DeviceError }[]>;
  shutdownAll(): Promise<void>;
}

function serialPath(port: SerialPortConfig, wiring: RigWiring, label: string): { path: string; baudRate: number } {
  if ('path' in port) return { path: port.path, baudRate: port.baudRate };
  const path = wiring.simulatorPorts?.[port.simulator];
  if (!path)
    throw new DeviceError(
      'disconnected',
      label,
      `simulator "${port.simulator}" is not running (start the demo rig first)`,
    );
  return { path, baudRate: 115200 };
}

function createDevice(config: RigDeviceConfig, wiring: RigWiring): Device | undefined {
  switch (config.driver) {
    case 'grbl':
      return new GrblStage({
        label: config.label,
        transport: new SerialTransport(serialPath(config.port, wiring, config.label)),
        axes: config.axes,
        timeoutMs: config.timeoutMs,
      });
    case 'coolled-pe4000':
      return new CoolLedLight({
        label: config.label,
        transport: new SerialTransport(serialPath(config.port, wiring, config.label)),
        channels: config.channels,
        timeoutMs: config.timeoutMs,
      });
    case 'casebench-ring':
      return new RingLight({
        label: config.label,
        transport: new SerialTransport(serialPath(config.port, wiring, config.label)),
        segments: config.channels.length,
        segmentNames: config.channels.map((c) => c.name),
        timeoutMs: config.timeoutMs,
        log: wiring.log,
      });
    case 'u3v': {
      const usb = (wiring.usbDevices ?? []).find(
        (d) =>
          d.vendorId === config.usb.vendorId &&
          d.productId === config.usb.productId &&
          (config.usb.serialNumber === undefined || d.serialNumber === config.usb.serialNumber),
      );
      if (!usb)
        throw new DeviceError(
          'disconnected',
          config.label,
          `no USB device ${config.usb.vendorId.toString(16).padStart(4, '0')}:${config.usb.productId.toString(16).padStart(4, '0')} is connected`,
        );
      return new U3vCamera({ label: config.label, device: usb, timeoutMs: config.timeoutMs });
    }
    case 'uvc':
      return undefined; // UVC cameras are driven by the UI through getUserMedia, not by the host.
  }
}

export function createRig(profile: RigProfile, wiring: RigWiring = {}): Rig {
  const devices: Device[] = [];
  const missing: DeviceError[] = [];
  for (const config of profile.devices) {
    try {
      const device = createDevice(config, wiring);
      if (device) devices.push(device);
    } catch (error) {
      if (error instanceof DeviceError) missing.push(error);
      else throw error;
    }
  }
  const stages = devices.filter((d): d is Stage => d.kind === 'stage');
  const focusConfig = profile.devices.flatMap((d) =>
    d.driver === 'grbl' ? d.axes.filter((a) => a.role === 'focus').map((a) => ({ label: d.label, axis: a.name })) : [],
  )[0];
  const focusStage = focusConfig && stages.find((s) => s.label === focusConfig.label);
  return {
    profile,
    devices,
    camera: devices.find((d): d is Camera => d.kind === 'camera'),
    stages,
    lights: devices.filter((d): d is LightSource => d.kind === 'light'),
    focus: focusStage ? { stage: focusStage, axis: focusConfig.axis } : undefined,
    device(label) {
      const device = devices.find((d) => d.label === label);
      if (!device)
        throw (
          missing.find((m) => m.device === label) ?? new DeviceError('unsupported', label, 'is not part of this rig')
        );
      return device;
    },
    async connectAll(signal) {
      const results = await Promise.all(
        devices.map(async (device) => {
          try {
            await device.initialize(signal);
            return { label: device.label };
          } catch (error) {
            return {
              label: device.label,
              error:
                error instanceof DeviceError
                  ? error
                  : new DeviceError('disconnected', device.label, (error as Error).message),
            };
          }
        }),
      );
      return [...results, ...missing.map((error) => ({ label: error.device, error }))];
    },
    async shutdownAll() {
      await Promise.all(devices.map((d) => d.shutdown().catch(() => undefined)));
    },
  };
}
