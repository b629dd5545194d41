// A rig device in words: "Camera", "Focus and rotation stage", "Ring light", "Coaxial light", from what the device
// is (its kind, axes and channels), rather than the profile's internal label ('camera', 'ring', 'coax'). The label
// is added only where two devices would read the same ("Ring light (left)"). Amounts go through the language's
// unit format (app/format.ts): "-4,000 mm", "15°".
import type { TFunction } from 'i18next';
import { deviceErrorCodes, type RigAxis, type RigDeviceView } from '../../../electron/contract/index.ts';
import { formatQuantity } from '../../app/format.ts';

type DeviceShape = Pick<RigDeviceView, 'kind' | 'channels' | 'axes'>;

function kindWords(t: TFunction, device: DeviceShape): string {
  if (device.kind === 'light') {
    if (device.channels.length > 0 && device.channels.every((c) => c.coaxial || c.azimuthDeg === null))
      return t('rig.deviceName.coaxialLight');
    if (device.channels.filter((c) => c.azimuthDeg !== null).length > 1) return t('rig.deviceName.ringLight');
    return t('rig.deviceName.light');
  }
  if (device.kind === 'stage') {
    const roles = new Set(device.axes.map((a) => a.role));
    if (roles.has('focus') && roles.has('rotation') && roles.size === 2) return t('rig.deviceName.focusRotationStage');
    if (roles.has('focus') && roles.size === 1) return t('rig.deviceName.focusStage');
    return t('rig.deviceName.stage');
  }
  return t('rig.deviceName.camera');
}

/** The words for `device` on a rig holding `all` (the label is added only to tell two alike apart). */
export function deviceWords(t: TFunction, device: DeviceShape & { label: string }, all: readonly (typeof device)[]) {
  const words = kindWords(t, device);
  const alike = all.filter((other) => kindWords(t, other) === words).length > 1;
  return alike ? t('rig.deviceName.withLabel', { words, label: device.label }) : words;
}

/**
 * A device's last error in words ("The rig's Camera did not answer in time: …"), from the driver's code; the
 * driver's English sentence stays in the station log. A code this version does not know reads as a device failure.
 */
export function lastErrorWords(
  t: TFunction,
  device: DeviceShape & { label: string; lastError: RigDeviceView['lastError'] },
  all: readonly (DeviceShape & { label: string })[],
): string | null {
  const code = device.lastError?.code;
  if (code === undefined) return null;
  return (deviceErrorCodes as readonly string[]).includes(code)
    ? t(`errors.deviceProblem.${code}`, { device: deviceWords(t, device, all) })
    : t('errors.device');
}

/** The protocol or product a driver speaks, as its maker names it (not translated); the driver id otherwise. */
export function driverWords(driver: string): string {
  const known: Record<string, string> = {
    u3v: 'USB3 Vision',
    uvc: 'USB Video Class',
    grbl: 'GRBL',
    'casebench-ring': 'Casebench ring light',
    'coolled-pe4000': 'CoolLED pE-4000',
  };
  return known[driver] ?? driver;
}

/** An axis in words: "Focus", "Rotation", "X", "Y" (an axis the profile names otherwise keeps that name). */
export function axisWords(t: TFunction, axis: Pick<RigAxis, 'role'>): string {
  return t(`rig.stage.role.${axis.role}`);
}

/** A stage amount with its unit in the language's format ("0.05 mm", "15°"), to as many decimals as it has. */
export function axisAmount(value: number, unit: RigAxis['unit'], decimals?: number): string {
  return formatQuantity(value, unit, decimals ?? Math.min(3, String(value).split('.')[1]?.length ?? 0));
}

/**
 * The rig profile's name in `language` ("fr-CA" reads "fr"), as the profile's file gives it; else its name as
 * written (a lab's own profile may name itself in one language only).
 */
export function profileName(profile: { name: string; names: Record<string, string> }, language: string): string {
  return profile.names[language] ?? profile.names[language.split('-')[0]!] ?? profile.name;
}

/**
 * A rig profile's name as a record kept it (a calibration, an acquisition: the name in the profile's own language
 * when it was made), in `language` when it is the profile the station runs now, which says its other names; a
 * profile the station no longer runs keeps the name as recorded. Two profiles may share a name: when the record
 * kept the profile's id it must be the current one's; `needsId` (provenance, which states what was recorded) keeps
 * the name exactly as recorded unless an id proves the profile is the same.
 */
export function recordedProfileName(
  recorded: string,
  current: { id?: string; name: string; names: Record<string, string> } | null | undefined,
  language: string,
  { recordedId, needsId = false }: { recordedId?: string | null; needsId?: boolean } = {},
): string {
  if (!current || current.name !== recorded) return recorded;
  const sameProfile = recordedId ? recordedId === current.id : !needsId;
  return sameProfile ? profileName(current, language) : recorded;
}
