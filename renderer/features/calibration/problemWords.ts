// What a calibration found out of its limits, in the user's words: the host records codes with figures (the
// problems), and the English `messages` only for logs and records made before problems were recorded.
import type { TFunction } from 'i18next';
import type { CalibrationProblem, CalibrationSummary } from '../../../electron/contract/index.ts';
import { formatNumber } from '../../app/format.ts';
import { calibrationProblemFigures } from '../../../electron/contract/words/index.ts';

export function calibrationProblemText(t: TFunction, light: (key: string) => string, p: CalibrationProblem): string {
  const figures = calibrationProblemFigures(p);
  const shown = (v: number | null) => (v === null ? '?' : formatNumber(v, figures.decimals));
  const words = t(`calibrationProblem.${p.code}`, { value: shown(figures.value), limit: shown(figures.limit) });
  return p.channel === undefined ? words : t('calibrationProblem.ofLight', { light: light(p.channel), words });
}

/** Every problem of a record in words; an older record without problems keeps its English messages. */
export function calibrationProblemsText(
  t: TFunction,
  light: (key: string) => string,
  c: Pick<CalibrationSummary, 'problems' | 'messages'>,
): string[] {
  return c.problems.length > 0 ? c.problems.map((p) => calibrationProblemText(t, light, p)) : c.messages;
}
