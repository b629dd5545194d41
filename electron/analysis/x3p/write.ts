// Strict X3P writer: float64 (or float32) binary heights, valid.bin when points are missing, MD5 of every
// member, Record2 provenance always present, and Open-FMC forensic metadata as its own archive member.
import type { Surface } from '../surface.ts';
import { X3PError } from './errors.ts';
import { md5Hex } from './md5.ts';
import { openFmcMember, openFmcNamespace, openFmcXml } from './openfmc.ts';
import type { X3PForensic, X3PRecord2 } from './types.ts';
import { serializeXml, type XmlNode } from './xml.ts';
import { writeZip } from './zip.ts';

export interface X3PWriteOptions {
  record2: X3PRecord2;
  forensic?: X3PForensic;
  /** D = float64 (default, lossless for our surfaces), F = float32 (half the size). */
  dataType?: 'D' | 'F';
  /**
   * Deflate level of the binary members; default 0 (stored): float heights compress by a few per cent only,
   * at seconds of CPU for a 2048² surface. XML members are always deflated.
   */
  compression?: 0 | 1 | 6;
}

const strictDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** Shortest text that reads back as the same double. */
function num(value: number): string {
  return String(value);
}

function checkInput(surface: Surface, record2: X3PRecord2): void {
  const { width, height, dx, dy, z } = surface;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new X3PError('size', `surface size ${width} × ${height} is not a positive integer size`);
  if (z.length !== width * height)
    throw new X3PError(
      'size',
      `surface holds ${z.length} heights but ${width} × ${height} = ${width * height} are declared`,
    );
  if (!(dx > 0 && Number.isFinite(dx) && dy > 0 && Number.isFinite(dy)))
    throw new X3PError('size', `point spacing ${dx} × ${dy} m must be positive and finite`);
  for (const [field, value] of [
    ['date', record2.date],
    ['calibrationDate', record2.calibrationDate],
  ] as const) {
    if (!strictDateTime.test(value))
      throw new X3PError(
        'bad-xml',
        `record2.${field} "${value}" is not an xs:dateTime (YYYY-MM-DDThh:mm:ss[.s][zone])`,
      );
  }
}

function axis(name: string, axisType: 'I' | 'A', dataType: string, increment: number): XmlNode {
  return {
    name,
    children: [
      { name: 'AxisType', text: axisType },
      { name: 'DataType', text: dataType },
      { name: 'Increment', text: num(increment) },
      { name: 'Offset', text: '0' },
    ],
  };
}

export function writeX3P(surface: Surface, options: X3PWriteOptions): Uint8Array {
  const { record2, forensic } = options;
  checkInput(surface, record2);
  const dataType = options.dataType ?? 'D';
  const count = surface.width * surface.height;

  const data = new Uint8Array(count * (dataType === 'D' ? 8 : 4));
  const view = new DataView(data.buffer);
  const mask = new Uint8Array(Math.ceil(count / 8));
  let missing = 0;
  for (let i = 0; i < count; i++) {
    const v = surface.z[i];
    if (Number.isFinite(v)) mask[i >> 3] |= 1 << (i & 7);
    else missing++;
    const stored = Number.isFinite(v) ? v : NaN;
    if (dataType === 'D') view.setFloat64(i * 8, stored, true);
    else view.setFloat32(i * 4, stored, true);
  }
  if (missing === count)
    throw new X3PError('no-data', 'the surface has no valid point; refusing to write an empty X3P');

  const dataLink: XmlNode[] = [
    { name: 'PointDataLink', text: 'bindata/data.bin' },
    { name: 'MD5ChecksumPointData', text: md5Hex(data) },
  ];
  if (missing > 0) {
    dataLink.push(
      { name: 'ValidPointsLink', text: 'bindata/valid.bin' },
      { name: 'MD5ChecksumValidPoints', text: md5Hex(mask) },
    );
  }
  const instrument = record2.instrument;
  const record2Children: XmlNode[] = [
    { name: 'Date', text: record2.date },
    ...(record2.creator ? [{ name: 'Creator', text: record2.creator }] : []),
    {
      name: 'Instrument',
      children: [
        { name: 'Manufacturer', text: instrument.manufacturer },
        { name: 'Model', text: instrument.model },
        { name: 'Serial', text: instrument.serial },
        { name: 'Version', text: instrument.version },
      ],
    },
    { name: 'CalibrationDate', text: record2.calibrationDate },
    {
      name: 'ProbingSystem',
      children: [
        { name: 'Type', text: record2.probingSystem.type },
        { name: 'Identification', text: record2.probingSystem.identification },
      ],
    },
    ...(record2.comment ? [{ name: 'Comment', text: record2.comment }] : []),
  ];
  const document: XmlNode = {
    name: 'p:ISO5436_2',
    attributes: {
      'xmlns:p': 'http://www.opengps.eu/2008/ISO5436_2',
      'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      'xsi:schemaLocation': 'http://www.opengps.eu/2008/ISO5436_2 http://www.opengps.eu/2008/ISO5436_2/ISO5436_2.xsd',
    },
    children: [
      {
        name: 'Record1',
        children: [
          { name: 'Revision', text: 'ISO5436 - 2000' },
          { name: 'FeatureType', text: 'SUR' },
          {
            name: 'Axes',
            children: [
              axis('CX', 'I', 'D', surface.dx),
              axis('CY', 'I', 'D', surface.dy),
              axis('CZ', 'A', dataType, 1),
            ],
          },
          ...(forensic ? [{ name: 'VendorSpecificID', text: openFmcNamespace }] : []),
        ],
      },
      { name: 'Record2', children: record2Children },
      {
        name: 'Record3',
        children: [
          {
            name: 'MatrixDimension',
            children: [
              { name: 'SizeX', text: String(surface.width) },
              { name: 'SizeY', text: String(surface.height) },
              { name: 'SizeZ', text: '1' },
            ],
          },
          { name: 'DataLink', children: dataLink },
        ],
      },
      { name: 'Record4', children: [{ name: 'ChecksumFile', text: 'md5checksum.hex' }] },
    ],
  };
  const encoder = new TextEncoder();
  const mainXml = encoder.encode(`<?xml version="1.0" encoding="UTF-8"?>\n${serializeXml(document)}`);
  const binaryLevel = options.compression ?? 0;
  const members: [string, Uint8Array, 0 | 1 | 6][] = [
    ['main.xml', mainXml, 6],
    ['md5checksum.hex', encoder.encode(`${md5Hex(mainXml)} *main.xml\n`), 6],
    ['bindata/data.bin', data, binaryLevel],
  ];
  if (missing > 0) members.push(['bindata/valid.bin', mask, 6]);
  if (forensic)
    members.push([
      openFmcMember,
      encoder.encode(`<?xml version="1.0" encoding="UTF-8"?>\n${serializeXml(openFmcXml(forensic))}`),
      6,
    ]);
  return writeZip(members);
}
