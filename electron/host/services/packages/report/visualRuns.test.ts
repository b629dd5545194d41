// Mixed Arabic and Latin lines in display order (Unicode Bidirectional Algorithm via bidi-js, with lab references,
// dates and figures isolated so that they keep their own order inside Arabic).
import { describe, expect, it } from 'vitest';
import { visualRuns } from './pdfLayout.ts';

const shown = (text: string, rtl = true) => visualRuns(text, rtl).map((r) => [r.text, r.rtl]);

describe('lines in display order', () => {
  it('keeps a lab reference, a date and a time in their own order inside Arabic, after an Arabic letter', () => {
    // Rule W2 alone would make the digits Arabic numbers and the hyphens neutral: "02-03-2026".
    expect(shown('أُجريت في 2026-03-02 10:15')).toEqual([
      ['2026-03-02 10:15', false],
      ['أُجريت في ', true],
    ]);
    expect(shown('قضية LAB-2026-0142 / Q7 مفتوحة')).toEqual([
      [' مفتوحة', true],
      ['LAB-2026-0142 / Q7', false],
      ['قضية ', true],
    ]);
  });

  it('mirrors brackets in right-to-left runs and reverses a run of neutrals alone', () => {
    // "(الحد 3)": the opening bracket is drawn as ")" at the run's right end (fontkit lays the Arabic run out).
    expect(shown('المعايرة (الحد 3)')).toEqual([
      ['(', true],
      ['3', false],
      ['المعايرة )الحد ', true],
    ]);
    // Displayed "(3) 12": the neutrals between two numbers take the paragraph's direction.
    expect(shown('12 (3)')).toEqual([
      ['(', true],
      ['3', false],
      [') ', true],
      ['12', false],
    ]);
  });

  it('leaves a left-to-right line as it is, and draws no isolates or marks', () => {
    expect(shown('Calibration CAL-2026-0003 (scale)', false)).toEqual([['Calibration CAL-2026-0003 (scale)', false]]);
    expect(
      visualRuns('\u2067Q7\u2069 مفتوحة', true)
        .map((r) => r.text)
        .join(''),
    ).not.toMatch(/[\u2066-\u2069]/);
    expect(visualRuns('', true)).toEqual([]);
  });

  it("spells out the text's own embeddings, overrides and isolates instead of obeying them", () => {
    // Obeyed, the override drew "reportexe.png".
    expect(shown('Exhibit file: report\u202Egnp.exe', false)).toEqual([['Exhibit file: report[RLO]gnp.exe', false]]);
    expect(shown('\u202Bab\u202C \u2067cd\u2069 \u202Def\u202C', false)).toEqual([
      ['[RLE]ab[PDF] [RLI]cd[PDI] [LRO]ef[PDF]', false],
    ]);
    // In Arabic the file name keeps its order too, and no control reaches the page.
    const runs = visualRuns('ملف report\u202Egnp.exe', true);
    expect(runs.map((r) => r.logical).join('|')).toContain('report[RLO]gnp.exe');
    expect(runs.map((r) => r.text).join('')).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });
});
