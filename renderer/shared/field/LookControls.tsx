// The one virtual light over both surfaces (direction, elevation), relief exaggeration, false colour by height and
// enhanced contrast. 3D tools need a topography on both sides; when one is missing they are off and say why.
import { Group, Stack, Switch, Text } from '@mantine/core';
import { KeyboardSlider } from '../KeyboardSlider.tsx';
import { useTranslation } from 'react-i18next';
import { useFieldView, type FieldStore } from './fieldStore.ts';

function LabelledSlider({
  id,
  label,
  short,
  value,
  min,
  max,
  step,
  disabled,
  onChange,
}: {
  id: string;
  label: string;
  short: string;
  value: number;
  min: number;
  max: number;
  step: number;
  disabled: boolean;
  onChange: (v: number) => void;
}) {
  return (
    <div style={{ minWidth: 150, flex: 1 }}>
      <Text size="xs" id={id}>
        {label}
      </Text>
      <KeyboardSlider
        aria-labelledby={id}
        name={short}
        min={min}
        max={max}
        step={step}
        value={value}
        onChange={onChange}
        disabled={disabled}
        label={null}
        size="sm"
      />
    </div>
  );
}

export function LookControls({ store, disabledReason }: { store: FieldStore; disabledReason: string | null }) {
  const { t } = useTranslation();
  const look = useFieldView(store, (v) => v.look);
  const off = disabledReason !== null;
  return (
    <Stack gap={4}>
      <Group gap="lg" align="flex-end" wrap="wrap">
        <LabelledSlider
          id="exam-light-azimuth"
          label={t('viewer.azimuth', { value: Math.round(look.azimuthDeg) })}
          short={t('viewer.azimuthShort')}
          value={look.azimuthDeg}
          min={0}
          max={359}
          step={1}
          disabled={off}
          onChange={(v) => store.setLook({ azimuthDeg: v })}
        />
        <LabelledSlider
          id="exam-light-elevation"
          label={t('viewer.elevation', { value: Math.round(look.elevationDeg) })}
          short={t('viewer.elevationShort')}
          value={look.elevationDeg}
          min={5}
          max={90}
          step={1}
          disabled={off}
          onChange={(v) => store.setLook({ elevationDeg: v })}
        />
        <LabelledSlider
          id="exam-relief"
          label={t('viewer.exaggeration', { value: look.exaggeration })}
          short={t('viewer.exaggerationShort')}
          value={look.exaggeration}
          min={1}
          max={20}
          step={1}
          disabled={off}
          onChange={(v) => store.setLook({ exaggeration: v })}
        />
        <Switch
          label={t('viewer.falseColour')}
          checked={look.falseColour}
          disabled={off}
          onChange={(e) => store.setLook({ falseColour: e.currentTarget.checked })}
        />
        <Switch
          label={t('viewer.contrast')}
          checked={look.contrast}
          onChange={(e) => store.setLook({ contrast: e.currentTarget.checked })}
        />
      </Group>
      {disabledReason ? (
        <Text size="xs" c="yellow" data-testid="tools-3d-off">
          {disabledReason}
        </Text>
      ) : null}
    </Stack>
  );
}
