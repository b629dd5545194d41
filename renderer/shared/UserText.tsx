// Text people typed (case numbers, agencies, exhibits, names) shown so it cannot disguise itself: isolated from
// the text around it (a right-to-left word cannot reorder a sentence), and, when it holds invisible direction
// controls, shown with them made visible and flagged, because "gnp.exe" behind a right-to-left override reads
// "exe.png" on screen.
import { Badge, Text, Tooltip } from '@mantine/core';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { bidiControlNames, hasBidiControls, revealBidiControls } from '../../electron/contract/bidiControls.ts';

export { hasBidiControls, revealBidiControls };

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

/**
 * For a form field whose value holds direction controls: a text input cannot show them, so the field shows the value
 * disguised ("exe.png"). This warning, put beside the field (its description), names the hidden characters and spells
 * the value out in order; undefined when there is nothing to warn about.
 */
export function bidiFieldWarning(t: TFunction, value: unknown): ReactNode | undefined {
  if (typeof value !== 'string' || !hasBidiControls(value)) return undefined;
  return (
    <Text component="span" size="xs" c="orange" data-testid="bidi-field-warning">
      {t('userText.fieldWarning', { names: bidiControlNames(value).join(', ') })}{' '}
      <bdi className="cb-mono" dir="ltr">
        {revealBidiControls(value)}
      </bdi>
    </Text>
  );
}
