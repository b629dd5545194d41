// Capture and calibration on the rig, with storage: leases the rig, runs the capture runner per region or
// the calibration runner, writes originals (16-bit PNG) and the topography (X3P with Open-FMC metadata) into
// the evidence store, and records everything in ONE final transaction. A cancel, a lost device, a full disk
// or a crash before that transaction leaves no acquisition row (evidence files written so far are
// content-addressed and harmless); the audit records the start and how it ended.
import { AppError, isAppError, notFound } from '../../../contract/errors.ts';
import type { Session } from '../../../contract/auth.ts';
import type {
  AcquisitionDetail,
  acquisitionsCalls,
  CalibrationDetail,
  CalibrationSummary,
  CaptureBlock,
  CaptureProgressView,
  CaptureStep,
} from '../../../contract/acquisitions.ts';
import { isDeviceError } from '../../../../native/devices/errors.ts';
import type { RigProfile } from '../../../../native/rig/profile.ts';
import { encodePng } from '../../../analysis/calibration/png.ts';
import { calibrationProblem, checkCalibration, type QualityCheck } from '../../../analysis/quality/index.ts';
import { writeX3P, X3PError, type X3PForensic } from '../../../analysis/x3p/index.ts';
import type { CallHandlers } from '../../rpc/handlers.ts';
import { CasesRepo } from '../../storage/repos/casesRepo.ts';
import { summaryOf } from '../../storage/repos/calibrationsRepo.ts';
import type { AuditRepo } from '../../storage/repos/auditRepo.ts';
import type { Db } from '../../storage/database.ts';
import type { EvidenceStore } from '../evidenceStore.ts';
import type { AcquisitionService, OperatorActor, StoredAcquisitionFile } from './acquisitionService.ts';
import {
  decodeGain,
  runVirtualCalibrationInWorker,
  type CalibrationProgress,
  type CalibrationRunKind,
} from './calibrationRunner.ts';
import {
  captureRegion,
  prepareRig,
  yieldToEventLoop,
  type CaptureCalibration,
  type CaptureRegion,
  type RegionCapture,
} from './captureRunner.ts';
import { deviceIdentities, deviceSerials, type RigAccess } from './rigAccess.ts';
import { DemoSpecimens } from './demoSpecimens.ts';
import type { CalibrationPolicy } from './calibrationPolicy.ts';
import { startPhotometricWorker } from './photometricWorker.ts';
import { Listeners } from '../../../base/listeners.ts';
import type { Log } from '../../../base/log.ts';
import { CalibrationError } from '../../../analysis/calibration/errors.ts';

export interface CaptureServiceOptions {
  rig: RigAccess;
  /** Days a calibration stays valid when the station has no setting of its own (host config); default 30. */
  calibrationValidityDays?: number;
  /** Decides the expiry of new calibration records (station setting, else the default above). */
  policy: CalibrationPolicy;
  now?: () => Date;
  version?: string;
  /** Where a failing listener is reported (the host's log). */
  log?: Log;
}

type CaptureProgress = (fraction: number, step: CaptureStep) => void;
type Component = 'scale' | 'flatDark' | 'lights';
const componentKinds: Record<Component, 'scale' | 'flat_dark' | 'lights'> = {
  scale: 'scale',
  flatDark: 'flat_dark',
  lights: 'lights',
};
const regionOfInterest: Record<CaptureRegion, X3PForensic['regionOfInterest']> = {
  breech_face: 'breech-face',
  firing_pin: 'firing-pin',
  ejector_mark: 'ejector',
};

/**
 * Device errors, aborts and bad frames as contract errors the UI can put in words. `callerSignal` is the
 * caller's own: an abort it did not ask for (the rig service's lease aborting on an unplug) is a device fault.
 */
export function asAppError(error: unknown, callerSignal?: AbortSignal, leaseSignal?: AbortSignal): AppError {
  if (isAppError(error)) return error;
  if (callerSignal?.aborted) return new AppError('canceled', 'canceled');
  const aborted = (error as Error)?.name === 'AbortError' || isDeviceError(error, 'aborted');
  if (aborted && leaseSignal?.aborted)
    return new AppError(
      'device',
      `the rig stopped the capture: ${String((leaseSignal.reason as Error)?.message ?? leaseSignal.reason)}`,
    );
  if (aborted) return new AppError('canceled', 'canceled');
  if (isDeviceError(error))
    return new AppError('device', error.message, { device: error.device, deviceCode: error.code });
  if (error instanceof CalibrationError)
    return new AppError('invalid_input', error.message, {
      reason: 'calibration_failed',
      failure: error.failure,
      ...error.figures,
    });
  if (error instanceof RangeError || error instanceof X3PError) return new AppError('invalid_input', error.message);
  if ((error as NodeJS.ErrnoException)?.code === 'ENOSPC') return new AppError('storage', 'the disk is full');
  return new AppError('internal', (error as Error)?.message ?? String(error));
}

/**
 * Capture refused for want of a usable calibration: the English sentences for the logs, and the same reasons as
 * data (`blocks`, as capture.readiness gives them) for the screen to word in the user's language.
 */
function captureBlocked(resolved: { problems: string[]; blocks: CaptureBlock[] }): AppError {
  return new AppError('conflict', `capture is blocked: ${resolved.problems.join('; ')}`, {
    reason: 'capture_blocked',
    blocks: resolved.blocks,
  });
}

export class CaptureService {
  private readonly acquisitions: AcquisitionService;
  private readonly db: Db;
  private readonly audit: AuditRepo;
  private readonly evidence: EvidenceStore;
  private readonly cases: CasesRepo;
  private readonly options: CaptureServiceOptions;
  readonly demoSpecimens: DemoSpecimens;
  private readonly progressListeners = new Listeners<CaptureProgressView>((error) =>
    this.options.log?.('error', 'a capture progress listener failed', { error: String(error) }),
  );

  constructor(
    db: Db,
    audit: AuditRepo,
    evidence: EvidenceStore,
    acquisitions: AcquisitionService,
    options: CaptureServiceOptions,
  ) {
    this.db = db;
    this.audit = audit;
    this.evidence = evidence;
    this.acquisitions = acquisitions;
    this.cases = new CasesRepo(db);
    this.options = options;
    this.demoSpecimens = new DemoSpecimens(db, audit, options.rig);
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  onProgress(listener: (p: CaptureProgressView) => void): () => void {
    return this.progressListeners.add(listener);
  }

  // ---- calibrations ------------------------------------------------------------------------------

  /** The calibration records capture would use, per component, or the reasons it cannot (sentences and data). */
  private resolveCalibration(
    profile: RigProfile,
    serials?: Record<string, string>,
  ): { records: Partial<Record<Component, CalibrationDetail>>; problems: string[]; blocks: CaptureBlock[] } {
    const records: Partial<Record<Component, CalibrationDetail>> = {};
    const problems: string[] = [];
    const blocks: CaptureBlock[] = [];
    const now = this.now();
    for (const component of Object.keys(componentKinds) as Component[]) {
      const record = this.acquisitions.calibrations.latest(profile.name, [componentKinds[component], 'suite'], now);
      if (!record) {
        problems.push(
          `no ${componentKinds[component].replace('_', '/')} calibration on record for rig "${profile.name}"; run the calibration first`,
        );
        blocks.push({ kind: 'no_calibration', calibrationKind: componentKinds[component] });
        continue;
      }
      records[component] = record;
      const name = `calibration ${record.reference} (${record.kind}, ${record.performedAt.slice(0, 10)})`;
      if (!record.passed) {
        problems.push(`${name} did not pass: ${record.messages.join('; ')}`);
        blocks.push({ kind: 'calibration_failed', calibrationId: record.id, reference: record.reference });
      }
      const stamp = {
        id: String(record.id),
        performedAt: record.performedAt,
        rigProfile: record.rigProfile,
        deviceSerials: record.deviceSerials,
        expiresAt: record.expiresAt,
      };
      const current = { rigProfile: profile.name, deviceSerials: serials ?? record.deviceSerials, now };
      const check = checkCalibration(stamp, current);
      if (!check.passed) problems.push(check.message.replace(`calibration ${record.id}`, name));
      const problem = calibrationProblem(stamp, current);
      const named = { calibrationId: record.id, reference: record.reference };
      if (problem?.kind === 'expired' || problem?.kind === 'unreadable_expiry')
        blocks.push({ kind: 'calibration_expired', ...named, expiresAt: problem.expiresAt });
      else if (problem?.kind === 'other_rig')
        blocks.push({ kind: 'calibration_other_rig', ...named, rigProfile: problem.rigProfile });
      else if (problem?.kind === 'devices_changed')
        blocks.push({ kind: 'calibration_devices_changed', ...named, devices: problem.devices });
    }
    const distinct = [...new Map(blocks.map((b) => [JSON.stringify(b), b])).values()];
    return { records, problems: [...new Set(problems)], blocks: distinct };
  }

  async readiness(): Promise<{
    ready: boolean;
    rigProfile: string | null;
    calibration: CalibrationSummary | null;
    problems: string[];
    blocks: CaptureBlock[];
  }> {
    let profile: RigProfile;
    try {
      profile = await this.options.rig.profile();
    } catch (error) {
      // No rig is a state to show, not a failure of the question.
      if (isAppError(error, 'unavailable'))
        return {
          ready: false,
          rigProfile: null,
          calibration: null,
          problems: [error.message],
          blocks: [{ kind: 'no_rig', said: error.message }],
        };
      throw error;
    }
    const { records, problems, blocks } = this.resolveCalibration(profile);
    return {
      ready: problems.length === 0,
      rigProfile: profile.name,
      calibration: records.lights ? summaryOf(records.lights) : null,
      problems,
      blocks,
    };
  }

  async runCalibration(
    actor: OperatorActor,
    kind: CalibrationRunKind,
    progress: CalibrationProgress,
    signal: AbortSignal,
  ): Promise<CalibrationDetail> {
    const lease = await this.options.rig.acquire(`calibration by ${actor.username}`, signal);
    try {
      if (!lease.demo)
        throw new AppError(
          'unavailable',
          "calibrating a physical rig needs its physical targets imaged through the camera; only the demo rig's virtual targets are supported",
        );
      const serials = deviceSerials(deviceIdentities(lease.rig));
      // The lease's signal aborts when the rig stops or loses a device: the run stops instead of finishing unseen.
      const runSignal = lease.signal ? AbortSignal.any([signal, lease.signal]) : signal;
      const outcome = await runVirtualCalibrationInWorker(lease.rig.profile, kind, progress, runSignal);
      runSignal.throwIfAborted();
      progress(0.97, { step: 'storing' });
      const performedAt = this.now();
      const expiresAt = this.options.policy.expiresAt(performedAt);
      const id = this.db.transaction(() => {
        const results = outcome.results;
        const flatDark = results.flatDark && {
          ...results.flatDark,
          channels: results.flatDark.channels.map(({ gainPng, ...c }) => ({
            ...c,
            gainSha256: this.evidence.put(
              gainPng!,
              { mediaType: 'image/png', originalName: `flat-gain-${c.key.replace('/', '-')}.png` },
              actor,
            ).sha256,
          })),
        };
        const reportSha256 = outcome.report
          ? this.evidence.put(
              outcome.report,
              { mediaType: 'image/png', originalName: `calibration-${outcome.kind}.png` },
              actor,
            ).sha256
          : null;
        const newId = this.acquisitions.calibrations.insert({
          kind: outcome.kind,
          rigProfile: lease.rig.profile.name,
          deviceSerials: serials,
          operatorId: actor.userId,
          performedAt: performedAt.toISOString(),
          expiresAt: expiresAt.toISOString(),
          results: { ...results, ...(flatDark ? { flatDark } : {}) },
          reportSha256,
        });
        this.audit.append(actor, {
          action: 'calibration.run',
          entityType: 'calibration',
          entityId: newId,
          after: {
            // The lab's reference, so the trail names it even if the record were deleted around the station.
            reference: this.acquisitions.calibrations.get(newId)!.reference,
            kind: outcome.kind,
            rigProfile: lease.rig.profile.name,
            deviceSerials: serials,
            passed: results.passed,
            messages: results.messages,
            expiresAt: expiresAt.toISOString(),
            reportSha256,
          },
        });
        return newId;
      })();
      return this.acquisitions.calibrations.get(id, this.now())!;
    } catch (error) {
      throw asAppError(error, signal);
    } finally {
      await lease.release();
    }
  }

  /** Calibration records → what the runner needs (flat gains read back from the evidence store). */
  private captureCalibration(records: Partial<Record<Component, CalibrationDetail>>): CaptureCalibration {
    const scale = records.scale!.results.scale as { umPerPixelX: number; umPerPixelY: number };
    const lights = (records.lights!.results.lights as { lights: CaptureCalibration['lights'] }).lights;
    const flatDark = records.flatDark!.results.flatDark as {
      channels: { key: string; levelDn: number; gainSha256: string }[];
    };
    const flats = Object.fromEntries(
      flatDark.channels.map((c) => [c.key, decodeGain(this.acquisitions.readEvidence(c.gainSha256), c.levelDn)]),
    );
    return { umPerPixelX: scale.umPerPixelX, umPerPixelY: scale.umPerPixelY, lights, flats };
  }

  // ---- capture -----------------------------------------------------------------------------------

  async capture(
    actor: OperatorActor,
    input: { itemId: number; regions: CaptureRegion[]; lights?: string[]; manualFocusMm?: number; notes?: string },
    progress: CaptureProgress,
    signal: AbortSignal,
  ): Promise<AcquisitionDetail[]> {
    const item = this.cases.item(input.itemId);
    if (!item) throw notFound('item', `no item ${input.itemId}`, { id: input.itemId });
    const theCase = this.cases.get(item.caseId)!;
    const profile = await this.options.rig.profile();
    const before = this.resolveCalibration(profile);
    if (before.problems.length) throw captureBlocked(before);
    const startedAt = this.now().toISOString();
    const report = (fraction: number, step: CaptureStep) => {
      progress(fraction, step);
      this.progressListeners.emit({ ...step, itemId: input.itemId, fraction });
    };
    this.db.transaction(() =>
      this.audit.append(
        actor,
        {
          action: 'capture.start',
          entityType: 'item',
          entityId: input.itemId,
          caseId: item.caseId,
          after: {
            regions: input.regions,
            rigProfile: profile.name,
            lights: input.lights ?? 'all',
            manualFocusMm: input.manualFocusMm ?? null,
          },
        },
        startedAt,
      ),
    )();
    const stored: string[] = [];
    const callerSignal = signal;
    let leaseSignal: AbortSignal | undefined;
    try {
      report(0, { step: 'connecting', region: null });
      const lease = await this.options.rig.acquire(
        `capture of item ${item.exhibitNumber} by ${actor.username}`,
        signal,
      );
      // The lease's signal aborts when a device of the rig is lost: the capture stops instead of waiting on it.
      leaseSignal = lease.signal;
      signal = leaseSignal ? AbortSignal.any([callerSignal, leaseSignal]) : callerSignal;
      let restoreCamera: (() => Promise<void>) | undefined;
      const workers: { close(): Promise<void> }[] = [];
      try {
        // On the demo rig: the reference casing chosen for this item goes under the camera first.
        const simulatedSpecimen = await this.demoSpecimens.load(lease.demo, input.itemId);
        restoreCamera = await prepareRig(lease.rig, signal);
        const devices = deviceIdentities(lease.rig);
        const resolved = this.resolveCalibration(lease.rig.profile, deviceSerials(devices));
        if (resolved.problems.length) throw captureBlocked(resolved);
        const { records } = resolved;
        const calibration = this.captureCalibration(records);
        const lightsRecord = records.lights!;
        const calibrationCheck: QualityCheck = checkCalibration(
          {
            id: String(lightsRecord.id),
            performedAt: lightsRecord.performedAt,
            rigProfile: lightsRecord.rigProfile,
            deviceSerials: lightsRecord.deviceSerials,
            expiresAt: lightsRecord.expiresAt,
          },
          { rigProfile: lease.rig.profile.name, deviceSerials: deviceSerials(devices), now: this.now() },
        );
        const photometric = startPhotometricWorker();
        workers.push(photometric);
        const pending: {
          capture: RegionCapture;
          files: StoredAcquisitionFile[];
          topographySha256: string;
          startedAt: string;
          completedAt: string;
        }[] = [];
        for (const [r, region] of input.regions.entries()) {
          const regionStart = this.now().toISOString();
          const share = 1 / input.regions.length;
          const capture = await captureRegion(lease.rig, {
            region,
            reconstruct: photometric.reconstruct,
            calibration,
            lights: input.lights,
            manualFocusMm: input.manualFocusMm,
            extraChecks: [calibrationCheck],
            signal,
            progress: (f, step) => report((r + f * 0.9) * share, step),
          });
          report((r + 0.92) * share, { step: 'storing_originals', region });
          const files: StoredAcquisitionFile[] = [];
          for (const { role, frame, settings } of capture.frames) {
            await yieldToEventLoop();
            signal.throwIfAborted();
            const png = encodePng({
              width: frame.width,
              height: frame.height,
              bitDepth: frame.bitDepth,
              colour: 'grey',
              data: frame.data,
            });
            const put = this.evidence.put(
              png,
              {
                mediaType: 'image/png',
                originalName: `${item.exhibitNumber}-${region}-${role.replace(/[:/]/g, '-')}.png`,
                caseId: item.caseId,
              },
              actor,
            );
            stored.push(put.sha256);
            files.push({ role, sha256: put.sha256, size: put.size, settings });
          }
          const completed = this.now();
          const x3p = writeX3P(capture.topography, {
            record2: {
              date: completed.toISOString(),
              creator: actor.username ?? undefined,
              instrument: {
                manufacturer: 'Casebench',
                model: lease.rig.profile.name,
                serial: devices.find((d) => d.label === lease.rig.camera?.label)?.serial ?? 'unknown',
                version: this.options.version ?? '0',
              },
              calibrationDate: lightsRecord.performedAt,
              probingSystem: {
                type: 'NonContacting',
                identification: `photometric stereo, ${capture.lights.length} lights, calibration ${lightsRecord.id}`,
              },
              comment: input.notes ?? undefined,
            },
            forensic: {
              agency: theCase.agency ?? undefined,
              agencyCaseNumber: theCase.agencyCaseNumber ?? undefined,
              labCaseNumber: theCase.labCaseNumber,
              itemId: item.exhibitNumber,
              cartridge: {
                brand: item.brand ?? undefined,
                calibre: item.calibre ?? undefined,
                headstamp: item.headstamp ?? undefined,
                primerMaterial: item.primerMaterial ?? undefined,
                caseMaterial: item.caseMaterial ?? undefined,
              },
              regionOfInterest: regionOfInterest[region],
            },
          });
          const topo = this.evidence.put(
            x3p,
            {
              mediaType: 'application/x-x3p',
              originalName: `${item.exhibitNumber}-${region}.x3p`,
              caseId: item.caseId,
            },
            actor,
          );
          stored.push(topo.sha256);
          files.unshift({
            role: 'topography',
            sha256: topo.sha256,
            size: topo.size,
            settings: { method: 'photometric stereo', lights: capture.lights },
          });
          pending.push({
            capture,
            files,
            topographySha256: topo.sha256,
            startedAt: regionStart,
            completedAt: completed.toISOString(),
          });
        }
        signal.throwIfAborted();
        report(0.99, { step: 'recording', region: null });
        const calibrations = { scale: records.scale!.id, flatDark: records.flatDark!.id, lights: lightsRecord.id };
        const details = this.acquisitions.storeCaptures(
          actor,
          pending.map(({ capture, files, topographySha256, startedAt: s, completedAt }) => ({
            acquisition: {
              itemId: input.itemId,
              region: capture.region,
              startedAt: s,
              completedAt,
              rigProfile: lease.rig.profile.name,
              devices,
              calibrationId: lightsRecord.id,
              settings: {
                focus: capture.focus,
                exposureUs: capture.exposureUs,
                lights: capture.lights,
                calibrations,
                notes: input.notes ?? null,
                seconds: capture.seconds,
                ...(simulatedSpecimen ? { simulatedSpecimen } : {}),
              },
              quality: capture.quality,
              topographySha256,
              lateralUm: capture.topography.dx * 1e6,
              width: capture.topography.width,
              height: capture.topography.height,
            },
            files,
          })),
        );
        report(1, { step: 'done', region: null });
        return details;
      } finally {
        for (const w of workers) await w.close();
        await restoreCamera?.();
        await lease.release();
      }
    } catch (error) {
      const appError = asAppError(error, callerSignal, leaseSignal);
      // What happened, for the record: no acquisition was stored; files already written stay as unreferenced evidence.
      try {
        this.db.transaction(() =>
          this.audit.append(actor, {
            action: appError.code === 'canceled' ? 'capture.canceled' : 'capture.failed',
            entityType: 'item',
            entityId: input.itemId,
            caseId: item.caseId,
            after: { code: appError.code, message: appError.message, unreferencedFiles: stored.length },
          }),
        )();
      } catch {
        // The database itself may be what failed; the caller still gets the original error.
      }
      throw appError;
    }
  }

  handlers(): Pick<
    CallHandlers<typeof acquisitionsCalls>,
    Exclude<
      Extract<keyof typeof acquisitionsCalls, `calibrations.${string}` | `capture.${string}`>,
      'calibrations.settings' | 'calibrations.setValidity'
    >
  > {
    const actor = (s: Session | null): OperatorActor => ({ userId: s!.user.id, username: s!.user.username });
    return {
      'calibrations.list': (input) => ({ rows: this.acquisitions.calibrations.list(input, this.now()).map(summaryOf) }),
      'calibrations.get': (input) => {
        const found = this.acquisitions.calibrations.get(input.id, this.now());
        if (!found) throw notFound('calibration', `no calibration ${input.id}`, { id: input.id });
        return found;
      },
      'calibrations.report': (input) => {
        const found = this.acquisitions.calibrations.get(input.id, this.now());
        if (!found) throw notFound('calibration', `no calibration ${input.id}`, { id: input.id });
        if (!found.reportSha256)
          throw notFound('calibration_report', `calibration ${input.id} has no report picture`, { id: input.id });
        return {
          sha256: found.reportSha256,
          mediaType: 'image/png',
          bytes: this.acquisitions.readEvidence(found.reportSha256),
        };
      },
      'calibrations.run': (input, ctx) => this.runCalibration(actor(ctx.session), input.kind, ctx.progress, ctx.signal),
      'capture.readiness': () => this.readiness(),
      'capture.demoSpecimen': (input) => this.demoSpecimens.forItem(input.itemId),
      'capture.setDemoSpecimen': (input, ctx) =>
        this.demoSpecimens.choose(actor(ctx.session), input.itemId, input.specimen),
      'capture.run': async (input, ctx) => ({
        acquisitions: await this.capture(actor(ctx.session), input, ctx.progress, ctx.signal),
      }),
    };
  }
}
