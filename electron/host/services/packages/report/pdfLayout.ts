// A small flowing-text layout over pdf-lib: headings, paragraphs wrapped to the page, key/value rows and tables,
// page breaks, and page footers written once the page count is known. Text is real text in embedded fonts
// (DejaVu Sans, shipped by the dejavu-fonts-ttf package: Latin, Greek, Cyrillic and Arabic in one face, so the
// report never depends on the machine's fonts). Right-to-left languages are laid out right-aligned, with the
// runs of a mixed line (Arabic words around a case number) put in visual order by the Unicode Bidirectional
// Algorithm (visualRuns); fontkit shapes each Arabic run.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { addSignaturePlaceholder, signPreparedPdf, type PdfSigner } from './pdfSignature.ts';
import fontkit from '@pdf-lib/fontkit';
import bidiFactory from 'bidi-js';
import { revealReorderingControls } from '../../../../contract/bidiControls.ts';

const require = createRequire(import.meta.url);
const fontDir = require.resolve('dejavu-fonts-ttf/package.json').replace(/package\.json$/, 'ttf/');

let fontBytes: Promise<[Buffer, Buffer]> | undefined;
function loadFonts(): Promise<[Buffer, Buffer]> {
  fontBytes ??= Promise.all([readFile(`${fontDir}DejaVuSans.ttf`), readFile(`${fontDir}DejaVuSans-Bold.ttf`)]);
  return fontBytes;
}

const pageSize: [number, number] = [595.28, 841.89]; // A4
const margin = 50;
const footerSpace = 30;

const rtlChar = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;
const bidi = bidiFactory();
/** Latin letters and digits with what joins them in a reference, date or figure ('LAB-2026-0142 / Q7', '2026-03-02 10:15'). */
const latinWithDigits =
  /[\p{Script=Latin}\p{Nd}](?:[\p{Script=Latin}\p{Nd}]|[-_/:.,+#](?=[\p{Script=Latin}\p{Nd}])|\s[/·]\s(?=[\p{Script=Latin}\p{Nd}])|\s(?=\p{Nd}))*/gu;
const bidiControls = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Splits a line into direction runs in display order, by the Unicode Bidirectional Algorithm (bidi-js: embedding
 * levels by rules W1–W7, N1–N2, I1–I2; runs reordered by rule L2): numbers and Latin lab references inside Arabic
 * keep their own order and place. A right-to-left run keeps its logical text (fontkit shapes an Arabic run and lays
 * it out right to left); a right-to-left run with no right-to-left letter (spaces, brackets, punctuation between two
 * numbers) is reversed here, its brackets mirrored (rule L4), as fontkit would lay it out left to right.
 */
/** A run as drawn: `text` in the order the font lays it out, `logical` what it says (for copying out of the PDF). */
export interface VisualRun {
  text: string;
  rtl: boolean;
  logical: string;
}

export function visualRuns(text: string, rtl: boolean): VisualRun[] {
  if (text === '') return [];
  // The text's own embeddings, overrides and isolates are spelled out ("report[RLO]gnp.exe"), as on the screens:
  // obeyed, they would silently reorder lab text ("reportexe.png"). Only the isolates added below reach the algorithm.
  text = revealReorderingControls(text);
  // In a right-to-left paragraph, a lab reference, date or figure is isolated (LRI…PDI) so that it keeps its own
  // order: by rule W2 alone, digits after an Arabic letter become Arabic numbers and a date's hyphens neutrals,
  // and "2026-03-02" would read "02-03-2026".
  const prepared = rtl
    ? text.replace(latinWithDigits, (token) => (/\p{Nd}/u.test(token) ? `\u2066${token}\u2069` : token))
    : text;
  const { levels } = bidi.getEmbeddingLevels(prepared, rtl ? 'rtl' : 'ltr');
  const runs: { start: number; end: number; level: number }[] = [];
  for (let i = 0; i < prepared.length; i++) {
    const last = runs[runs.length - 1];
    if (last && last.level === levels[i]) last.end = i + 1;
    else runs.push({ start: i, end: i + 1, level: levels[i]! });
  }
  // L2: from the highest level down to the lowest odd one, reverse every sequence of runs at that level or above.
  const highest = Math.max(...runs.map((r) => r.level));
  const lowestOdd = Math.min(...runs.map((r) => (r.level % 2 === 1 ? r.level : Infinity)));
  for (let level = highest; level >= lowestOdd; level--)
    for (let i = 0; i < runs.length;) {
      if (runs[i]!.level < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < runs.length && runs[j]!.level >= level) j++;
      runs.splice(i, j - i, ...runs.slice(i, j).reverse());
      i = j;
    }
  return runs.flatMap(({ start, end, level }): VisualRun[] => {
    // The isolates and marks are not drawn (rule X9: they are removed once the levels are known).
    const logical = prepared.slice(start, end).replace(bidiControls, '');
    if (logical === '') return [];
    if (level % 2 === 0) return [{ text: logical, rtl: false, logical }];
    // Rule L4: brackets and the like in a right-to-left run are drawn mirrored.
    const mirrored = [...logical].map((ch) => bidi.getMirroredCharacter(ch) ?? ch).join('');
    // fontkit lays an Arabic run out right to left itself; a run of neutrals alone it would not: reversed here.
    return [{ text: rtlChar.test(logical) ? mirrored : [...mirrored].reverse().join(''), rtl: true, logical }];
  });
}

/** The parts of pdf-lib's font embedder the ToUnicode fix below reaches (not in its public types). */
interface GlyphMapping {
  id: number;
  codePoints: number[];
}
interface UnicodeCmapEmbedder {
  glyphCache: { access(): GlyphMapping[] };
  embedUnicodeCmap(context: unknown): unknown;
}

/**
 * The ToUnicode map of a glyph standing for several right-to-left letters (the lam-alef ligature) lists them in
 * reverse. Text extractors (poppler's pdftotext, and readers alike) take a right-to-left line glyph by glyph from
 * the left, expand each glyph to its letters, then reverse the line to logical order: a glyph mapped to "لا" in
 * logical order came out "ال" ("سلام" copied as "سالم"). Mapped as alef then lam, it comes out right.
 */
function mapRtlLigaturesForExtraction(font: PDFFont): void {
  const embedder = (font as unknown as { embedder: UnicodeCmapEmbedder }).embedder;
  const embedUnicodeCmap = embedder.embedUnicodeCmap.bind(embedder);
  const rtlLigature = (glyph: GlyphMapping) =>
    glyph.codePoints.length > 1 && glyph.codePoints.every((cp) => rtlChar.test(String.fromCodePoint(cp)));
  embedder.embedUnicodeCmap = (context) => {
    const cache = embedder.glyphCache;
    const access = cache.access;
    cache.access = () =>
      access
        .call(cache)
        .map((glyph) =>
          rtlLigature(glyph)
            ? (Object.create(glyph, { codePoints: { value: [...glyph.codePoints].reverse() } }) as GlyphMapping)
            : glyph,
        );
    try {
      return embedUnicodeCmap(context);
    } finally {
      cache.access = access;
    }
  };
}

export interface TextStyle {
  size?: number;
  bold?: boolean;
  colour?: [number, number, number];
  /** Monospace-looking content (hashes) may break anywhere. */
  breakAnywhere?: boolean;
}

export class PdfLayout {
  readonly doc: PDFDocument;
  private readonly regular: PDFFont;
  private readonly bold: PDFFont;
  readonly rtl: boolean;
  private page!: PDFPage;
  private y = 0;
  readonly width = pageSize[0] - 2 * margin;

  private constructor(doc: PDFDocument, regular: PDFFont, bold: PDFFont, rtl: boolean) {
    this.doc = doc;
    this.regular = regular;
    this.bold = bold;
    this.rtl = rtl;
    this.newPage();
  }

  static async create(options: { rtl: boolean; title: string; language: string; createdAt: Date }) {
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    const [regularBytes, boldBytes] = await loadFonts();
    const regular = await doc.embedFont(regularBytes, { subset: true });
    const bold = await doc.embedFont(boldBytes, { subset: true });
    for (const font of [regular, bold]) mapRtlLigaturesForExtraction(font);
    doc.setTitle(options.title);
    doc.setLanguage(options.language);
    doc.setProducer('Casebench (pdf-lib)');
    doc.setCreator('Casebench');
    doc.setCreationDate(options.createdAt);
    doc.setModificationDate(options.createdAt);
    return new PdfLayout(doc, regular, bold, options.rtl);
  }

  newPage(): void {
    this.page = this.doc.addPage(pageSize);
    this.y = pageSize[1] - margin;
  }

  private font(style: TextStyle): PDFFont {
    return style.bold ? this.bold : this.regular;
  }

  /** Advance widths per character at size 1, per font: shaping a string with fontkit for every measurement
   * (wrapping measures each candidate line) was most of the report's time. */
  private readonly advances = new Map<PDFFont, Map<string, number>>();

  private measure(text: string, style: TextStyle): number {
    const font = this.font(style);
    const size = style.size ?? 10;
    // Right-to-left scripts change shape (and width) with their neighbours: those are measured shaped.
    if (rtlChar.test(text)) return font.widthOfTextAtSize(text, size);
    let widths = this.advances.get(font);
    if (!widths) this.advances.set(font, (widths = new Map()));
    let total = 0;
    for (const ch of text) {
      let width = widths.get(ch);
      if (width === undefined) widths.set(ch, (width = font.widthOfTextAtSize(ch, 1)));
      total += width;
    }
    return total * size;
  }

  /** Breaks text into lines that fit `width` (at spaces; a word longer than the line is cut). */
  private wrap(text: string, style: TextStyle, width: number): string[] {
    const lines: string[] = [];
    // Spelled out before measuring, so the line width counts the words drawn (visualRuns spells them out again: a no-op).
    for (const paragraph of revealReorderingControls(text).split('\n')) {
      const words = style.breakAnywhere ? [...paragraph] : paragraph.split(/(?<= )/);
      let line = '';
      for (const word of words) {
        const candidate = line + word;
        if (this.measure(candidate.trimEnd(), style) <= width || line === '') {
          if (this.measure(candidate.trimEnd(), style) > width && line === '') {
            // One word wider than the line: cut it by characters.
            let part = '';
            for (const ch of word) {
              if (this.measure(part + ch, style) > width && part) {
                lines.push(part);
                part = '';
              }
              part += ch;
            }
            line = part;
          } else line = candidate;
        } else {
          lines.push(line.trimEnd());
          line = word.trimStart();
        }
      }
      lines.push(line.trimEnd());
    }
    return lines;
  }

  private ensure(height: number): void {
    if (this.y - height < margin + footerSpace) this.newPage();
  }

  /** Draws one line inside [x, x + width], aligned to the start of the paragraph direction. */
  private drawLine(text: string, style: TextStyle, x: number, width: number): void {
    const size = style.size ?? 10;
    const font = this.font(style);
    const colour = rgb(...(style.colour ?? [0, 0, 0]));
    const runs = visualRuns(text, this.rtl);
    const widths = runs.map((r) => this.measure(r.text, style));
    const total = widths.reduce((n, w) => n + w, 0);
    let cursor = this.rtl ? x + width - total : x;
    runs.forEach((run, i) => {
      if (run.text.length === 0) return;
      this.page.drawText(run.text, { x: cursor, y: this.y - size, size, font, color: colour });
      cursor += widths[i];
    });
  }

  paragraph(text: string, style: TextStyle = {}, indent = 0): void {
    const size = style.size ?? 10;
    const lineHeight = size * 1.35;
    for (const line of this.wrap(text, style, this.width - indent)) {
      this.ensure(lineHeight);
      this.drawLine(line, style, this.rtl ? margin : margin + indent, this.width - indent);
      this.y -= lineHeight;
    }
  }

  heading(text: string, size = 13): void {
    this.ensure(size * 3);
    this.y -= size * 0.6;
    this.paragraph(text, { size, bold: true });
    this.y -= size * 0.2;
  }

  space(points: number): void {
    this.y -= points;
  }

  /** A table with fixed column fractions; each cell wraps; rows never split across pages. */
  table(columns: { title: string; fraction: number; breakAnywhere?: boolean }[], rows: string[][], size = 8.5): void {
    const lineHeight = size * 1.3;
    const widths = columns.map((c) => c.fraction * this.width);
    const drawRow = (cells: string[], bold: boolean) => {
      const wrapped = cells.map((cell, i) =>
        this.wrap(cell, { size, bold, breakAnywhere: columns[i].breakAnywhere }, widths[i] - 4),
      );
      const height = Math.max(...wrapped.map((w) => w.length)) * lineHeight + 2;
      this.ensure(height);
      let offset = 0;
      for (let i = 0; i < cells.length; i++) {
        const x = this.rtl ? margin + this.width - offset - widths[i] : margin + offset;
        const top = this.y;
        for (const line of wrapped[i]) {
          this.drawLine(line, { size, bold }, x + 2, widths[i] - 4);
          this.y -= lineHeight;
        }
        this.y = top;
        offset += widths[i];
      }
      this.y -= height;
      this.page.drawLine({
        start: { x: margin, y: this.y + 1 },
        end: { x: margin + this.width, y: this.y + 1 },
        thickness: 0.3,
        color: rgb(0.7, 0.7, 0.7),
      });
    };
    if (columns.some((c) => c.title))
      drawRow(
        columns.map((c) => c.title),
        true,
      );
    for (const row of rows) drawRow(row, false);
    this.y -= 4;
  }

  /** Label: value pairs, two columns. */
  fields(pairs: [string, string][]): void {
    this.table(
      [
        { title: '', fraction: 0.35 },
        { title: '', fraction: 0.65, breakAnywhere: false },
      ],
      pairs,
      9,
    );
  }

  /**
   * A picture (PNG bytes) scaled to fit `maxWidth` × `maxHeight` points, kept whole on one page, with a caption
   * under it. A picture the PDF library cannot read is replaced by the caption and `unreadable`.
   */
  async image(
    png: Uint8Array,
    options: { maxWidth?: number; maxHeight?: number; caption?: string; unreadable: string },
  ): Promise<void> {
    let embedded;
    try {
      embedded = await this.doc.embedPng(png);
    } catch {
      this.paragraph(`${options.caption ? `${options.caption} — ` : ''}${options.unreadable}`, { size: 8.5 });
      return;
    }
    const scale = Math.min(
      (options.maxWidth ?? this.width) / embedded.width,
      (options.maxHeight ?? 300) / embedded.height,
      1.5,
    );
    const width = embedded.width * scale;
    const height = embedded.height * scale;
    this.ensure(height + (options.caption ? 14 : 4));
    const x = this.rtl ? margin + this.width - width : margin;
    this.page.drawImage(embedded, { x, y: this.y - height, width, height });
    this.y -= height + 3;
    if (options.caption) this.paragraph(options.caption, { size: 8, colour: [0.3, 0.3, 0.3] });
    this.y -= 3;
  }

  /**
   * Writes the footer on every page (page numbers need the final count) and returns the PDF bytes, signed (PAdES)
   * when a signer is given.
   */
  async finish(footer: (page: number, pages: number) => string, signer?: PdfSigner): Promise<Uint8Array> {
    const pages = this.doc.getPages();
    pages.forEach((page, index) => {
      this.page = page;
      this.y = margin;
      this.drawLine(footer(index + 1, pages.length), { size: 7, colour: [0.35, 0.35, 0.35] }, margin, this.width);
    });
    if (!signer) return this.doc.save({ useObjectStreams: true });
    addSignaturePlaceholder(this.doc, signer);
    // Without object streams: the signature dictionary must be plain text in the file for its byte range.
    return signPreparedPdf(await this.doc.save({ useObjectStreams: false }), signer);
  }
}
