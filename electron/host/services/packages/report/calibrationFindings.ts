// What a calibration found out of its limits, in the report's language: the problems the station recorded as codes
// with figures (contract calibrationProblemSchema), worded from the station's shared words; a record made before
// problems were recorded, or with a problem this version cannot word, keeps its English messages.
import { calibrationProblemSchema } from '../../../../contract/acquisitions.ts';
import { calibrationProblemFigures, lightKeyParts, stationWords } from '../../../../contract/words/index.ts';
import type { RecordCalibration } from '../format.ts';
import type { ReportLanguage } from './strings.ts';

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');

export function calibrationFindings(
  language: ReportLanguage,
  calibration: Pick<RecordCalibration, 'results' | 'messages'>,
): string[] {
  const stored = Array.isArray(calibration.results.problems) ? calibration.results.problems : [];
  const problems = stored.flatMap((p) => {
    const parsed = calibrationProblemSchema.safeParse(p);
    return parsed.success ? [parsed.data] : [];
  });
  // Worded only when every stored problem can be (a code from a newer station, say): the English messages
  // otherwise, so that no finding drops out of the report.
  if (problems.length === 0 || problems.length < stored.length) return calibration.messages;
  const words = stationWords[language].calibrationProblem;
  return problems.map((problem) => {
    const figures = calibrationProblemFigures(problem);
    // Latin digits in Arabic, as on the station's screens (renderer app/format.ts).
    const format = new Intl.NumberFormat(language === 'ar' ? 'ar-u-nu-latn' : language, {
      minimumFractionDigits: figures.decimals,
      maximumFractionDigits: figures.decimals,
    });
    const shown = (v: number | null) => (v === null ? '?' : format.format(v));
    const sentence = fill(words[problem.code], { value: shown(figures.value), limit: shown(figures.limit) });
    // The light named from its key ('ring/2' → "Ring light, segment 2"): the report has no rig to ask where it
    // shines from.
    return problem.channel === undefined
      ? sentence
      : fill(words.ofLight, { light: lightWords(language, problem.channel), words: sentence });
  });
}

function lightWords(language: ReportLanguage, key: string): string {
  const words = stationWords[language].lightKey;
  const { device, segment, channel } = lightKeyParts(key);
  const named = 'known' in device ? words[device.known] : fill(words.named, { name: device.name });
  if (segment !== undefined) return fill(words.segment, { device: named, segment });
  return channel !== undefined ? fill(words.channel, { device: named, channel }) : named;
}
