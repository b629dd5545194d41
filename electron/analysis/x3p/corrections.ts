// The reader's corrections: each is an English sentence (kept in `corrections`, for records, logs and the CLI) and a
// typed note (code and values, in `notes`) the screen words in the user's language. The notes of a reading are kept
// beside its corrections array (registered by `noteCorrections`), so the functions that repair a file keep passing
// one `string[]` around.
import type { X3PCorrection, X3PCorrectionCode } from '../../contract/acquisitions.ts';

const notesOf = new WeakMap<string[], X3PCorrection[]>();

/** Starts collecting typed notes for `corrections`; returns the list they go into. */
export function noteCorrections(corrections: string[]): X3PCorrection[] {
  const notes: X3PCorrection[] = [];
  notesOf.set(corrections, notes);
  return notes;
}

/** Records one correction: its English sentence, and its note when notes are collected for this reading. */
export function correct(
  corrections: string[],
  english: string,
  code: X3PCorrectionCode,
  values?: Record<string, string | number>,
): void {
  corrections.push(english);
  notesOf.get(corrections)?.push(values ? { code, values } : { code });
}
