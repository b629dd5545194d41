// The one virtual light over both surfaces (direction, elevation), relief exaggeration, false colour by height and
// enhanced contrast. 3D tools need a topography on both sides; when one is missing they are off and say why.
import { Group, Stack, Switch, Text } from '@mantine/core';
import { memo } from 'react';
import { KeyboardSlider } from '../KeyboardSlider.tsx';
import { useTranslation } from 'react-i18next';
import { useFieldView, type FieldStore } from './fieldStore.ts';

type NumberSetting = 'azimuthDeg' | 'elevationDeg' | 'exaggeration';
type SwitchSetting = 'falseColour' | 'contrast';

// Memoised: moving the light re-renders the one slider whose value changed, not all five controls, on every frame.
const LabelledSlider = memo(function LabelledSlider({
  store,
  setting,
  id,
  label,
  short,
  value,
  min,
  max,
  disabled,
}: {
  store: FieldStore;
  setting: NumberSetting;
  id: string;
  label: string;
  short: string;
  value: number;
  min: number;
  max: number;
  disabled: boolean;
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
        step={1}
        value={value}
        onChange={(v) => store.setLook({ [setting]: v })}
        disabled={disabled}
        label={null}
        size="sm"
      />
    </div>
  );
});

const LookSwitch = memo(function LookSwitch({
  store,
  setting,
  label,
  checked,
  disabled,
}: {
  store: FieldStore;
  setting: SwitchSetting;
  label: string;
  checked: boolean;
  disabled: boolean;
}) {
  return (
    <Switch
      label={label}
      checked={checked}
      disabled={disabled}
      onChange={(e) => store.setLook({ [setting]: e.currentTarget.checked })}
    />
  );
});

export function LookControls({ store, disabledReason }: { store: FieldStore; disabledReason: string | null }) {
  const { t } = useTranslation();
  const look = useFieldView(store, (v) => v.look);
  const off = disabledReason !== null;
  return (
    <Stack gap={4}>
      <Group gap="lg" align="flex-end" wrap="wrap">
        <LabelledSlider
          store={store}
          setting="azimuthDeg"
          id="exam-light-azimuth"
          label={t('viewer.azimuth', { value: Math.round(look.azimuthDeg) })}
          short={t('viewer.azimuthShort')}
          value={look.azimuthDeg}
          min={0}
          max={359}
          disabled={off}
        />
        <LabelledSlider
          store={store}
          setting="elevationDeg"
          id="exam-light-elevation"
          label={t('viewer.elevation', { value: Math.round(look.elevationDeg) })}
          short={t('viewer.elevationShort')}
          value={look.elevationDeg}
          min={5}
          max={90}
          disabled={off}
        />
        <LabelledSlider
          store={store}
          setting="exaggeration"
          id="exam-relief"
          label={t('viewer.exaggeration', { value: look.exaggeration })}
          short={t('viewer.exaggerationShort')}
          value={look.exaggeration}
          min={1}
          max={20}
          disabled={off}
        />
        <LookSwitch
          store={store}
          setting="falseColour"
          label={t('viewer.falseColour')}
          checked={look.falseColour}
          disabled={off}
        />
        <LookSwitch
          store={store}
          setting="contrast"
          label={t('viewer.contrast')}
          checked={look.contrast}
          disabled={false}
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
