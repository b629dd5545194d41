import type { SystemStatus } from '../../contract/system.ts';
import { Listeners } from '../../base/listeners.ts';
import type { Log } from '../../base/log.ts';

/** The station status shown in the status bar; rig and network services report into it. */
export class StatusService {
  private status: SystemStatus;
  private readonly listeners: Listeners<SystemStatus>;

  constructor(initial: SystemStatus, log?: Log) {
    this.status = initial;
    this.listeners = new Listeners((error) => log?.('error', 'a status listener failed', { error: String(error) }));
  }

  get(): SystemStatus {
    return this.status;
  }

  update(patch: Partial<SystemStatus>): void {
    this.status = { ...this.status, ...patch };
    this.listeners.emit(this.status);
  }

  subscribe(listener: (status: SystemStatus) => void): () => void {
    return this.listeners.add(listener);
  }
}
