import { describe, expect, it } from 'vitest';
import { DEFAULT_THEME, mergeMantineTheme } from '@mantine/core';
import { contrast, cssVariablesResolver, theme } from './theme.ts';

// The light theme's coloured words on white: text, "light" badges and outline badges (a quality check "Focus ✓")
// must reach WCAG AA's 4.5:1 for small text in every colour, as the axe run checks on the screens it visits.
describe('light theme contrast', () => {
  const variables = cssVariablesResolver(mergeMantineTheme(DEFAULT_THEME, theme)).light;
  for (const name of ['green', 'red', 'orange', 'cyan', 'gray', 'blue', 'grape', 'yellow'])
    it(`${name}: text and outline words on white`, () => {
      for (const kind of ['text', 'outline'])
        expect(contrast(variables[`--mantine-color-${name}-${kind}`]!, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    });
});
