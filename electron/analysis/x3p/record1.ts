// Record1 (axes) and Record2 (provenance) with the deviations found in files written by other tools.
import { X3PError } from './errors.ts';
import type { X3PAxis, X3PDataType, X3PRecord1, X3PRecord2 } from './types.ts';
import { child, path, textAt, type XmlElement } from './xml.ts';
import { correct } from './corrections.ts';

const dataTypes: readonly string[] = ['I', 'L', 'F', 'D'];
const strictDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

function parseNumber(text: string, where: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new X3PError('bad-xml', `main.xml: ${where} is not a number: "${text}"`);
  return value;
}

function parseAxis(axes: XmlElement, name: 'CX' | 'CY' | 'CZ', corrections: string[]): X3PAxis {
  const element = child(axes, name);
  if (!element) throw new X3PError('bad-xml', `main.xml: Record1/Axes/${name} is missing`);
  const axisType = textAt(element, 'AxisType');
  if (axisType !== 'I' && axisType !== 'A')
    throw new X3PError('bad-xml', `main.xml: ${name}/AxisType must be I or A, found "${axisType ?? ''}"`);
  const dataType = textAt(element, 'DataType') ?? (name === 'CZ' || axisType === 'A' ? undefined : 'D');
  if (dataType === undefined || !dataTypes.includes(dataType)) {
    throw new X3PError('bad-xml', `main.xml: ${name}/DataType must be one of I, L, F, D, found "${dataType ?? ''}"`);
  }
  const incrementText = textAt(element, 'Increment');
  if (axisType === 'I' && incrementText === undefined)
    throw new X3PError('bad-xml', `main.xml: incremental axis ${name} has no Increment`);
  const increment = incrementText === undefined ? 1 : parseNumber(incrementText, `${name}/Increment`);
  // A negative increment is legal: the axis runs the other way (the reader turns the matrix to match).
  if (increment === 0) throw new X3PError('bad-xml', `main.xml: ${name}/Increment must not be 0`);
  const offsetElement = child(element, 'Offset');
  let offset = 0;
  if (offsetElement) {
    if (offsetElement.text.trim() === '')
      correct(corrections, `${name}: empty <Offset/> read as 0`, 'empty_offset', { axis: name });
    else offset = parseNumber(offsetElement.text.trim(), `${name}/Offset`);
  }
  for (const extra of element.children) {
    if (!['AxisType', 'DataType', 'Increment', 'Offset'].includes(extra.name))
      correct(corrections, `${name}: ignored non-standard element <${extra.name}>`, 'extra_element', {
        name: extra.name,
      });
  }
  return { axisType, dataType: dataType as X3PDataType, increment, offset };
}

const rotationNames = ['r11', 'r12', 'r13', 'r21', 'r22', 'r23', 'r31', 'r32', 'r33'];

/** The Axes/Rotation matrix, row-major; identity when absent or unreadable (reported). */
function parseRotation(rotation: XmlElement, corrections: string[]): number[] | undefined {
  const values = rotationNames.map((name) => Number(textAt(rotation, name)));
  if (values.some((v) => !Number.isFinite(v))) {
    correct(corrections, 'Axes: the Rotation matrix is incomplete or not numeric; ignored', 'rotation_unreadable');
    return undefined;
  }
  const identity = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  return values.every((v, i) => Math.abs(v - identity[i]) < 1e-12) ? undefined : values;
}

export function parseRecord1(root: XmlElement, corrections: string[]): X3PRecord1 {
  const record1 = child(root, 'Record1');
  if (!record1) throw new X3PError('bad-xml', 'main.xml: Record1 is missing');
  const featureType = textAt(record1, 'FeatureType');
  if (featureType !== 'SUR' && featureType !== 'PRF' && featureType !== 'PCL') {
    throw new X3PError('bad-xml', `main.xml: FeatureType must be SUR, PRF or PCL, found "${featureType ?? ''}"`);
  }
  const axes = child(record1, 'Axes');
  if (!axes) throw new X3PError('bad-xml', 'main.xml: Record1/Axes is missing');
  let rotation: number[] | undefined;
  for (const extra of axes.children) {
    if (extra.name === 'Rotation') rotation = parseRotation(extra, corrections);
    else if (!['CX', 'CY', 'CZ'].includes(extra.name)) {
      correct(corrections, `Axes: ignored non-standard element <${extra.name}>`, 'extra_element', { name: extra.name });
    }
  }
  const revision = textAt(record1, 'Revision') ?? '';
  if (revision === '') correct(corrections, 'Record1: Revision missing', 'revision_missing');
  const result: X3PRecord1 = {
    revision,
    featureType,
    axes: {
      cx: parseAxis(axes, 'CX', corrections),
      cy: parseAxis(axes, 'CY', corrections),
      cz: parseAxis(axes, 'CZ', corrections),
    },
  };
  if (result.axes.cz.axisType !== 'A')
    throw new X3PError('bad-xml', 'main.xml: CZ must be an absolute axis (AxisType A)');
  const vendor = textAt(record1, 'VendorSpecificID');
  if (vendor) result.vendorSpecificId = vendor;
  if (rotation) result.rotation = rotation;
  return result;
}

/** Accepts dates without a time, or with a space instead of "T"; records what it changed. */
export function normaliseDate(raw: string | undefined, field: string, corrections: string[]): string {
  if (raw === undefined) {
    correct(corrections, `Record2: ${field} missing`, 'date_missing');
    return '';
  }
  if (strictDateTime.test(raw)) return raw;
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    correct(corrections, `Record2: ${field} "${raw}" has no time; read as ${raw}T00:00:00`, 'date_without_time', {
      date: raw,
    });
    return `${raw}T00:00:00`;
  }
  const spaced = raw.replace(' ', 'T');
  if (strictDateTime.test(spaced)) {
    correct(
      corrections,
      `Record2: ${field} "${raw}" uses a space instead of "T"; read as ${spaced}`,
      'date_with_space',
      { date: raw },
    );
    return spaced;
  }
  correct(corrections, `Record2: ${field} "${raw}" is not an xs:dateTime; kept as written`, 'date_unreadable', {
    date: raw,
  });
  return raw;
}

export function parseRecord2(root: XmlElement, corrections: string[]): X3PRecord2 | undefined {
  const record2 = child(root, 'Record2');
  if (!record2) return undefined;
  const probingType = textAt(record2, 'ProbingSystem', 'Type');
  const type =
    probingType === 'Contacting' || probingType === 'NonContacting' || probingType === 'Software'
      ? probingType
      : 'NonContacting';
  if (probingType !== type)
    correct(corrections, `Record2: ProbingSystem/Type "${probingType ?? ''}" read as NonContacting`, 'probing_type', {
      type: probingType ?? '',
    });
  return {
    date: normaliseDate(textAt(record2, 'Date'), 'Date', corrections),
    creator: textAt(record2, 'Creator'),
    instrument: {
      manufacturer: textAt(record2, 'Instrument', 'Manufacturer') ?? '',
      model: textAt(record2, 'Instrument', 'Model') ?? '',
      serial: textAt(record2, 'Instrument', 'Serial') ?? '',
      version: textAt(record2, 'Instrument', 'Version') ?? '',
    },
    calibrationDate: normaliseDate(textAt(record2, 'CalibrationDate'), 'CalibrationDate', corrections),
    probingSystem: { type, identification: textAt(record2, 'ProbingSystem', 'Identification') ?? '' },
    comment: path(record2, 'Comment')?.text.trim() || undefined,
  };
}
