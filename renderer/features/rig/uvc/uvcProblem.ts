// What went wrong with a UVC camera, in the few cases a user can act on. The browser reports them as
// DOMException names (https://w3c.github.io/mediacapture-main/#methods-5).

export const uvcProblems = ['unsupported', 'noCamera', 'denied', 'busy', 'ended', 'failed'] as const;
export type UvcProblem = (typeof uvcProblems)[number];

export function uvcProblemOf(error: unknown): UvcProblem {
  const name = error && typeof error === 'object' && 'name' in error ? String((error as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
    case 'PermissionDeniedError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'noCamera';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'busy';
    default:
      return 'failed';
  }
}

export interface VideoInput {
  /** Empty until the user has allowed camera access once (the browser hides ids and names before that). */
  deviceId: string;
  label: string;
}

/** The video inputs among the media devices, in the browser's order. */
export function videoInputs(devices: readonly Pick<MediaDeviceInfo, 'kind' | 'deviceId' | 'label'>[]): VideoInput[] {
  return devices.filter((d) => d.kind === 'videoinput').map((d) => ({ deviceId: d.deviceId, label: d.label }));
}
