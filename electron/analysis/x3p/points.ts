// Record3: the point data, inline (<DataList>) or binary (bindata/*.bin), decoded into one Float64Array
// per coordinate that the file actually stores. Incremental axes are not stored (they follow the index).
import { X3PError } from './errors.ts';
import type { X3PAxis, X3PDataType, X3PRecord1 } from './types.ts';
import type { XmlElement } from './xml.ts';

export const bytesPerType: Record<X3PDataType, number> = { I: 2, L: 4, F: 4, D: 8 };

/** The coordinates stored per point, in file order (x, y, z), with their axis definitions. */
export function storedColumns(record1: X3PRecord1): { axis: 'x' | 'y' | 'z'; def: X3PAxis }[] {
  const { cx, cy, cz } = record1.axes;
  const columns: { axis: 'x' | 'y' | 'z'; def: X3PAxis }[] = [];
  if (cx.axisType === 'A') columns.push({ axis: 'x', def: cx });
  if (cy.axisType === 'A') columns.push({ axis: 'y', def: cy });
  columns.push({ axis: 'z', def: cz });
  return columns;
}

/** Integer data is scaled by Increment; Offset applies to every type. */
function scale(def: X3PAxis): { factor: number; offset: number } {
  const isInteger = def.dataType === 'I' || def.dataType === 'L';
  return { factor: isInteger ? def.increment : 1, offset: def.offset };
}

export interface DecodedPoints {
  count: number;
  x?: Float64Array;
  y?: Float64Array;
  z: Float64Array;
}

function allocate(columns: ReturnType<typeof storedColumns>, count: number): DecodedPoints {
  const points: DecodedPoints = { count, z: new Float64Array(count) };
  for (const c of columns) if (c.axis !== 'z') points[c.axis] = new Float64Array(count);
  return points;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Decodes binary point data. `reusable` says the bytes are the caller's own copy (inflated for this read): plain
 * float64 heights are then used in place instead of copied, which halves the memory of reading a large scan.
 */
export function decodeBinary(data: Uint8Array, record1: X3PRecord1, count: number, reusable = false): DecodedPoints {
  const columns = storedColumns(record1);
  if (
    reusable &&
    littleEndian &&
    columns.length === 1 &&
    columns[0].def.dataType === 'D' &&
    data.byteOffset % 8 === 0 &&
    data.byteLength === count * 8
  ) {
    const z = new Float64Array(data.buffer, data.byteOffset, count);
    const { offset } = scale(columns[0].def);
    if (offset !== 0) for (let i = 0; i < count; i++) z[i] += offset;
    return { count, z };
  }
  const recordBytes = columns.reduce((n, c) => n + bytesPerType[c.def.dataType], 0);
  const expected = count * recordBytes;
  if (data.byteLength !== expected) {
    throw new X3PError(
      'size',
      `bindata: data.bin holds ${data.byteLength} bytes but ${count} points of ${recordBytes} bytes need ${expected}`,
    );
  }
  const points = allocate(columns, count);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let columnOffset = 0;
  for (const column of columns) {
    const target = points[column.axis]!;
    const { factor, offset } = scale(column.def);
    const size = bytesPerType[column.def.dataType];
    let at = columnOffset;
    switch (column.def.dataType) {
      case 'D':
        for (let i = 0; i < count; i++, at += recordBytes) target[i] = view.getFloat64(at, true) + offset;
        break;
      case 'F':
        for (let i = 0; i < count; i++, at += recordBytes) target[i] = view.getFloat32(at, true) + offset;
        break;
      case 'L':
        for (let i = 0; i < count; i++, at += recordBytes) target[i] = view.getInt32(at, true) * factor + offset;
        break;
      case 'I':
        for (let i = 0; i < count; i++, at += recordBytes) target[i] = view.getInt16(at, true) * factor + offset;
        break;
    }
    columnOffset += size;
  }
  return points;
}

export function decodeInline(dataList: XmlElement, record1: X3PRecord1, count: number): DecodedPoints {
  const columns = storedColumns(record1);
  const datums = dataList.children.filter((c) => c.name === 'Datum');
  if (datums.length !== count)
    throw new X3PError(
      'size',
      `main.xml: DataList has ${datums.length} Datum elements but the dimensions declare ${count} points`,
    );
  const points = allocate(columns, count);
  const scales = columns.map((c) => scale(c.def));
  for (let i = 0; i < count; i++) {
    const text = datums[i].text.trim();
    if (text === '') {
      // An empty <Datum/> marks a missing point.
      for (const c of columns) points[c.axis]![i] = NaN;
      continue;
    }
    const fields = text.split(';');
    if (fields.length !== columns.length) {
      throw new X3PError(
        'size',
        `main.xml: Datum ${i + 1} has ${fields.length} values but the axes declare ${columns.length} (${columns.map((c) => c.axis).join(';')})`,
      );
    }
    for (let k = 0; k < columns.length; k++) {
      const raw = fields[k].trim();
      const value = raw === '' ? NaN : Number(raw);
      if (raw !== '' && raw.toLowerCase() !== 'nan' && !Number.isFinite(value))
        throw new X3PError('bad-xml', `main.xml: Datum ${i + 1} value "${raw}" is not a number`);
      points[columns[k].axis]![i] = value * scales[k].factor + scales[k].offset;
    }
  }
  return points;
}

/** valid.bin: one bit per point, least significant bit first; 0 = invalid. */
export function applyValidMask(points: DecodedPoints, mask: Uint8Array): void {
  const needed = Math.ceil(points.count / 8);
  if (mask.byteLength < needed)
    throw new X3PError(
      'size',
      `bindata: valid.bin holds ${mask.byteLength} bytes but ${points.count} points need ${needed}`,
    );
  for (let i = 0; i < points.count; i++) {
    if ((mask[i >> 3] & (1 << (i & 7))) === 0) points.z[i] = NaN;
  }
}
