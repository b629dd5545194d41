// Words the screens and the host's own documents (the PDF case report) both print: what each audit action and
// record type means, and the case statuses, in the station's four languages. One table, here in the contract
// because the renderer and the host may both import it (scripts/lint/layers.js) and neither may import the other:
// the renderer merges it into its i18n catalogue, the report reads it directly. French, Spanish and Arabic have the
// English type, so a word missing in one language does not compile; words.test.ts checks that every action code the
// host writes has words in all four.
import type { LanguageCode } from '../preferences.ts';
import { en, type StationWords } from './en.ts';
import { fr } from './fr.ts';
import { es } from './es.ts';
import { ar } from './ar.ts';

export type { StationWords } from './en.ts';

export const stationWords: Record<LanguageCode, StationWords> = { en, fr, es, ar };

/** An audit action code ('evidence.store') in words, or null when the table has none for it. */
export function auditActionWords(language: LanguageCode, action: string): string | null {
  const [group, verb, ...rest] = action.split('.');
  if (!group || !verb || rest.length) return null;
  const table = stationWords[language].auditAction as Record<string, Record<string, string> | undefined>;
  return (Object.hasOwn(table, group) && Object.hasOwn(table[group]!, verb) && table[group]![verb]) || null;
}

/** A kind of record an audit entry concerns ('acquisition') in words, or null when the table has none. */
export function auditEntityWords(language: LanguageCode, entityType: string): string | null {
  const table = stationWords[language].auditEntity as Record<string, string>;
  return (Object.hasOwn(table, entityType) && table[entityType]) || null;
}

/**
 * A calibration problem's figures as its words show them: pixels with 2 decimals (dot_residual, lens_distortion),
 * else percent of the 0..1 fraction with the check's own precision (2 decimals for repeatability, whole percent for
 * light_misfit, 1 otherwise). The screens and the report format the numbers each in the reader's way.
 */
export function calibrationProblemFigures(problem: { code: string; value?: number; limit?: number }): {
  value: number | null;
  limit: number | null;
  decimals: number;
} {
  const pixels = problem.code === 'dot_residual' || problem.code === 'lens_distortion';
  const scale = (v: number | undefined) => (v === undefined ? null : pixels ? v : v * 100);
  const decimals = pixels ? 2 : problem.code === 'repeatability' ? 2 : problem.code === 'light_misfit' ? 0 : 1;
  return { value: scale(problem.value), limit: scale(problem.limit), decimals };
}

/** Device labels of the usual rig profiles that say what the light is. */
const knownLightDevices: Record<string, 'ring' | 'coaxial'> = { ring: 'ring', coax: 'coaxial', coaxial: 'coaxial' };

/**
 * A light key ('ring/9', 'coax/A', 'spot') as the parts its words need (lightKey.*): the device as a known kind or
 * by its label, and the segment (a number) or channel of it, if any.
 */
export function lightKeyParts(key: string): {
  device: { known: 'ring' | 'coaxial' } | { name: string };
  segment?: string;
  channel?: string;
} {
  const slash = key.indexOf('/');
  const label = slash < 0 ? key : key.slice(0, slash);
  const part = slash < 0 ? '' : key.slice(slash + 1);
  const known = Object.hasOwn(knownLightDevices, label.toLowerCase())
    ? knownLightDevices[label.toLowerCase()]
    : undefined;
  const device = known ? { known } : { name: label };
  if (part === '') return { device };
  return /^\d+$/.test(part) ? { device, segment: part } : { device, channel: part };
}
