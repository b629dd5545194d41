// The headline figures of a calibration record, read from its kind-specific results (a whole-suite record nests
// scale, flatDark, lights and uniformity; a single-kind record holds its own object at the top). Unknown shapes
// give no figures; the raw results stay visible below them.
import { formatNumber } from '../../app/format.ts';

export interface FigureTable {
  group: 'scale' | 'flatDark' | 'lights' | 'uniformity';
  columns: string[];
  rows: Array<{ label: string; values: Array<string | number>; passed?: boolean }>;
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown, digits: number): string => formatNumber(typeof v === 'number' ? v : null, digits);
const pct = (v: unknown, digits = 2): string => formatNumber(typeof v === 'number' ? v * 100 : null, digits);

function part(results: Dict, key: string, kind: string, probe: string): Dict | null {
  if (isDict(results[key])) return results[key];
  return kind === key && probe in results ? results : null;
}

export function calibrationFigures(kind: string, results: Dict): FigureTable[] {
  const tables: FigureTable[] = [];
  const scale = part(results, 'scale', kind === 'scale' ? 'scale' : '', 'umPerPixelX');
  if (scale) {
    tables.push({
      group: 'scale',
      columns: ['umPerPixelX', 'umPerPixelY', 'rotationDeg', 'k1', 'cornerDistortionPx', 'rmsResidualPx', 'dots'],
      rows: [
        {
          label: '',
          values: [
            num(scale.umPerPixelX, 4),
            num(scale.umPerPixelY, 4),
            num(scale.rotationDeg, 4),
            num(scale.k1, 6),
            num(scale.cornerDistortionPx, 3),
            num(scale.rmsResidualPx, 4),
            num(scale.dots, 0),
          ],
          passed: scale.passed === undefined ? undefined : scale.passed === true,
        },
      ],
    });
  }
  const flat = part(results, 'flatDark', kind === 'flat_dark' ? 'flatDark' : '', 'channels');
  if (flat && Array.isArray(flat.channels)) {
    tables.push({
      group: 'flatDark',
      columns: ['levelDn', 'darkNoiseDn'],
      rows: flat.channels.filter(isDict).map((c) => ({
        label: String(c.key ?? c.channel ?? ''),
        values: [num(c.levelDn, 0), num(flat.darkNoiseDn, 2)],
      })),
    });
  }
  // A suite nests { lights: { lights: {...}, residuals } }; a lights record is { lights: {...}, residuals }.
  const lightsPart =
    [results.lights, results].find(
      (c): c is Dict =>
        isDict(c) && isDict(c.lights) && Object.values(c.lights).some((v) => isDict(v) && 'direction' in v),
    ) ?? null;
  const lights = lightsPart ? (lightsPart.lights as Dict) : null;
  if (lightsPart && lights) {
    const residuals = isDict(lightsPart.residuals) ? lightsPart.residuals : {};
    tables.push({
      group: 'lights',
      columns: ['azimuthDeg', 'elevationDeg', 'intensity', 'residual'],
      rows: Object.entries(lights)
        .filter(([, v]) => isDict(v))
        .map(([channel, v]) => {
          const d = (v as Dict).direction;
          const [x, y, z] = Array.isArray(d) && d.length === 3 ? (d as number[]) : [NaN, NaN, NaN];
          // Direction in the camera frame: azimuth counter-clockwise from +x, elevation above the image plane.
          const azimuth = ((Math.atan2(y!, x!) * 180) / Math.PI + 360) % 360;
          const elevation = (Math.asin(Math.max(-1, Math.min(1, z!))) * 180) / Math.PI;
          return {
            label: channel,
            values: [num(azimuth, 1), num(elevation, 1), num((v as Dict).intensity, 4), num(residuals[channel], 4)],
          };
        }),
    });
  }
  const uniformity = part(results, 'uniformity', kind, 'channels');
  if (uniformity && Array.isArray(uniformity.channels)) {
    tables.push({
      group: 'uniformity',
      columns: ['nonUniformityPct', 'repeatabilityPct', 'minRelative', 'maxRelative'],
      rows: uniformity.channels.filter(isDict).map((c) => ({
        label: String(c.channel ?? c.key ?? ''),
        values: [pct(c.nonUniformity), pct(c.repeatability, 4), num(c.minRelative, 3), num(c.maxRelative, 3)],
        passed: c.passed === undefined ? undefined : c.passed === true,
      })),
    });
  }
  return tables;
}

/** The parts of a record the report figure draws, each where the record has it (a suite has them all). */
export interface CalibrationParts {
  uniformity: {
    channels: Array<{ channel: string; nonUniformity: number; repeatability: number; passed: boolean }>;
    maxNonUniformity: number | null;
  } | null;
  lights: {
    lights: Array<{ channel: string; azimuthDeg: number; elevationDeg: number; residual: number | null }>;
    maxResidual: number | null;
  } | null;
  scale: {
    umPerPixelX: number;
    umPerPixelY: number;
    k1: number;
    cornerDistortionPx: number;
    rmsResidualPx: number;
    maxResidualPx: number | null;
    limits: { maxResidualPx: number; maxDistortionPx: number } | null;
  } | null;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function calibrationParts(kind: string, results: Dict): CalibrationParts {
  const u = part(results, 'uniformity', kind, 'channels');
  const uniformity =
    u && Array.isArray(u.channels)
      ? {
          channels: u.channels.filter(isDict).map((c) => ({
            channel: String(c.channel ?? c.key ?? ''),
            nonUniformity: finite(c.nonUniformity) ? c.nonUniformity : NaN,
            repeatability: finite(c.repeatability) ? c.repeatability : NaN,
            passed: c.passed === true,
          })),
          maxNonUniformity: isDict(u.limits) && finite(u.limits.maxNonUniformity) ? u.limits.maxNonUniformity : null,
        }
      : null;
  const lightsPart =
    [results.lights, results].find(
      (c): c is Dict =>
        isDict(c) && isDict(c.lights) && Object.values(c.lights).some((v) => isDict(v) && 'direction' in v),
    ) ?? null;
  const lights = lightsPart
    ? {
        lights: Object.entries(lightsPart.lights as Dict)
          .filter(([, v]) => isDict(v) && Array.isArray((v as Dict).direction))
          .map(([channel, v]) => {
            const [x, y, z] = (v as Dict).direction as number[];
            const residuals = isDict(lightsPart.residuals) ? lightsPart.residuals : {};
            return {
              channel,
              azimuthDeg: ((Math.atan2(y!, x!) * 180) / Math.PI + 360) % 360,
              elevationDeg: (Math.asin(Math.max(-1, Math.min(1, z!))) * 180) / Math.PI,
              residual: finite(residuals[channel]) ? residuals[channel] : null,
            };
          }),
        maxResidual: finite(lightsPart.maxResidual) ? lightsPart.maxResidual : null,
      }
    : null;
  const s = part(results, 'scale', kind === 'scale' ? 'scale' : '', 'umPerPixelX');
  const scale =
    s && finite(s.umPerPixelX) && finite(s.k1)
      ? {
          umPerPixelX: s.umPerPixelX,
          umPerPixelY: finite(s.umPerPixelY) ? s.umPerPixelY : s.umPerPixelX,
          k1: s.k1,
          cornerDistortionPx: finite(s.cornerDistortionPx) ? s.cornerDistortionPx : NaN,
          rmsResidualPx: finite(s.rmsResidualPx) ? s.rmsResidualPx : NaN,
          maxResidualPx: finite(s.maxResidualPx) ? s.maxResidualPx : null,
          limits:
            isDict(s.limits) && finite(s.limits.maxResidualPx) && finite(s.limits.maxDistortionPx)
              ? { maxResidualPx: s.limits.maxResidualPx, maxDistortionPx: s.limits.maxDistortionPx }
              : null,
        }
      : null;
  return { uniformity, lights, scale };
}
