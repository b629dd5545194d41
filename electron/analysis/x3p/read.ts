// X3P (ISO 5436-2 / ISO 25178-72) reader: every layout of the openGPS samples, the usual deviations of
// files in the wild (each reported in `corrections`), and hostile input refused with bounded memory.
import { open } from 'node:fs/promises';
import type { Surface } from '../surface.ts';
import { X3PError } from './errors.ts';
import { matrixSurface, pointListSurface } from './grid.ts';
import { md5Hex, parseChecksumFile } from './md5.ts';
import { findOpenFmc, parseOpenFmc } from './openfmc.ts';
import {
  applyValidMask,
  bytesPerType,
  decodeBinary,
  decodeInline,
  storedColumns,
  type DecodedPoints,
} from './points.ts';
import { parseRecord1, parseRecord2 } from './record1.ts';
import type { X3PForensic, X3PReadOptions, X3PReadResult, X3PRecord1 } from './types.ts';
import { child, parseXml, textAt, type XmlElement } from './xml.ts';
import { openZip, type ZipArchive } from './zip.ts';
import { orientSurface, type StepMatrix } from './orientation.ts';
import { correct, noteCorrections } from './corrections.ts';

const MiB = 1024 * 1024;

/**
 * Bounds that keep one file, however hostile, well under 600 MB of memory (tested in a child process by
 * hostile.test.ts): every declared size is checked against them and against what main.xml says the data must
 * hold BEFORE anything is inflated or allocated.
 */
export const defaultX3PLimits = {
  /** 4096 × 4096: a 6.4 mm field at 1.5625 µm, beyond any breech face. */
  maxPoints: 16 * MiB,
  maxMemberBytes: 384 * MiB,
  maxTotalBytes: 384 * MiB,
  /** main.xml larger than this is refused (an inline DataList builds one element per point). */
  maxXmlBytes: 32 * MiB,
  /** Inline points beyond this must come as binary data: counted before the XML tree is built. */
  maxInlinePoints: 512 * 1024,
  /** Estimated bytes the read holds at once (file + inflated data + decoded coordinates); refused above. */
  maxReadBytes: 384 * MiB,
};

/** Members other than the point data and the mask (checksums, vendor XML) are small; a big one is refused unread. */
const maxSideMemberBytes = 4 * MiB;

/** Finds a member by name; leniently by case and a leading "./" (reported). */
function memberName(archive: ZipArchive, name: string, corrections: string[]): string | undefined {
  const names = archive.names();
  if (names.includes(name)) return name;
  const normalised = name.replace(/^\.\//, '').toLowerCase();
  const found = names.find((candidate) => candidate.replace(/^\.\//, '').toLowerCase() === normalised);
  if (found) correct(corrections, `archive member "${name}" found as "${found}"`, 'member_renamed', { name, found });
  return found;
}

function checkMd5(
  data: Uint8Array,
  expected: string | undefined,
  what: string,
  verify: boolean,
  corrections: string[],
): void {
  if (expected === undefined) {
    correct(corrections, `${what}: no MD5 checksum given; not verified`, 'no_checksum', { part: what });
    return;
  }
  const actual = md5Hex(data);
  if (actual === expected.toLowerCase()) return;
  const message = `${what}: MD5 mismatch (file says ${expected.toLowerCase()}, content is ${actual}); the file was altered or damaged`;
  if (verify) throw new X3PError('checksum', message);
  correct(corrections, `${message} — accepted because checksum verification was turned off`, 'checksum_ignored');
}

function positiveInt(text: string | undefined, where: string): number {
  const value = Number(text);
  if (text === undefined || !Number.isInteger(value) || value < 1)
    throw new X3PError('bad-xml', `main.xml: ${where} must be a positive integer, found "${text ?? ''}"`);
  return value;
}

interface Dimensions {
  layout: 'matrix' | 'point-list';
  width: number;
  height: number;
  count: number;
}

function readDimensions(record3: XmlElement, record1: X3PRecord1, maxPoints: number): Dimensions {
  const matrix = child(record3, 'MatrixDimension');
  if (matrix) {
    const width = positiveInt(textAt(matrix, 'SizeX'), 'MatrixDimension/SizeX');
    const height = positiveInt(textAt(matrix, 'SizeY'), 'MatrixDimension/SizeY');
    const layers = positiveInt(textAt(matrix, 'SizeZ') ?? '1', 'MatrixDimension/SizeZ');
    const count = width * height * layers;
    if (count > maxPoints)
      throw new X3PError(
        'limits',
        `main.xml: ${width} × ${height} × ${layers} points exceed the limit of ${maxPoints}`,
      );
    if (layers > 1)
      throw new X3PError(
        'unsupported',
        `main.xml: multi-layer surfaces (SizeZ = ${layers}) cannot become one height map`,
      );
    return { layout: 'matrix', width, height, count };
  }
  const list = textAt(record3, 'ListDimension');
  if (list === undefined)
    throw new X3PError('bad-xml', 'main.xml: Record3 has neither MatrixDimension nor ListDimension');
  const count = positiveInt(list, 'ListDimension');
  if (count > maxPoints) throw new X3PError('limits', `main.xml: ${count} points exceed the limit of ${maxPoints}`);
  if (record1.featureType === 'SUR' && record1.axes.cx.axisType === 'I' && record1.axes.cy.axisType === 'I') {
    throw new X3PError('bad-xml', 'main.xml: a list of points needs absolute x and y coordinates');
  }
  return { layout: 'point-list', width: count, height: 1, count };
}

function decodePoints(
  archive: ZipArchive,
  inputBytes: number,
  record3: XmlElement,
  record1: X3PRecord1,
  dims: Dimensions,
  options: { verify: boolean; maxReadBytes: number; maxPoints: number; input: Uint8Array },
  corrections: string[],
) {
  const dataList = child(record3, 'DataList');
  if (dataList) return { points: decodeInline(dataList, record1, dims.count), source: 'inline' as const };
  const link = child(record3, 'DataLink');
  const linked = textAt(link, 'PointDataLink');
  if (!linked) throw new X3PError('bad-xml', 'main.xml: Record3 has neither DataList nor DataLink/PointDataLink');
  const dataName = memberName(archive, linked, corrections);
  if (!dataName) throw new X3PError('missing-member', `archive has no "${linked}" (named by PointDataLink)`);
  const columns = storedColumns(record1);
  const recordBytes = columns.reduce((n, c) => n + bytesPerType[c.def.dataType], 0);
  // The header fixes the data size: a member declaring anything else is refused before it is inflated.
  const expected = dims.count * recordBytes;
  const declared = archive.declaredSize(dataName);
  if (declared !== expected) {
    throw new X3PError(
      'size',
      `${dataName} declares ${declared} bytes but ${dims.count} points of ${recordBytes} bytes need ${expected}`,
    );
  }
  const validLinked = textAt(link, 'ValidPointsLink');
  const validName = validLinked ? memberName(archive, validLinked, corrections) : undefined;
  if (validLinked && !validName)
    throw new X3PError('missing-member', `archive has no "${validLinked}" (named by ValidPointsLink)`);
  const maskBytes = Math.ceil(dims.count / 8);
  // Estimated peak: the file, the inflated data, one float64 array per stored coordinate, the mask; a point list
  // also sorts copies of x and y and fills a grid of up to 16 cells per point (bounded by maxPoints).
  let decoded = 8 * dims.count * columns.length;
  if (dims.layout === 'point-list')
    decoded += 16 * dims.count + 8 * Math.min(options.maxPoints, 16 * dims.count + 1024);
  const estimate = inputBytes + expected + decoded + (validName ? maskBytes : 0);
  if (estimate > options.maxReadBytes) {
    throw new X3PError(
      'limits',
      `${dims.count} points stored as ${columns.map((c) => c.def.dataType).join(';')} would need about ${Math.round(estimate / MiB)} MiB to read, above the limit of ${Math.round(options.maxReadBytes / MiB)} MiB`,
    );
  }
  const data = archive.read(dataName, expected);
  checkMd5(data, textAt(link, 'MD5ChecksumPointData'), dataName, options.verify, corrections);
  // An inflated member is this read's own buffer (a stored one is a view of the caller's bytes: never written to).
  const points: DecodedPoints = decodeBinary(data, record1, dims.count, data.buffer !== options.input.buffer);
  if (validName) {
    if (archive.declaredSize(validName) < maskBytes)
      throw new X3PError(
        'size',
        `bindata: ${validName} declares ${archive.declaredSize(validName)} bytes but ${dims.count} points need ${maskBytes}`,
      );
    // A few bytes of padding are tolerated; more is not a mask of these points.
    const mask = archive.read(validName, maskBytes + 4096);
    checkMd5(mask, textAt(link, 'MD5ChecksumValidPoints'), validName, options.verify, corrections);
    applyValidMask(points, mask);
  }
  return { points, source: 'binary' as const };
}

/**
 * Lengths written in micrometres instead of metres: no areal instrument has 5 cm point spacing or 1 cm of
 * relief on a sub-millimetre grid. Applied to matrix surfaces only (point lists are synthetic far too often).
 */
function repairUnits(surface: Surface, record1: X3PRecord1, corrections: string[]): void {
  if (surface.dx > 0.05 && surface.dy > 0.05 && record1.axes.cx.axisType === 'I') {
    correct(
      corrections,
      `point spacing ${surface.dx} × ${surface.dy} looks like micrometres; read as ${surface.dx * 1e-6} × ${surface.dy * 1e-6} m`,
      'spacing_micrometres',
    );
    surface.dx *= 1e-6;
    surface.dy *= 1e-6;
  }
  let min = Infinity;
  let max = -Infinity;
  for (const v of surface.z) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (surface.dx < 1e-3 && max - min > 1e-2) {
    correct(
      corrections,
      `height range ${(max - min).toPrecision(4)} on a ${surface.dx.toPrecision(3)} m grid looks like micrometres; heights scaled by 1e-6 to metres`,
      'heights_micrometres',
    );
    for (let i = 0; i < surface.z.length; i++) surface.z[i] *= 1e-6;
  }
}

export function readX3P(bytes: Uint8Array, options: X3PReadOptions = {}): X3PReadResult {
  const verify = options.verifyChecksums ?? true;
  const maxPoints = options.maxPoints ?? defaultX3PLimits.maxPoints;
  const maxReadBytes = options.maxReadBytes ?? defaultX3PLimits.maxReadBytes;
  const corrections: string[] = [];
  const notes = noteCorrections(corrections);
  if (bytes.byteLength > maxReadBytes)
    throw new X3PError('limits', `the file is ${bytes.byteLength} bytes, above the limit of ${maxReadBytes}`);
  const archive = openZip(bytes, {
    maxMemberBytes: options.maxMemberBytes ?? defaultX3PLimits.maxMemberBytes,
    maxTotalBytes: options.maxTotalBytes ?? defaultX3PLimits.maxTotalBytes,
    maxMembers: 64,
  });
  const mainName = memberName(archive, 'main.xml', corrections);
  if (!mainName)
    throw new X3PError('missing-member', `archive has no main.xml (members: ${archive.names().join(', ') || 'none'})`);
  const mainBytes = archive.read(mainName, defaultX3PLimits.maxXmlBytes);
  const mainText = new TextDecoder().decode(mainBytes);
  const maxInline = options.maxInlinePoints ?? defaultX3PLimits.maxInlinePoints;
  let datums = 0;
  for (let at = mainText.indexOf('<Datum'); at >= 0; at = mainText.indexOf('<Datum', at + 6)) {
    if (++datums > maxInline)
      throw new X3PError(
        'limits',
        `main.xml holds more than ${maxInline} inline points; files this large must store their data in bindata/`,
      );
  }
  // Elements other than the inline points are few (about a hundred in any X3P); the bound stops a flat flood.
  const root = parseXml(mainText, 'main.xml', { maxElements: datums + 100_000 });
  checkRoot(root, corrections);

  const checksumName = memberName(archive, textAt(root, 'Record4', 'ChecksumFile') ?? 'md5checksum.hex', corrections);
  checkMd5(
    mainBytes,
    checksumName
      ? parseChecksumFile(new TextDecoder().decode(archive.read(checksumName, maxSideMemberBytes)))
      : undefined,
    'main.xml',
    verify,
    corrections,
  );

  const record1 = parseRecord1(root, corrections);
  const record2 = parseRecord2(root, corrections);
  const record3 = child(root, 'Record3');
  if (!record3) throw new X3PError('bad-xml', 'main.xml: Record3 (the data) is missing');
  const dims = readDimensions(record3, record1, maxPoints);
  const { points, source } = decodePoints(
    archive,
    bytes.byteLength,
    record3,
    record1,
    dims,
    { verify, maxReadBytes, maxPoints, input: bytes },
    corrections,
  );

  const { cx, cy } = record1.axes;
  const stored =
    dims.layout === 'matrix'
      ? matrixSurface(points, dims.width, dims.height, cx, cy, corrections)
      : pointListGrid(pointListSurface(points, cx, cy, maxPoints));
  const surface = orientSurface(stored.surface, stored.steps, record1.rotation, corrections);
  if (options.units !== 'metres' && dims.layout === 'matrix') repairUnits(surface, record1, corrections);

  let validPoints = 0;
  let infinite = 0;
  for (let i = 0; i < surface.z.length; i++) {
    const v = surface.z[i];
    if (Number.isFinite(v)) validPoints++;
    else if (!Number.isNaN(v)) {
      // Some exporters (Alicona) mark unmeasured points with +Infinity instead of NaN or valid.bin.
      surface.z[i] = NaN;
      infinite++;
    }
  }
  if (infinite > 0)
    correct(corrections, `${infinite} points stored as infinity read as invalid (NaN)`, 'infinite_points', {
      count: infinite,
    });
  if (validPoints === 0)
    throw new X3PError('no-data', `the surface has no valid point (all ${surface.z.length} are NaN or masked)`);

  let forensic: X3PForensic | undefined;
  for (const name of archive.names()) {
    if (name === mainName || !name.toLowerCase().endsWith('.xml')) continue;
    const extension = findOpenFmc(parseXml(new TextDecoder().decode(archive.read(name, maxSideMemberBytes)), name));
    if (extension) forensic = parseOpenFmc(extension, corrections);
  }
  const inline = findOpenFmc(root);
  if (!forensic && inline) {
    correct(corrections, 'Open-FMC metadata found inside main.xml instead of its own archive member', 'openfmc_inline');
    forensic = parseOpenFmc(inline, corrections);
  }

  return { surface, record1, record2, forensic, corrections, notes, layout: dims.layout, source, validPoints };
}

/** A point list is placed on its grid with x and y increasing already. */
function pointListGrid(surface: Surface): { surface: Surface; steps: StepMatrix } {
  return {
    surface,
    steps: [
      [surface.dx, 0],
      [0, surface.dy],
    ],
  };
}

const iso5436Namespace = 'http://www.opengps.eu/2008/ISO5436_2';

/**
 * The root must be ISO5436_2 in the openGPS namespace. Files from published studies use <ISO5436> and no
 * namespace, with the same records inside: accepted, and said.
 */
function checkRoot(root: XmlElement, corrections: string[]): void {
  if (root.name !== 'ISO5436_2' && root.name !== 'ISO5436')
    throw new X3PError('bad-xml', `main.xml: root element is <${root.name}>, expected <ISO5436_2>`);
  const namespaces = Object.entries(root.attributes).filter(([k]) => k === 'xmlns' || k.startsWith('xmlns:'));
  const hasNamespace = namespaces.some(([, v]) => v.trim() === iso5436Namespace);
  if (root.name === 'ISO5436')
    correct(
      corrections,
      `main.xml: root element <${root.qualifiedName ?? root.name}>${hasNamespace ? '' : ' without namespace'} read as <ISO5436_2>`,
      'root_renamed',
    );
  else if (!hasNamespace)
    correct(
      corrections,
      `main.xml: root element <ISO5436_2> does not declare the namespace ${iso5436Namespace}; read as if it did`,
      'namespace_missing',
    );
}

/** Reads a file with a size bound checked before the bytes are loaded. */
export async function readX3PFile(path: string, options: X3PReadOptions = {}): Promise<X3PReadResult> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const limit = options.maxReadBytes ?? defaultX3PLimits.maxReadBytes;
    if (size > limit) throw new X3PError('limits', `${path} is ${size} bytes, above the limit of ${limit}`);
    const bytes = new Uint8Array(size);
    await handle.read(bytes, 0, size, 0);
    return readX3P(bytes, options);
  } finally {
    await handle.close();
  }
}
