// The values an audit entry recorded, in words: each field labelled, each value formatted for reading (dates,
// numbers, yes/no, coded values in words, record ids as the lab's own references, digests shortened). The entry
// itself stays available whole, "as recorded", for anyone who needs every key; what is shown here is read from it,
// never instead of it. A field with no words yet (a new one another part of the station records) shows its key.
import type { TFunction } from 'i18next';
import {
  auditReferenceKeys,
  auditReferenceListKeys,
  type AuditEntry,
  type AuditReferenceType,
} from '../../../electron/contract/index.ts';
import { referenceText } from './auditWords.ts';
import { formatDate, formatDateTime, formatNumber } from '../../app/format.ts';
import { revealReorderingControls } from '../../../electron/contract/bidiControls.ts';

export interface DetailRow {
  key: string;
  /** The field in words; null when it has none (the key is then shown, as a code). */
  label: string | null;
  before: string | null;
  after: string | null;
}

type Values = Record<string, unknown>;
type Reference = AuditReferenceType;

/** Coded values and where their words are: the first key that exists wins. */
const codeWords: Record<string, string[]> = {
  status: ['caseStatus'],
  kind: ['itemKind', 'calibrationKind'],
  origin: ['vocab.origin'],
  primerMaterial: ['vocab.primerMaterial'],
  caseMaterial: ['vocab.caseMaterial'],
  firingPinShape: ['vocab.firingPinShape'],
  breechFaceClass: ['vocab.breechFaceClass'],
  firearmType: ['vocab.firearmType'],
  region: ['regionName'],
  regions: ['regionName'],
  role: ['roles', 'exam.accessRole'],
  conclusion: ['exam.afte'],
  state: ['exam.state', 'caseStatus'],
  source: ['acquisition.sourceName'],
};

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const digests = /\b[0-9a-f]{64}\b/gi;

/** The words for a key, or null when there are none (an empty default says so, whatever instance `t` is of). */
function known(t: TFunction, key: string): string | null {
  const text = t(key, { defaultValue: '' });
  return typeof text === 'string' && text !== '' ? text : null;
}

function fieldLabel(t: TFunction, key: string): string | null {
  return known(t, `auditField.${key}`) ?? known(t, `fields.${key}`);
}

function words(t: TFunction, key: string, code: string): string | null {
  for (const prefix of codeWords[key] ?? []) {
    const text = known(t, `${prefix}.${code}`);
    if (text !== null) return text;
  }
  return null;
}

/** Decimals as the size of a measured value deserves: 1234.5, 12.35, 0.0421. */
const decimalsFor = (value: number) => (Math.abs(value) >= 100 ? 1 : Math.abs(value) >= 1 ? 2 : 4);

/** How much of a nested value is shown: levels, entries of a list, characters of the whole. */
const deepest = 4;
const listShown = 8;
const longest = 600;

function reference(t: TFunction, entry: AuditEntry, type: Reference, id: number): string {
  const known = entry.references?.[`${type}:${id}`];
  if (known) return referenceText(t, known);
  // A network record the station no longer knows is still said to be one, with the number it goes by there.
  if (type === 'network_job' || type === 'lead' || type === 'hit_report')
    return t(`audit.value.networkUnknown.${type}`, { id });
  return t('audit.value.recordNo', { id });
}

/** One value for reading; `key` says what it is (an id, a coded value). Nested values in words, bounded in size. */
export function valueText(t: TFunction, entry: AuditEntry, key: string, value: unknown): string {
  const text = nestedText(t, entry, key, value, 0);
  return text.length > longest ? `${text.slice(0, longest - 1)}…` : text;
}

function nestedText(t: TFunction, entry: AuditEntry, key: string, value: unknown, depth: number): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return t(value ? 'audit.value.yes' : 'audit.value.no');
  // Ids name records (auditReferenceKeys; each entry of a list of ids, auditReferenceListKeys), at any depth.
  const referenceType =
    (auditReferenceKeys as Record<string, Reference>)[key] ??
    (auditReferenceListKeys as Record<string, Reference>)[key];
  if (typeof value === 'number') {
    if (referenceType) return reference(t, entry, referenceType, value);
    if (/Id$/.test(key)) return t('audit.value.recordNo', { id: value });
    return formatNumber(value, Number.isInteger(value) ? 0 : decimalsFor(value));
  }
  if (typeof value === 'string') {
    if (referenceType && /^\d+$/.test(value)) return reference(t, entry, referenceType, Number(value));
    if (isoDateTime.test(value)) return formatDateTime(value);
    if (isoDate.test(value)) return formatDate(value);
    // Digests, alone or inside a value ("topography 3f…"), shortened: the whole stays in the entry as recorded.
    const shortened = value.replace(digests, (d) => `${d.slice(0, 12)}…`);
    return words(t, key, shortened) ?? revealReorderingControls(shortened);
  }
  const nested = Array.isArray(value) ? value : typeof value === 'object' ? Object.entries(value as Values) : null;
  if (nested === null) return String(value);
  if (nested.length === 0) return t('audit.value.none');
  // Deeper than anyone reads in a table cell: counted; the entry as recorded has it whole.
  if (depth >= deepest) return t('audit.value.entries', { count: nested.length });
  const more = nested.length > listShown ? [t('audit.value.more', { count: nested.length - listShown })] : [];
  const shown = nested.slice(0, listShown);
  if (Array.isArray(value)) {
    // Entries that are records come out in brackets (below), so they read apart: "(…); (…)".
    const flat = value.every((v) => v === null || typeof v !== 'object');
    return [...shown.map((v) => nestedText(t, entry, key, v, depth + 1)), ...more].join(flat ? ', ' : '; ');
  }
  const fields = (shown as [string, unknown][]).map(
    // A key that is itself a code of what holds it (regions: { breech_face: … }) is worded as that code.
    ([k, v]) => `${fieldLabel(t, k) ?? words(t, key, k) ?? k} ${nestedText(t, entry, k, v, depth + 1)}`,
  );
  const text = [...fields, ...more].join(' · ');
  return depth === 0 ? text : `(${text})`;
}

/**
 * Before and after, field by field, in words. A creation has only "after", and its empty fields are left out (the
 * entry as recorded still has them).
 */
export function detailRows(t: TFunction, entry: AuditEntry): DetailRow[] {
  const empty = (v: unknown) => v === null || v === undefined || v === '';
  const keys = [...new Set([...Object.keys(entry.before ?? {}), ...Object.keys(entry.after ?? {})])].filter(
    (key) => entry.before || !empty(entry.after?.[key]),
  );
  return keys.map((key) => ({
    key,
    label: fieldLabel(t, key),
    before: entry.before && key in entry.before ? valueText(t, entry, key, entry.before[key]) : null,
    after: entry.after && key in entry.after ? valueText(t, entry, key, entry.after[key]) : null,
  }));
}
