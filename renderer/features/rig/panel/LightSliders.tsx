// One slider per light channel (ring segment or coaxial). The value is sent when the drag or key press ends,
// not on every pixel of movement; the slider follows the device's reported value otherwise.
import { Group, Stack, Text } from '@mantine/core';
import { KeyboardSlider } from '../../../shared/KeyboardSlider.tsx';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface LightChannelView {
  id: string;
  name: string;
  /** 0–100 % */
  level: number;
}

export interface LightSlidersProps {
  device: string;
  /** The light in words ("Ring light"): a slider is named by it when the light has more than one channel. */
  deviceWords: string;
  channels: LightChannelView[];
  disabled: boolean;
  onSet(channel: string, intensity: number): void;
}

function ChannelSlider({
  device,
  name,
  channel,
  disabled,
  onSet,
}: {
  device: string;
  name: string;
  channel: LightChannelView;
  disabled: boolean;
  onSet: (v: number) => void;
}) {
  const [dragging, setDragging] = useState<number | null>(null);
  const value = dragging ?? channel.level;
  return (
    <Group gap="xs" wrap="nowrap">
      {/* Wide enough for "Light from 90° (bottom)" in every language: two lines rather than cut. */}
      <Text size="xs" w={120} style={{ flex: 'none' }}>
        {channel.name}
      </Text>
      <KeyboardSlider
        style={{ flex: 1 }}
        size="sm"
        min={0}
        max={100}
        step={1}
        value={value}
        disabled={disabled}
        label={(v) => `${v} %`}
        onChange={setDragging}
        onChangeEnd={(v) => {
          setDragging(null);
          if (v !== channel.level) onSet(v);
        }}
        name={name}
        data-testid={`light-${device}-${channel.id}`}
      />
      <Text size="xs" w={40} ta="right" className="cb-mono">
        {Math.round(value)} %
      </Text>
    </Group>
  );
}

export function LightSliders({ device, deviceWords, channels, disabled, onSet }: LightSlidersProps) {
  const { t } = useTranslation();
  return (
    <Stack gap={8}>
      {channels.map((channel) => (
        <ChannelSlider
          key={channel.id}
          device={device}
          name={
            channels.length > 1 ? t('rig.lights.channel', { device: deviceWords, channel: channel.name }) : channel.name
          }
          channel={channel}
          disabled={disabled}
          onSet={(v) => onSet(channel.id, v)}
        />
      ))}
    </Stack>
  );
}
