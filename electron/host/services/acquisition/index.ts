// The acquisition domain in the host: acquisitions (import, views, unsuitable), calibrations and capture on the
// rig. Wired by createHost; the rig comes through `RigAccess` so the rig service can be plugged in one line.
import type { acquisitionsEvents } from '../../../contract/acquisitions.ts';
import type { EventSources } from '../../rpc/handlers.ts';
import type { Db } from '../../storage/database.ts';
import type { AuditRepo } from '../../storage/repos/auditRepo.ts';
import type { EvidenceStore } from '../evidenceStore.ts';
import { AcquisitionService } from './acquisitionService.ts';
import { CalibrationPolicy } from './calibrationPolicy.ts';
import { CaptureService, type CaptureServiceOptions } from './captureService.ts';
import { demoRigAccess } from './rigAccess.ts';
import { RegionsService } from './regionsService.ts';

export { AcquisitionService } from './acquisitionService.ts';
export { CaptureService } from './captureService.ts';
export { CalibrationPolicy } from './calibrationPolicy.ts';
export { RegionsService } from './regionsService.ts';
export { demoRigAccess, rigServiceAccess, type RigAccess, type RigLease } from './rigAccess.ts';

export interface AcquisitionDomain {
  acquisitions: AcquisitionService;
  capture: CaptureService;
  calibrationPolicy: CalibrationPolicy;
  regions: RegionsService;
}

export function attachAcquisitions(
  host: {
    db: Db;
    audit: AuditRepo;
    evidence: EvidenceStore;
    implement(h: object): void;
    implementEvents(s: object): void;
  },
  options: Partial<Omit<CaptureServiceOptions, 'policy'>> = {},
): AcquisitionDomain {
  const acquisitions = new AcquisitionService(host.db, host.audit, host.evidence, options.log);
  // Without the station's rig service, the demo rig (simulators start only when capture or calibration runs).
  const calibrationPolicy = new CalibrationPolicy(host.db, host.audit, {
    defaultDays: options.calibrationValidityDays,
    now: options.now,
  });
  const capture = new CaptureService(host.db, host.audit, host.evidence, acquisitions, {
    ...options,
    policy: calibrationPolicy,
    rig: options.rig ?? demoRigAccess(),
  });
  host.implement(acquisitions.handlers());
  host.implement(capture.handlers());
  host.implement(calibrationPolicy.handlers());
  const regions = new RegionsService(host.db, host.audit, acquisitions);
  host.implement(regions.handlers());
  const sources: EventSources<typeof acquisitionsEvents> = {
    'acquisitions.changed': (filter, emit) =>
      acquisitions.onChanged((change) => {
        if (filter.itemId === undefined || filter.itemId === change.itemId) emit(change);
      }),
    'capture.progress': (_filter, emit) => capture.onProgress(emit),
  };
  host.implementEvents(sources);
  return { acquisitions, capture, calibrationPolicy, regions };
}
