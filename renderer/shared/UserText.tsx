// Text people typed (case numbers, agencies, exhibits, names) shown so it cannot disguise itself: isolated from
// the text around it (a right-to-left word cannot reorder a sentence), and, when it holds invisible direction
// controls, shown with them made visible and flagged, because "gnp.exe" behind a right-to-left override reads
// "exe.png" on screen.
import { Badge, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { hasBidiControls, revealBidiControls } from './bidiControls.ts';

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
