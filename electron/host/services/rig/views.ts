// Rig and devices as the contract shows them, and driver errors as contract errors. Pure functions of the rig.
import { AppError } from '../../../contract/errors.ts';
import type { RigDeviceState, RigDeviceView, RigFrame, RigStatus } from '../../../contract/devices.ts';
import type { Device } from '../../../../native/devices/device.ts';
import { DeviceError } from '../../../../native/devices/errors.ts';
import { focusMeasure, histogram } from '../../../../native/devices/frameStats.ts';
import type { Frame, LightSource, Stage } from '../../../../native/devices/kinds.ts';
import type { Rig } from '../../../../native/rig/createRig.ts';

export interface DeviceErrorRecord {
  code: string;
  message: string;
  at: string;
}

export function deviceState(device: Device): RigDeviceState {
  if (device.state === 'ready') return device.busy() ? 'busy' : 'ready';
  return device.state;
}

function readProperty(device: Device, name: string): number | string | boolean | null {
  try {
    return device.getProperty(name);
  } catch {
    return null;
  }
}

export function deviceView(rig: Rig, device: Device, lastError: DeviceErrorRecord | undefined): RigDeviceView {
  const config = rig.profile.devices.find((d) => d.label === device.label);
  const view: RigDeviceView = {
    label: device.label,
    kind: device.kind,
    driver: config?.driver ?? 'unknown',
    state: deviceState(device),
    lastError: lastError ?? null,
    properties: device.properties().map((p) => ({
      name: p.name,
      type: p.type,
      unit: p.unit ?? null,
      min: p.min ?? null,
      max: p.max ?? null,
      allowed: p.allowed ? [...p.allowed] : null,
      readOnly: p.readOnly ?? false,
      value: readProperty(device, p.name),
    })),
    channels: [],
    axes: [],
    homed: null,
  };
  if (device.kind === 'light') {
    const light = device as LightSource;
    const levels = light.levels();
    const channelConfigs = config && 'channels' in config ? config.channels : [];
    view.channels = light.channels().map((c) => {
      const cfg = channelConfigs.find((x) => x.id === c.id);
      return {
        id: c.id,
        name: c.name,
        level: levels[c.id] ?? 0,
        azimuthDeg: cfg?.azimuthDeg ?? null,
        elevationDeg: cfg?.elevationDeg ?? null,
        coaxial: cfg?.coaxial ?? false,
      };
    });
  }
  if (device.kind === 'stage') {
    const stage = device as Stage;
    const known = stage.axes();
    const positions = device.state === 'ready' ? stage.positions() : {};
    const axisConfigs = config?.driver === 'grbl' ? config.axes : [];
    view.axes = axisConfigs.map((a) => {
      const info = known.find((k) => k.name === a.name);
      return {
        name: a.name,
        unit: a.unit,
        role: a.role,
        min: info?.min ?? null,
        max: info?.max ?? null,
        position: positions[a.name] ?? null,
      };
    });
    view.homed = stage.homed();
  }
  return view;
}

/** `configured`: a rig was asked for (so no rig means it failed to start, not that there is none). */
export function rigState(rig: Rig | undefined, starting: boolean, configured: boolean): RigStatus['state'] {
  if (starting) return 'starting';
  if (!rig) return configured ? 'offline' : 'none';
  const driven = rig.profile.devices.filter((d) => d.driver !== 'uvc').length;
  const ready = rig.devices.filter((d) => d.state === 'ready').length;
  if (ready === 0) return 'offline';
  return ready === driven ? 'ready' : 'degraded';
}

/** The camera's frame as the live view shows it: 8-bit pixels and the statistics of the full-range frame. */
export function frameView(frame: Frame, seq: number, capturedAt: number): RigFrame {
  // Frames come from our own drivers, never from a SharedArrayBuffer.
  let pixels = frame.data as Uint8Array<ArrayBuffer>;
  if (frame.pixelFormat === 'Mono16') {
    pixels = new Uint8Array(frame.width * frame.height);
    for (let i = 0; i < pixels.length; i++) pixels[i] = frame.data[2 * i + 1];
  }
  // A 1024² frame is sampled on every second row and column: enough for the numbers, ~1 ms.
  const step = frame.width * frame.height > 512 * 512 ? 2 : 1;
  const hist = histogram(frame, step);
  const bins: number[] = new Array(64).fill(0);
  for (let i = 0; i < 256; i++) bins[i >> 2] += hist.bins[i];
  return {
    seq,
    width: frame.width,
    height: frame.height,
    pixelFormat: frame.pixelFormat,
    pixels,
    exposureUs: frame.exposureUs,
    gainDb: frame.gainDb,
    capturedAt,
    stats: {
      focus: focusMeasure(frame, step),
      histogram: bins,
      saturatedFraction: hist.saturatedFraction,
      mean: hist.mean,
    },
  };
}

/** A driver error as a contract error: refused values are the caller's input, the rest is the device's. */
export function toAppError(error: unknown): unknown {
  if (!(error instanceof DeviceError)) return error;
  const details = { device: error.device, deviceCode: error.code, ...error.details };
  switch (error.code) {
    case 'out-of-range':
    case 'unsupported':
      return new AppError('invalid_input', error.message, details);
    case 'busy':
      return new AppError('conflict', error.message, details);
    case 'timeout':
      return new AppError('timeout', error.message, details);
    case 'aborted':
      return new AppError('canceled', error.message, details);
    default:
      return new AppError('device', error.message, details);
  }
}

export function errorRecord(error: { code: string; message: string }): DeviceErrorRecord {
  return { code: error.code, message: error.message, at: new Date().toISOString() };
}
