// A light key the rig cannot name (its profile has no such channel: an acquisition from another rig, a light since
// removed) in words from the key itself: 'ring/9' → "Ring light, segment 9", 'coax/A' → "Coaxial light, channel A",
// rather than the raw key.
import type { TFunction } from 'i18next';

/** Device labels of the usual rig profiles that say what the light is. */
const knownDevices: Record<string, 'ring' | 'coaxial'> = { ring: 'ring', coax: 'coaxial', coaxial: 'coaxial' };

function deviceWords(t: TFunction, device: string): string {
  const known = knownDevices[device.toLowerCase()];
  if (known === 'ring') return t('lights.device.ring');
  if (known === 'coaxial') return t('lights.device.coaxial');
  return t('lights.device.named', { name: device });
}

export function lightKeyWords(t: TFunction, key: string): string {
  const slash = key.indexOf('/');
  const device = slash < 0 ? key : key.slice(0, slash);
  const channel = slash < 0 ? '' : key.slice(slash + 1);
  const words = deviceWords(t, device);
  if (channel === '') return words;
  return /^\d+$/.test(channel)
    ? t('lights.segment', { device: words, segment: channel })
    : t('lights.channel', { device: words, channel });
}
