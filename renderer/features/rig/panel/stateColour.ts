import type { RigDeviceState, RigState } from '../../../../electron/contract/index.ts';

export const deviceStateColour: Record<RigDeviceState, string> = {
  ready: 'teal',
  busy: 'cyan',
  connecting: 'yellow',
  disconnected: 'red',
  error: 'red',
};
export const rigStateColour: Record<RigState, string> = {
  none: 'gray',
  starting: 'yellow',
  ready: 'teal',
  degraded: 'orange',
  offline: 'red',
};

/** A device that can be asked to connect (again); ready and busy ones can be disconnected instead. */
export function canConnect(state: RigDeviceState): boolean {
  return state === 'disconnected' || state === 'error';
}
