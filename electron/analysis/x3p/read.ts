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
import { readZip } from './zip.ts';

export const defaultX3PLimits = {
  maxPoints: 64 * 1024 * 1024,
  maxMemberBytes: 1024 * 1024 * 1024,
  maxTotalBytes: 1536 * 1024 * 1024,
  /** main.xml larger than this is refused (an inline DataList builds one element per point). */
  maxXmlBytes: 128 * 1024 * 1024,
  /** Inline points beyond this must come as binary data: counted before the XML tree is built. */
  maxInlinePoints: 2 * 1024 * 1024,
};

function member(members: Map<string, Uint8Array>, name: string, corrections: string[]): Uint8Array | undefined {
  const exact = members.get(name);
  if (exact) return exact;
  const normalised = name.replace(/^\.\//, '').toLowerCase();
  for (const [candidate, data] of members) {
    if (candidate.replace(/^\.\//, '').toLowerCase() === normalised) {
      corrections.push(`archive member "${name}" found as "${candidate}"`);
      return data;
    }
  }
  return undefined;
}

function checkMd5(
  data: Uint8Array,
  expected: string | undefined,
  what: string,
  verify: boolean,
  corrections: string[],
): void {
  if (expected === undefined) {
    corrections.push(`${what}: no MD5 checksum given; not verified`);
    return;
  }
  const actual = md5Hex(data);
  if (actual === expected.toLowerCase()) return;
  const message = `${what}: MD5 mismatch (file says ${expected.toLowerCase()}, content is ${actual}); the file was altered or damaged`;
  if (verify) throw new X3PError('checksum', message);
  corrections.push(`${message} — accepted because checksum verification was turned off`);
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
  members: Map<string, Uint8Array>,
  record3: XmlElement,
  record1: X3PRecord1,
  dims: Dimensions,
  verify: boolean,
  corrections: string[],
) {
  const dataList = child(record3, 'DataList');
  if (dataList) return { points: decodeInline(dataList, record1, dims.count), source: 'inline' as const };
  const link = child(record3, 'DataLink');
  const dataName = textAt(link, 'PointDataLink');
  if (!dataName) throw new X3PError('bad-xml', 'main.xml: Record3 has neither DataList nor DataLink/PointDataLink');
  const data = member(members, dataName, corrections);
  if (!data) throw new X3PError('missing-member', `archive has no "${dataName}" (named by PointDataLink)`);
  const recordBytes = storedColumns(record1).reduce((n, c) => n + bytesPerType[c.def.dataType], 0);
  if (data.byteLength !== dims.count * recordBytes) {
    throw new X3PError(
      'size',
      `${dataName} holds ${data.byteLength} bytes but ${dims.count} points of ${recordBytes} bytes need ${dims.count * recordBytes}`,
    );
  }
  checkMd5(data, textAt(link, 'MD5ChecksumPointData'), dataName, verify, corrections);
  const points: DecodedPoints = decodeBinary(data, record1, dims.count);
  const validName = textAt(link, 'ValidPointsLink');
  if (validName) {
    const mask = member(members, validName, corrections);
    if (!mask) throw new X3PError('missing-member', `archive has no "${validName}" (named by ValidPointsLink)`);
    checkMd5(mask, textAt(link, 'MD5ChecksumValidPoints'), validName, verify, corrections);
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
    corrections.push(
      `point spacing ${surface.dx} × ${surface.dy} looks like micrometres; read as ${surface.dx * 1e-6} × ${surface.dy * 1e-6} m`,
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
    corrections.push(
      `height range ${(max - min).toPrecision(4)} on a ${surface.dx.toPrecision(3)} m grid looks like micrometres; heights scaled by 1e-6 to metres`,
    );
    for (let i = 0; i < surface.z.length; i++) surface.z[i] *= 1e-6;
  }
}

export function readX3P(bytes: Uint8Array, options: X3PReadOptions = {}): X3PReadResult {
  const verify = options.verifyChecksums ?? true;
  const maxPoints = options.maxPoints ?? defaultX3PLimits.maxPoints;
  const corrections: string[] = [];
  const members = readZip(bytes, {
    maxMemberBytes: options.maxMemberBytes ?? defaultX3PLimits.maxMemberBytes,
    maxTotalBytes: options.maxTotalBytes ?? defaultX3PLimits.maxTotalBytes,
    maxMembers: 64,
  });
  const mainBytes = member(members, 'main.xml', corrections);
  if (!mainBytes)
    throw new X3PError(
      'missing-member',
      `archive has no main.xml (members: ${[...members.keys()].join(', ') || 'none'})`,
    );
  if (mainBytes.byteLength > defaultX3PLimits.maxXmlBytes)
    throw new X3PError('limits', `main.xml is ${mainBytes.byteLength} bytes, above ${defaultX3PLimits.maxXmlBytes}`);
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
  const root = parseXml(mainText);
  if (root.name !== 'ISO5436_2')
    throw new X3PError('bad-xml', `main.xml: root element is <${root.name}>, expected <ISO5436_2>`);

  const checksumName = textAt(root, 'Record4', 'ChecksumFile') ?? 'md5checksum.hex';
  const checksumFile = member(members, checksumName, corrections);
  checkMd5(
    mainBytes,
    checksumFile ? parseChecksumFile(new TextDecoder().decode(checksumFile)) : undefined,
    'main.xml',
    verify,
    corrections,
  );

  const record1 = parseRecord1(root, corrections);
  const record2 = parseRecord2(root, corrections);
  const record3 = child(root, 'Record3');
  if (!record3) throw new X3PError('bad-xml', 'main.xml: Record3 (the data) is missing');
  const dims = readDimensions(record3, record1, maxPoints);
  const { points, source } = decodePoints(members, record3, record1, dims, verify, corrections);

  const { cx, cy } = record1.axes;
  const surface =
    dims.layout === 'matrix'
      ? matrixSurface(points, dims.width, dims.height, cx, cy, corrections)
      : pointListSurface(points, cx, cy, maxPoints);
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
  if (infinite > 0) corrections.push(`${infinite} points stored as infinity read as invalid (NaN)`);
  if (validPoints === 0)
    throw new X3PError('no-data', `the surface has no valid point (all ${surface.z.length} are NaN or masked)`);

  let forensic: X3PForensic | undefined;
  for (const [name, data] of members) {
    if (data === mainBytes || !name.toLowerCase().endsWith('.xml')) continue;
    const extension = findOpenFmc(parseXml(new TextDecoder().decode(data), name));
    if (extension) forensic = parseOpenFmc(extension, corrections);
  }
  const inline = findOpenFmc(root);
  if (!forensic && inline) {
    corrections.push('Open-FMC metadata found inside main.xml instead of its own archive member');
    forensic = parseOpenFmc(inline, corrections);
  }

  return { surface, record1, record2, forensic, corrections, layout: dims.layout, source, validPoints };
}

/** Reads a file with a size bound checked before the bytes are loaded. */
export async function readX3PFile(path: string, options: X3PReadOptions = {}): Promise<X3PReadResult> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const limit = options.maxTotalBytes ?? defaultX3PLimits.maxTotalBytes;
    if (size > limit) throw new X3PError('limits', `${path} is ${size} bytes, above the limit of ${limit}`);
    const bytes = new Uint8Array(size);
    await handle.read(bytes, 0, size, 0);
    return readX3P(bytes, options);
  } finally {
    await handle.close();
  }
}
