// Import of scans made elsewhere: one entry point that recognises the file by its first bytes (not its
// name) and returns either a topography (X3P) or a 2D image (PNG, TIFF), each with what was corrected.
import { decodePng, type PngImage } from '../calibration/png.ts';
import { decodeTiff } from '../calibration/tiff.ts';
import type { FileKind } from '../../contract/errors.ts';
import { X3PError } from './errors.ts';
import { readX3P } from './read.ts';
import type { X3PReadOptions, X3PReadResult } from './types.ts';
import type { X3PCorrection } from '../../contract/acquisitions.ts';

export type ImportedScan =
  | { kind: 'topography'; format: 'x3p'; x3p: X3PReadResult; corrections: string[]; notes: X3PCorrection[] }
  | { kind: 'image'; format: 'png' | 'tiff'; image: PngImage; corrections: string[]; notes: X3PCorrection[] };

export function detectScanFormat(bytes: Uint8Array): 'x3p' | 'png' | 'tiff' | undefined {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)
    return 'x3p';
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return 'png';
  if (
    bytes.length >= 4 &&
    ((bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 42) ||
      (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[3] === 42))
  )
    return 'tiff';
  return undefined;
}

/** What the bytes of a file are, by their first bytes: named to a person whose file is refused or misnamed. */
export function sniffFileKind(bytes: Uint8Array): FileKind {
  const starts = (...signature: number[]) => signature.every((b, k) => bytes[k] === b);
  const format = detectScanFormat(bytes);
  if (format) return format;
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'gif';
  if (starts(0x42, 0x4d) && bytes.length >= 26) return 'bmp';
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'pdf';
  return looksLikeText(bytes.subarray(0, 4096)) ? 'text' : 'unknown';
}

/** Printable UTF-8 (or ASCII) with line breaks and tabs, and no NUL: a text file, not binary data. */
function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  for (const b of head) if (b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)) return false;
  return true;
}

const kindsByExtension: Record<string, FileKind> = {
  x3p: 'x3p',
  png: 'png',
  tif: 'tiff',
  tiff: 'tiff',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  gif: 'gif',
  bmp: 'bmp',
  pdf: 'pdf',
  txt: 'text',
};

/** What a file's name says it is (by its extension), or undefined when the name says nothing we know. */
export function kindOfName(fileName: string): FileKind | undefined {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? undefined : kindsByExtension[fileName.slice(dot + 1).toLowerCase()];
}

/** Throws X3PError (X3P problems) or RangeError (image problems) with a specific message; nothing partial is returned. */
export function importScan(bytes: Uint8Array, options: X3PReadOptions & { maxPixels?: number } = {}): ImportedScan {
  const format = detectScanFormat(bytes);
  switch (format) {
    case 'x3p': {
      const x3p = readX3P(bytes, options);
      return { kind: 'topography', format, x3p, corrections: x3p.corrections, notes: x3p.notes };
    }
    case 'png':
      return { kind: 'image', format, image: decodePng(bytes, options.maxPixels), corrections: [], notes: [] };
    case 'tiff':
      return { kind: 'image', format, image: decodeTiff(bytes, options.maxPixels), corrections: [], notes: [] };
    default:
      throw new X3PError('unsupported', 'not an X3P, PNG or TIFF file (unrecognised first bytes)');
  }
}
