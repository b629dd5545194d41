// The hub's correlation notes: a code and values a station words in its language (protocol revision 4), and the
// English text older stations show and the operator's logs print. One table: every code of the contract has its
// English here (tsc checks), and a note is only ever made through hubNote.
import type { HubNoteCode } from '../../contract/network.ts';
import { maxCorrelationNoteLength, maxCorrelationNotes, type CorrelationNote } from '../protocol.ts';

type Values = Record<string, string | number>;

const english = {
  no_topography: () => 'the submission has no X3P topography: the analysis engine compares topographies only',
  query_unreadable: (v: { error: string }) => `the submission's X3P could not be analysed: ${v.error}`,
  candidates_without_topography: (v: { count: number }) =>
    `${v.count} candidate(s) without an X3P topography were not compared`,
  candidate_unreadable: (v: { candidate: string; error: string }) =>
    `candidate ${v.candidate} could not be analysed: ${v.error}`,
  candidate_not_compared: (v: { candidate: string; error: string }) =>
    `candidate ${v.candidate} could not be compared: ${v.error}`,
  candidate_missing_x3p: (v: { candidate: string; sha256?: string }) =>
    `candidate ${v.candidate} was left out: the artifact store does not hold its X3P${v.sha256 ? ` ${v.sha256}` : ''} ` +
    '(is the shared artifact volume mounted on every worker?)',
  features_unreadable: (v: { error: string }) => `the station's feature signature could not be read: ${v.error}`,
  features_other_topography: (v: { sha256: string }) =>
    `the station's feature signature is of another topography (${v.sha256})`,
  features_other_parameters: () =>
    "the station's feature signature was made with other parameters or another engine version than the hub's; it was not compared",
  features_differ: () =>
    "the station's feature signature differs from the hub's for the same topography: the station's analysis engine does not compute what the hub's does",
  date_range: (v: { from: string; to: string }) =>
    `only casings recovered between ${v.from} and ${v.to}, or undated, were screened (the correlation date range)`,
  unusable_signatures: (v: { count: number; calibre: string; region: string }) =>
    `${v.count} casing(s) of ${v.calibre} (${v.region.replace('_', ' ')}) from other labs have no usable screening signature (no X3P, unreadable, or not analysed yet) and were not screened`,
  more_notes: (v: { count: number }) => `and ${v.count} more notes (the hub keeps them all)`,
} satisfies Record<HubNoteCode, (values: never) => string>;

type English = typeof english;

/** A correlation note: its code, its values, and its English text. */
export function hubNote<C extends HubNoteCode>(
  code: C,
  ...values: Parameters<English[C]> extends [] ? [] : [Parameters<English[C]>[0]]
): CorrelationNote & { code: C } {
  const given = (values[0] ?? {}) as Values;
  return { code, values: given, text: (english[code] as (v: Values) => string)(given) };
}

/** A note as a store kept it: notes stored before codes were English text only. */
export function storedNote(stored: unknown): CorrelationNote {
  if (typeof stored === 'string') return { text: stored };
  const note = stored as CorrelationNote;
  return { text: String(note.text), ...(note.code ? { code: note.code, values: note.values ?? {} } : {}) };
}

/**
 * How a store keeps a correlation's notes: the English texts in `correlation_notes` (an array of strings, what every
 * release's front end reads and passes to stations whose schema takes strings only — a worker upgraded before the
 * front ends must not make stations refuse answers), and the notes whole (code, values, text; null for a note without a
 * code), in the same order, in `correlation_note_codes`, which only this release and later read. Both are JSON or null.
 */
export function notesToStore(notes: readonly CorrelationNote[]): { texts: string | null; codes: string | null } {
  if (notes.length === 0) return { texts: null, codes: null };
  const codes = notes.map((note) =>
    note.code ? { code: note.code, values: note.values ?? {}, text: note.text } : null,
  );
  return {
    texts: JSON.stringify(notes.map((note) => note.text)),
    codes: codes.some((code) => code !== null) ? JSON.stringify(codes) : null,
  };
}

/**
 * A correlation's notes read back from the two columns of notesToStore. Rows from before (texts only) and rows a
 * worker of an interim build wrote (note objects in the text column) read as well. A code joins the English note at
 * its place only when it was stored with that very text: a worker of an older release correlating the submission
 * again rewrites the texts and leaves the codes column as it was, and stale codes must not word its notes.
 */
export function notesFromStore(texts: readonly unknown[] | null, codes: readonly unknown[] | null): CorrelationNote[] {
  const notes = (texts ?? []).map(storedNote);
  if (!codes || codes.length !== notes.length) return notes;
  return notes.map((note, i) => {
    const coded = codes[i] as { code?: unknown; values?: unknown; text?: unknown } | null;
    if (!coded || typeof coded.code !== 'string' || coded.text !== note.text) return note;
    const values = coded.values !== null && typeof coded.values === 'object' ? coded.values : {};
    return { ...note, code: coded.code as CorrelationNote['code'], values: values as CorrelationNote['values'] };
  });
}

/**
 * A correlation's notes as the hub sends them: within what a station accepts. A hub may note more (one per casing left
 * out, and a store that lost files leaves out many): the first stay, the rest are counted in a last note, and a note
 * too long is cut — an answer over the bounds would be refused whole, and the station would never see its leads.
 */
export function notesForStations(notes: readonly CorrelationNote[]): CorrelationNote[] {
  const cutText = (text: string) =>
    text.length > maxCorrelationNoteLength ? `${text.slice(0, maxCorrelationNoteLength - 1)}…` : text;
  const cutValue = (value: string | number) => (typeof value === 'string' ? cutText(value) : value);
  const cut = (note: CorrelationNote): CorrelationNote => ({
    ...note,
    text: cutText(note.text),
    ...(note.values
      ? { values: Object.fromEntries(Object.entries(note.values).map(([k, v]) => [k, cutValue(v)])) }
      : {}),
  });
  if (notes.length <= maxCorrelationNotes) return notes.map(cut);
  const kept = notes.slice(0, maxCorrelationNotes - 1).map(cut);
  const more = notes.length - kept.length;
  return [...kept, hubNote('more_notes', { count: more })];
}
