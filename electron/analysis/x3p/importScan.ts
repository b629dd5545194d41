// Import of scans made elsewhere: one entry point that recognises the file by its first bytes (not its
// name) and returns either a topography (X3P) or a 2D image (PNG, TIFF), each with what was corrected.
import { decodePng, type PngImage } from '../calibration/png.ts';
import { decodeTiff } from '../calibration/tiff.ts';
import { X3PError } from './errors.ts';
import { readX3P } from './read.ts';
import type { X3PReadOptions, X3PReadResult } from './types.ts';

export type ImportedScan =
  | { kind: 'topography'; format: 'x3p'; x3p: X3PReadResult; corrections: string[] }
  | { kind: 'image'; format: 'png' | 'tiff'; image: PngImage; corrections: string[] };

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

/** Throws X3PError (X3P problems) or RangeError (image problems) with a specific message; nothing partial is returned. */
export function importScan(bytes: Uint8Array, options: X3PReadOptions & { maxPixels?: number } = {}): ImportedScan {
  const format = detectScanFormat(bytes);
  switch (format) {
    case 'x3p': {
      const x3p = readX3P(bytes, options);
      return { kind: 'topography', format, x3p, corrections: x3p.corrections };
    }
    case 'png':
      return { kind: 'image', format, image: decodePng(bytes, options.maxPixels), corrections: [] };
    case 'tiff':
      return { kind: 'image', format, image: decodeTiff(bytes, options.maxPixels), corrections: [] };
    default:
      throw new X3PError('unsupported', 'not an X3P, PNG or TIFF file (unrecognised first bytes)');
  }
}
