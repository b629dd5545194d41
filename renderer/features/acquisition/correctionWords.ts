// What the X3P reader repaired in an imported scan, in the reader's language: the host stores each correction as a
// code with values (settings.correctionNotes) beside its English sentence (settings.corrections, for records and
// logs). An import made before the codes were stored keeps its English sentences (there is nothing else to show).
import type { TFunction } from 'i18next';
import { x3pCorrectionSchema, type AcquisitionDetail } from '../../../electron/contract/index.ts';
import { formatNumber } from '../../app/format.ts';

export function importCorrections(t: TFunction, detail: Pick<AcquisitionDetail, 'settings'>): string[] {
  const notes = detail.settings.correctionNotes;
  if (Array.isArray(notes)) {
    const parsed = notes.map((n) => x3pCorrectionSchema.safeParse(n));
    if (parsed.every((p) => p.success))
      return parsed.map(({ data }) => {
        const values = Object.fromEntries(
          Object.entries(data!.values ?? {}).map(([k, v]) => [
            k,
            typeof v === 'number' ? formatNumber(v, Number.isInteger(v) ? 0 : 2) : v,
          ]),
        );
        return t(`acquisition.correction.${data!.code}`, values);
      });
  }
  const english = detail.settings.corrections;
  return Array.isArray(english) ? english.filter((c): c is string => typeof c === 'string') : [];
}
