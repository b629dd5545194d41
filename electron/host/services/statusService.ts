import type { SystemStatus } from '../../contract/system.ts';

type Listener = (status: SystemStatus) => void;

/** The station status shown in the status bar; rig and network services report into it. */
export class StatusService {
  private status: SystemStatus;
  private readonly listeners = new Set<Listener>();

  constructor(initial: SystemStatus) {
    this.status = initial;
  }

  get(): SystemStatus {
    return this.status;
  }

  update(patch: Partial<SystemStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const listener of this.listeners) listener(this.status);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
