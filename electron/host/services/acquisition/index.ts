// The acquisition domain in the host: acquisitions (import, views, unsuitable), calibrations and capture on the
// rig. Wired by createHost; the rig comes through `RigAccess` so the rig service can be plugged in one line.
import type { acquisitionsEvents } from '../../../contract/acquisitions.ts';
import type { EventSources } from '../../rpc/handlers.ts';
import type { Db } from '../../storage/database.ts';
import type { AuditRepo } from '../../storage/repos/auditRepo.ts';
import type { EvidenceStore } from '../evidenceStore.ts';
import { AcquisitionService } from './acquisitionService.ts';

export { AcquisitionService } from './acquisitionService.ts';

export interface AcquisitionDomain {
  acquisitions: AcquisitionService;
}

export function attachAcquisitions(host: { db: Db; audit: AuditRepo; evidence: EvidenceStore; implement(h: object): void; implementEvents(s: object): void }): AcquisitionDomain {
  const acquisitions = new AcquisitionService(host.db, host.audit, host.evidence);
  host.implement(acquisitions.handlers());
  const progressListeners = new Set<(p: { itemId: number; region: null; fraction: number; message: string }) => void>();
  const sources: EventSources<typeof acquisitionsEvents> = {
    'acquisitions.changed': (filter, emit) => acquisitions.onChanged((change) => {
      if (filter.itemId === undefined || filter.itemId === change.itemId) emit(change);
    }),
    'capture.progress': (_filter, emit) => {
      progressListeners.add(emit);
      return () => progressListeners.delete(emit);
    },
  };
  host.implementEvents(sources);
  return { acquisitions };
}
