// A numeric device property (exposure, gain) with its limits shown; applied on Enter or when the field is
// left, refused in place when outside the limits (the host refuses it too).
import { NumberInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface NumberSettingProps {
  label: string;
  value: number | null;
  unit?: string;
  min?: number;
  max?: number;
  step?: number;
  decimals?: number;
  disabled: boolean;
  onApply(value: number): void;
}

export function NumberSetting({
  label,
  value,
  unit,
  min,
  max,
  step,
  decimals = 2,
  disabled,
  onApply,
}: NumberSettingProps) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<string | number>(value ?? '');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setDraft(value ?? ''), [value]);

  const apply = () => {
    const n = typeof draft === 'number' ? draft : Number(draft);
    if (draft === '' || !Number.isFinite(n)) return setError(t('rig.settings.notANumber'));
    if ((min !== undefined && n < min) || (max !== undefined && n > max))
      return setError(t('rig.settings.outOfRange', { min, max, unit: unit ?? '' }));
    setError(null);
    if (n !== value) onApply(n);
  };

  return (
    <NumberInput
      size="xs"
      w={180}
      label={label}
      description={
        min !== undefined && max !== undefined ? t('rig.settings.limits', { min, max, unit: unit ?? '' }) : undefined
      }
      value={draft}
      onChange={(v) => {
        setDraft(v);
        setError(null);
      }}
      onBlur={apply}
      onKeyDown={(event) => {
        if (event.key === 'Enter') apply();
      }}
      step={step}
      decimalScale={decimals}
      disabled={disabled}
      error={error}
      rightSection={unit ? <span style={{ fontSize: 'var(--mantine-font-size-xs)' }}>{unit}</span> : undefined}
      rightSectionWidth={unit ? 36 : undefined}
      clampBehavior="none"
    />
  );
}
