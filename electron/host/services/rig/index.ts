// The rig domain in the host: the station rig (rigService.ts), its contract handlers, its line in the status
// bar and its audit entries. Wired by createHost in one call; other services get the RigService API.
import type { Session } from '../../../contract/auth.ts';
import type { componentStates } from '../../../contract/system.ts';
import type { RigStatus } from '../../../contract/devices.ts';
import type { Db } from '../../storage/database.ts';
import type { AuditRepo } from '../../storage/repos/auditRepo.ts';
import type { StatusService } from '../statusService.ts';
import { rigEventSources, rigHandlers } from './handlers.ts';
import { StationRig } from './rigService.ts';
import type { Log } from '../../../base/log.ts';

export type { RigService, RigLease, ExclusiveOptions } from './api.ts';
export { StationRig } from './rigService.ts';

export interface RigHostParts {
  db: Db;
  audit: AuditRepo;
  status: StatusService;
  log: Log;
  implement(handlers: object): void;
  implementEvents(sources: object): void;
}

/** The status-bar line for the rig. */
export function rigStatusLine(status: RigStatus): { state: (typeof componentStates)[number]; label: string } {
  const name = status.profile?.name ?? 'rig';
  const down = status.devices
    .filter((d) => d.state === 'disconnected' || d.state === 'error')
    .map((d) => `${d.label} ${d.state}`);
  switch (status.state) {
    case 'none':
      return { state: 'offline', label: status.message };
    case 'starting':
      return { state: 'unknown', label: 'rig starting…' };
    case 'ready':
      return { state: 'ok', label: status.live.running ? `${name} · live` : name };
    case 'degraded':
      return { state: 'warning', label: `${name}: ${down.join(', ')}` };
    case 'offline':
      return { state: 'error', label: status.profile ? `${name}: no device connected` : status.message };
  }
}

export function attachRig(
  host: RigHostParts,
  options: { rig: string; profilesDir?: string; sharedDataDir?: string },
): StationRig {
  const append = (session: Session | null, action: string, details: Record<string, unknown>) => {
    const actor = { userId: session?.user.id ?? null, username: session?.user.username ?? null };
    const entityId =
      typeof details.device === 'string'
        ? details.device
        : typeof details.profile === 'string'
          ? details.profile
          : null;
    host.db.transaction(() => host.audit.append(actor, { action, entityType: 'rig', entityId, after: details }))();
  };
  const station = new StationRig({
    ...options,
    log: host.log,
    audit: (action, details) => {
      try {
        append(null, action, details);
      } catch (error) {
        host.log('error', 'rig audit entry failed', { action, error: String(error) });
      }
    },
  });
  host.implement(rigHandlers(station, append));
  host.implementEvents(rigEventSources(station));
  const report = (status: RigStatus) => {
    const line = rigStatusLine(status);
    const current = host.status.get().rig;
    if (current.state !== line.state || current.label !== line.label) host.status.update({ rig: line });
  };
  report(station.status());
  station.onChanged(report);
  // The end of start-up is reported at once (not coalesced), so status read right after `ready` is current.
  void station.ready.then(() => report(station.status()));
  return station;
}
