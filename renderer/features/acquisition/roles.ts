// Words for the file roles of an acquisition ('light:<device>/<channel>', 'ring', 'topography', ...).
import type { TFunction } from 'i18next';
import type { AcquisitionFile } from '../../../electron/contract/index.ts';
import { lightKeyWords } from '../rig/lightKeyWords.ts';

const knownRoles = ['topography', 'original', 'dark', 'ring', 'coaxial', 'focus'];

/** `light` names a light key ('ring/2') in words (useLightWords); without it the key itself is worded. */
export function roleLabel(
  t: TFunction,
  role: string,
  light: (key: string) => string = (key) => lightKeyWords(t, key),
): string {
  if (role.startsWith('light:')) return light(role.slice('light:'.length));
  // Further frames of a kind carry a suffix ('dark:2' is the second dark frame).
  if (role.startsWith('dark:')) return t('acquisition.role.darkN', { n: role.slice('dark:'.length) });
  return knownRoles.includes(role) ? t(`acquisition.role.${role}`) : role;
}

/** Files the image viewer can show: 2D images, lights first in their stored order, then ring, coaxial and the rest. */
export function imageRoles(files: AcquisitionFile[]): string[] {
  const rank = (role: string) => (role.startsWith('light:') ? 0 : role === 'ring' ? 1 : role === 'coaxial' ? 2 : 3);
  return files
    .filter((f) => f.role !== 'topography' && f.mediaType.startsWith('image/'))
    .map((f) => f.role)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true }));
}
