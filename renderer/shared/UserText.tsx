// Text people typed (case numbers, agencies, exhibits, names) shown so it cannot disguise itself: isolated from
// the text around it (a right-to-left word cannot reorder a sentence), and, when it holds invisible direction
// controls, shown with them made visible and flagged, because "gnp.exe" behind a right-to-left override reads
// "exe.png" on screen.
import { Badge, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const controlNames: Record<string, string> = {
  '\u061c': 'ALM',
  '\u200e': 'LRM',
  '\u200f': 'RLM',
  '\u202a': 'LRE',
  '\u202b': 'RLE',
  '\u202c': 'PDF',
  '\u202d': 'LRO',
  '\u202e': 'RLO',
  '\u2066': 'LRI',
  '\u2067': 'RLI',
  '\u2068': 'FSI',
  '\u2069': 'PDI',
};
const controls = new RegExp(`[${Object.keys(controlNames).join('')}]`, 'gu');

export function hasBidiControls(text: string): boolean {
  controls.lastIndex = 0;
  return controls.test(text);
}

/** The text with each direction control replaced by its visible name, e.g. "report[RLO]exe.png". */
export function revealBidiControls(text: string): string {
  return text.replace(controls, (c) => `[${controlNames[c]}]`);
}

export function UserText({ text, mono = false }: { text: string | null | undefined; mono?: boolean }) {
  const { t } = useTranslation();
  if (text === null || text === undefined || text === '') return <>—</>;
  const className = mono ? 'cb-mono' : undefined;
  if (!hasBidiControls(text))
    return (
      <bdi className={className} dir={mono ? 'ltr' : 'auto'}>
        {text}
      </bdi>
    );
  return (
    <>
      {/* Shown left to right with the controls spelled out: what the characters really are, in order. */}
      <bdi className="cb-mono" dir="ltr" data-testid="bidi-revealed">
        {revealBidiControls(text)}
      </bdi>{' '}
      <Tooltip label={t('userText.bidiHint')}>
        <Badge size="xs" color="orange" variant="light" data-testid="bidi-flag" title={t('userText.bidiHint')}>
          {t('userText.bidiFlag')}
        </Badge>
      </Tooltip>
    </>
  );
}
