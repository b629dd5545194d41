import {
  createTheme,
  defaultVariantColorsResolver,
  parseThemeColor,
  type CSSVariablesResolver,
  type MantineTheme,
  type VariantColorsResolver,
} from '@mantine/core';

// Calm and dense: neutral greys that do not tint imaging work, one restrained accent, small default sizes.
// Contrast (WCAG 2.2 AA, 4.5:1 for text; checked on every screen by the e2e axe run): the text on a filled colour
// is white or black, whichever reads better on that shade; coloured text and the text of "light" and outline
// badges are darkened in the light theme until they reach 4.6:1; secondary ("dimmed") text is a step stronger
// than Mantine's.
const primaryShade = { light: 9, dark: 8 } as const;

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((v) => {
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

export function contrast(a: string, b: string): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (high! + 0.05) / (low! + 0.05);
}

/** `hex` mixed with black, as little as needed to reach `ratio` against `background`. */
function darkenedFor(hex: string, background: string, ratio = 4.6): string {
  for (let k = 0; k <= 1; k += 0.05) {
    const mixed = `#${[1, 3, 5]
      .map((i) =>
        Math.round(parseInt(hex.slice(i, i + 2), 16) * (1 - k))
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')}`;
    if (contrast(mixed, background) >= ratio) return mixed;
  }
  return '#000000';
}

const onFilled = (shade: string) => (contrast(shade, '#ffffff') >= 4.5 ? '#ffffff' : '#000000');

const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color || input.theme.primaryColor, theme: input.theme });
  if (input.variant === 'filled' && parsed.isThemeColor && parsed.shade === undefined)
    return { ...colors, color: `var(--cb-on-${parsed.color}-filled)` };
  return colors;
};

export const theme = createTheme({
  primaryColor: 'cyan',
  primaryShade,
  variantColorResolver,
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif',
  fontFamilyMonospace: 'ui-monospace, "JetBrains Mono", "DejaVu Sans Mono", monospace',
  fontSizes: { xs: '0.72rem', sm: '0.8rem', md: '0.875rem', lg: '1rem', xl: '1.15rem' },
  focusRing: 'always',
  respectReducedMotion: true,
  components: {
    TextInput: { defaultProps: { size: 'xs' } },
    PasswordInput: { defaultProps: { size: 'xs' } },
    Select: { defaultProps: { size: 'xs' } },
    Textarea: { defaultProps: { size: 'xs' } },
    Button: { defaultProps: { size: 'xs' } },
    // Links are underlined: inside a sentence they must not be told apart by colour alone (WCAG 1.4.1).
    Anchor: { defaultProps: { underline: 'always' } },
    // 24 px thumbs: the smallest pointer target WCAG 2.2 (2.5.8) allows.
    Slider: { defaultProps: { thumbSize: 24 } },
    // A badge is a word that is read whole ("Imported", "Not checked"): in a narrow table column it keeps its width
    // and the column makes room, instead of Mantine's default of cutting it to "IMPO…".
    Badge: { styles: { root: { flexShrink: 0, minWidth: 'max-content' } } },
    // Likewise a segment's words fold onto a second line when the control is narrow (the regions editor's circle
    // chooser at 1024 px), instead of being cut at the edge.
    // Words fold at spaces only: a single word is never split in the middle ("تحري ك").
    SegmentedControl: { styles: { label: { whiteSpace: 'normal' } } },
  },
});

function perColour(t: MantineTheme, scheme: 'light' | 'dark'): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [name, shades] of Object.entries(t.colors)) {
    if (name === 'dark') continue;
    variables[`--cb-on-${name}-filled`] = onFilled(shades[primaryShade[scheme]]!);
    if (scheme === 'light') {
      variables[`--mantine-color-${name}-text`] = darkenedFor(shades[9]!, '#ffffff');
      variables[`--mantine-color-${name}-light-color`] = darkenedFor(shades[9]!, shades[1]!);
      // An outline badge's word is drawn in its outline colour, on the page: green 9 on white is 4.36:1.
      variables[`--mantine-color-${name}-outline`] = darkenedFor(shades[9]!, '#ffffff');
    }
  }
  return variables;
}

export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    ...perColour(t, 'light'),
    '--mantine-color-dimmed': t.colors.gray[7]!,
    '--mantine-color-placeholder': t.colors.gray[6]!,
    '--mantine-color-anchor': t.colors.cyan[9]!,
  },
  dark: {
    ...perColour(t, 'dark'),
    '--mantine-color-dimmed': t.colors.dark[1]!,
    '--mantine-color-placeholder': t.colors.dark[2]!,
    '--mantine-color-anchor': t.colors.cyan[4]!,
  },
});
