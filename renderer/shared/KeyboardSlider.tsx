// Mantine's slider, with the keys people expect of a slider (WAI-ARIA): arrows move one step, Page Up / Page Down
// a tenth of the range (Mantine has no Page keys), Home / End the ends; and a name on the thumb that screen readers
// announce (`label` is the thumb's accessible name).
import { Slider, type SliderProps } from '@mantine/core';
import type { KeyboardEvent } from 'react';

export interface KeyboardSliderProps extends Omit<SliderProps, 'thumbLabel' | 'value' | 'onChange'> {
  /** What the slider sets, as a screen reader announces it. */
  name: string;
  value: number;
  onChange(value: number): void;
}

export function KeyboardSlider({
  name,
  value,
  onChange,
  onChangeEnd,
  min = 0,
  max = 100,
  ...rest
}: KeyboardSliderProps) {
  const page = Math.max(rest.step ?? 1, Math.round((max - min) / 10));
  const onKeyDownCapture = (event: KeyboardEvent) => {
    if (rest.disabled || (event.key !== 'PageUp' && event.key !== 'PageDown')) return;
    event.preventDefault();
    event.stopPropagation();
    const next = Math.min(max, Math.max(min, value + (event.key === 'PageUp' ? page : -page)));
    onChange(next);
    onChangeEnd?.(next);
  };
  return (
    <div onKeyDownCapture={onKeyDownCapture} style={rest.style as React.CSSProperties | undefined}>
      <Slider
        {...rest}
        style={undefined}
        min={min}
        max={max}
        value={value}
        onChange={onChange}
        onChangeEnd={onChangeEnd}
        thumbLabel={name}
      />
    </div>
  );
}
