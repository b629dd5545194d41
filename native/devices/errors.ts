// One error type for everything a device can do wrong, with a closed set of codes so the host can map them to
// contract errors and the UI to words. `device` names the device label so a rig-level error says which one.
export type DeviceErrorCode =
  | 'timeout' // no reply within the device's timeout (silence, or a reply lost in garbage)
  | 'disconnected' // transport closed underneath us (unplugged, simulator killed)
  | 'protocol' // bytes that do not parse (garbage, truncated frame, bad checksum)
  | 'device-error' // the device understood and refused (GRBL error:N, GenCP status, ring-light NAK)
  | 'alarm' // the device entered an alarm state (GRBL ALARM:N) and needs unlocking or homing
  | 'out-of-range' // refused by the driver before anything was sent
  | 'not-initialized'
  | 'busy'
  | 'aborted'
  | 'unsupported';

export class DeviceError extends Error {
  readonly code: DeviceErrorCode;
  readonly device: string;
  readonly details: Record<string, unknown>;

  constructor(code: DeviceErrorCode, device: string, message: string, details: Record<string, unknown> = {}) {
    super(`${device}: ${message}`);
    this.name = 'DeviceError';
    this.code = code;
    this.device = device;
    this.details = details;
  }
}

export function isDeviceError(error: unknown, code?: DeviceErrorCode): error is DeviceError {
  return error instanceof DeviceError && (code === undefined || error.code === code);
}

/** Rejects with an 'aborted' DeviceError when the signal fires; used at every await that may hang. */
export function throwIfAborted(signal: AbortSignal | undefined, device: string): void {
  if (signal?.aborted) throw new DeviceError('aborted', device, 'operation aborted');
}
