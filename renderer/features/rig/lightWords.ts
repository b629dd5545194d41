// A light in words: "Coaxial light", "Light from 90° (below)", "Light from 135°", from where it shines (the rig
// profile's azimuth, 0° = image right, 90° = image bottom), rather than its internal key ('ring/2').
import type { TFunction } from 'i18next';
import type { RigLightChannel } from '../../../electron/contract/index.ts';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../api/hooks.tsx';
import { lightKeyWords } from './lightKeyWords.ts';

type LightGeometry = Pick<RigLightChannel, 'azimuthDeg' | 'coaxial'>;

const sides = ['right', 'bottom', 'left', 'top'] as const;

export function channelWords(t: TFunction, channel: LightGeometry): string {
  if (channel.coaxial || channel.azimuthDeg === null) return t('lights.coaxial');
  const azimuth = ((Math.round(channel.azimuthDeg) % 360) + 360) % 360;
  const side = azimuth % 90 === 0 ? sides[azimuth / 90] : undefined;
  return side ? t('lights.fromSide', { azimuth, side: t(`lights.side.${side}`) }) : t('lights.from', { azimuth });
}

/** Words for light keys ('ring/2') on this station's rig; a key the rig does not have is worded from the key. */
export function useLightWords(): (key: string) => string {
  const { t } = useTranslation();
  const status = useCall('rig.status', {});
  return (key) => {
    const [device, channelId] = key.split('/');
    const channel = status.data?.devices.find((d) => d.label === device)?.channels.find((c) => c.id === channelId);
    return channel ? channelWords(t, channel) : lightKeyWords(t, key);
  };
}
