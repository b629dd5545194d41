// One error type for everything a device can do wrong, with a closed set of codes (deviceErrorCodes in the contract,
// so the UI words each one). `device` names the device label so a rig-level error says which one.
import type { DeviceErrorCode } from '../../electron/contract/errors.ts';

export type { DeviceErrorCode };

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
