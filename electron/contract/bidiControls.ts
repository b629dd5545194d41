// Invisible direction controls in text people typed: found and spelled out, so "gnp.exe" behind a right-to-left
// override cannot read "exe.png" on screen or in the PDF report. Used by <UserText>, by every translated sentence
// (renderer/i18n/index.ts) and by the report layout (pdfLayout.ts), which lets only its own isolates reorder a line.

const controlNames: Record<string, string> = {
  '\u061c': 'ALM',
  '\u200e': 'LRM',
  '\u200f': 'RLM',
  '\u202a': 'LRE',
  '\u202b': 'RLE',
  '\u202c': 'PDF',
  '\u202d': 'LRO',
  '\u202e': 'RLO',
  '\u2066': 'LRI',
  '\u2067': 'RLI',
  '\u2068': 'FSI',
  '\u2069': 'PDI',
};
const controls = new RegExp(`[${Object.keys(controlNames).join('')}]`, 'gu');

export function hasBidiControls(text: string): boolean {
  controls.lastIndex = 0;
  return controls.test(text);
}

/** The text with each direction control replaced by its visible name, e.g. "report[RLO]exe.png". */
export function revealBidiControls(text: string): string {
  return text.replace(controls, (c) => `[${controlNames[c]}]`);
}

/** The names of the direction controls the text holds, each once, in the order they first appear ("RLO", "PDF"). */
export function bidiControlNames(text: string): string[] {
  return [...new Set(text.match(controls) ?? [])].map((c) => controlNames[c]!);
}

// The embeddings, overrides and isolates: what can reorder the text after them. (The marks LRM, RLM and ALM only
// steer the characters beside them; dates and numbers formatted for Arabic carry them and must keep them.)
const reordering = /[\u202a-\u202e\u2066-\u2069]/gu;

/**
 * A value placed into a translated sentence (i18n/index.ts): a reordering control spelled out, so an exhibit
 * "Q1-[RLO]gnp.exe" can neither disguise itself nor turn the rest of the sentence around ("… and LAB-1 / K1").
 */
export function revealReorderingControls(text: string): string {
  return text.replace(reordering, (c) => `[${controlNames[c]}]`);
}
