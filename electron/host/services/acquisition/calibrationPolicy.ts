// How long a calibration stays valid: the lab's station setting when a manager has set one (calls
// calibrations.settings / calibrations.setValidity), else the host configuration's default (config
// `calibrationValidityDays`, `casebench calibrate --valid-days`), else 30 days. This class is the one place that
// decides; the calibration runner asks it when it records a new calibration. Existing records keep the expiry
// they were written with (they are write-once).
import { AppError } from '../../../contract/errors.ts';
import {
  calibrationValidityDaysSchema,
  type acquisitionsCalls,
  type CalibrationSettings,
} from '../../../contract/acquisitions.ts';
import type { CallHandlers } from '../../rpc/handlers.ts';
import type { Db } from '../../storage/database.ts';
import type { AuditRepo } from '../../storage/repos/auditRepo.ts';
import { StationSettingsRepo } from '../../storage/repos/stationSettingsRepo.ts';
import type { OperatorActor } from './acquisitionService.ts';

export const validityKey = 'calibration.validityDays';
export const fallbackValidityDays = 30;

export class CalibrationPolicy {
  private readonly db: Db;
  private readonly audit: AuditRepo;
  private readonly settings: StationSettingsRepo;
  private readonly defaultDays: number;
  private readonly now: () => Date;

  constructor(db: Db, audit: AuditRepo, options: { defaultDays?: number; now?: () => Date } = {}) {
    this.db = db;
    this.audit = audit;
    this.settings = new StationSettingsRepo(db);
    this.defaultDays = options.defaultDays ?? fallbackValidityDays;
    this.now = options.now ?? (() => new Date());
  }

  /** The validity period in force and where it comes from. */
  current(): CalibrationSettings {
    const stored = this.settings.get(validityKey);
    if (!stored) return { validityDays: this.defaultDays, source: 'default' };
    const parsed = calibrationValidityDaysSchema.safeParse(stored.value);
    // Only setValidity writes this row, validated; anything else is a damaged database, said loudly.
    if (!parsed.success)
      throw new AppError(
        'internal',
        `the station setting ${validityKey} holds ${JSON.stringify(stored.value)}, not a number of days 1–3650`,
      );
    return { validityDays: parsed.data, source: 'station' };
  }

  /** When a calibration performed at `performedAt` expires under the period in force. */
  expiresAt(performedAt: Date): Date {
    return new Date(performedAt.getTime() + this.current().validityDays * 86_400_000);
  }

  setValidity(actor: OperatorActor, validityDays: number, reason: string): CalibrationSettings {
    const days = calibrationValidityDaysSchema.safeParse(validityDays);
    if (!days.success)
      throw new AppError(
        'invalid_input',
        `calibration validity must be a whole number of days 1–3650, got ${validityDays}`,
      );
    const at = this.now().toISOString();
    this.db.transaction(() => {
      const before = this.current();
      this.settings.set(validityKey, days.data, at, actor.userId);
      this.audit.append(
        actor,
        {
          action: 'calibration.validity',
          entityType: 'station_setting',
          entityId: validityKey,
          before: { ...before },
          after: { validityDays: days.data, source: 'station' },
          reason,
        },
        at,
      );
    })();
    return this.current();
  }

  handlers(): Pick<CallHandlers<typeof acquisitionsCalls>, 'calibrations.settings' | 'calibrations.setValidity'> {
    return {
      'calibrations.settings': () => this.current(),
      'calibrations.setValidity': (input, ctx) =>
        this.setValidity(
          { userId: ctx.session!.user.id, username: ctx.session!.user.username },
          input.validityDays,
          input.reason,
        ),
    };
  }
}
