// A light key the rig cannot name (its profile has no such channel: an acquisition from another rig, a light since
// removed) in words from the key itself: 'ring/9' → "Ring light, segment 9", 'coax/A' → "Coaxial light, channel A",
// rather than the raw key.
import type { TFunction } from 'i18next';
import { lightKeyParts } from '../../../electron/contract/words/index.ts';

export function lightKeyWords(t: TFunction, key: string): string {
  const { device, segment, channel } = lightKeyParts(key);
  const words = 'known' in device ? t(`lightKey.${device.known}`) : t('lightKey.named', { name: device.name });
  if (segment !== undefined) return t('lightKey.segment', { device: words, segment });
  return channel !== undefined ? t('lightKey.channel', { device: words, channel }) : words;
}
