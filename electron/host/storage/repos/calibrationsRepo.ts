import type { Db } from '../database.ts';
import {
  calibrationProblemSchema,
  type CalibrationDetail,
  type CalibrationKind,
  type CalibrationProblem,
  type CalibrationSummary,
} from '../../../contract/acquisitions.ts';

// Calibration records: immutable (a new calibration is a new row). Results are kind-specific JSON that also
// carries `passed`, `problems` (codes the UI words) and `messages` (their English), so lists need not know each kind.

export interface NewCalibration {
  kind: CalibrationKind;
  rigProfile: string;
  deviceSerials: Record<string, string>;
  operatorId: number;
  performedAt: string;
  expiresAt: string;
  results: Record<string, unknown> & { passed: boolean; problems?: CalibrationProblem[]; messages: string[] };
  reportSha256: string | null;
}

type Row = Record<string, unknown>;

/** The stored problems as the contract has them; records made before problems were recorded have none. */
function problemsOf(stored: unknown): CalibrationProblem[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((p) => {
    const parsed = calibrationProblemSchema.safeParse(p);
    return parsed.success ? [parsed.data] : [];
  });
}

const columns = `c.reference, c.id, c.kind, c.rig_profile, c.device_serials, u.username AS operator, c.performed_at, c.expires_at, c.results, c.report_sha256`;

function detail(row: Row, now: Date): CalibrationDetail {
  const results = JSON.parse(row.results as string) as Record<string, unknown>;
  return {
    id: row.id as number,
    reference: row.reference as string,
    kind: row.kind as CalibrationKind,
    rigProfile: row.rig_profile as string,
    deviceSerials: JSON.parse(row.device_serials as string) as Record<string, string>,
    operator: (row.operator as string | null) ?? '?',
    performedAt: row.performed_at as string,
    expiresAt: row.expires_at as string,
    expired: Date.parse(row.expires_at as string) <= now.getTime(),
    passed: results.passed === true,
    messages: Array.isArray(results.messages) ? (results.messages as string[]) : [],
    problems: problemsOf(results.problems),
    reportSha256: (row.report_sha256 as string | null) ?? null,
    results,
  };
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The part of a record's results for one kind: nested in a suite, or the record's own results. */
function partOf(results: Dict, key: string): Dict | null {
  return isDict(results[key]) ? results[key] : null;
}

export function summaryOf(c: CalibrationDetail): CalibrationSummary {
  const { results, ...rest } = c;
  const scale = partOf(results, 'scale');
  const lightsPart = partOf(results, 'lights');
  const lights = lightsPart && isDict(lightsPart.lights) ? Object.keys(lightsPart.lights).length : null;
  const uniformity = partOf(results, 'uniformity');
  const nonUniformity = Array.isArray(uniformity?.channels)
    ? uniformity.channels
        .filter(isDict)
        .map((ch) => ch.nonUniformity)
        .filter((v): v is number => typeof v === 'number')
    : [];
  return {
    ...rest,
    headline: {
      umPerPixel: typeof scale?.umPerPixelX === 'number' ? scale.umPerPixelX : null,
      lights,
      worstNonUniformity: nonUniformity.length ? Math.max(...nonUniformity) : null,
    },
  };
}

export class CalibrationsRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  insert(c: NewCalibration): number {
    return Number(
      this.db
        .prepare(
          'INSERT INTO calibrations (kind, rig_profile, device_serials, operator_id, performed_at, expires_at, results, report_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          c.kind,
          c.rigProfile,
          JSON.stringify(c.deviceSerials),
          c.operatorId,
          c.performedAt,
          c.expiresAt,
          JSON.stringify(c.results),
          c.reportSha256,
        ).lastInsertRowid,
    );
  }

  get(id: number, now = new Date()): CalibrationDetail | undefined {
    const row = this.db
      .prepare(`SELECT ${columns} FROM calibrations c LEFT JOIN users u ON u.id = c.operator_id WHERE c.id = ?`)
      .get(id) as Row | undefined;
    return row ? detail(row, now) : undefined;
  }

  list(filter: { kind?: CalibrationKind; limit: number }, now = new Date()): CalibrationDetail[] {
    const rows = (
      filter.kind
        ? this.db
            .prepare(
              `SELECT ${columns} FROM calibrations c LEFT JOIN users u ON u.id = c.operator_id WHERE c.kind = ? ORDER BY c.performed_at DESC, c.id DESC LIMIT ?`,
            )
            .all(filter.kind, filter.limit)
        : this.db
            .prepare(
              `SELECT ${columns} FROM calibrations c LEFT JOIN users u ON u.id = c.operator_id ORDER BY c.performed_at DESC, c.id DESC LIMIT ?`,
            )
            .all(filter.limit)
    ) as Row[];
    return rows.map((r) => detail(r, now));
  }

  /** The most recent record of any of `kinds` for a rig profile (expired or not: the caller decides). */
  latest(rigProfile: string, kinds: CalibrationKind[], now = new Date()): CalibrationDetail | undefined {
    const row = this.db
      .prepare(
        `SELECT ${columns} FROM calibrations c LEFT JOIN users u ON u.id = c.operator_id
        WHERE c.rig_profile = ? AND c.kind IN (${kinds.map(() => '?').join(', ')}) ORDER BY c.performed_at DESC, c.id DESC LIMIT 1`,
      )
      .get(rigProfile, ...kinds) as Row | undefined;
    return row ? detail(row, now) : undefined;
  }
}
