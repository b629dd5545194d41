// What a calibration found out of its limits, in the user's words: the host records codes with figures (the
// problems), and the English `messages` only for logs and records made before problems were recorded.
import type { TFunction } from 'i18next';
import type { CalibrationProblem, CalibrationSummary } from '../../../electron/contract/index.ts';
import { formatNumber } from '../../app/format.ts';

/** Percent with the figure's own precision: 1 decimal, or 2 where the limits are that fine (repeatability). */
const percent = (fraction: number | undefined, decimals: number) =>
  fraction === undefined ? '?' : formatNumber(fraction * 100, decimals);
const pixels = (value: number | undefined) => (value === undefined ? '?' : formatNumber(value, 2));

export function calibrationProblemText(t: TFunction, light: (key: string) => string, p: CalibrationProblem): string {
  const decimals = p.code === 'repeatability' ? 2 : p.code === 'light_misfit' ? 0 : 1;
  const pixelCode = p.code === 'dot_residual' || p.code === 'lens_distortion';
  const words = t(`calibration.problem.${p.code}`, {
    value: pixelCode ? pixels(p.value) : percent(p.value, decimals),
    limit: pixelCode ? pixels(p.limit) : percent(p.limit, decimals),
  });
  return p.channel === undefined ? words : t('calibration.problem.ofLight', { light: light(p.channel), words });
}

/** Every problem of a record in words; an older record without problems keeps its English messages. */
export function calibrationProblemsText(
  t: TFunction,
  light: (key: string) => string,
  c: Pick<CalibrationSummary, 'problems' | 'messages'>,
): string[] {
  return c.problems.length > 0 ? c.problems.map((p) => calibrationProblemText(t, light, p)) : c.messages;
}
