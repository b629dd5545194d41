// What other host services (capture, calibration) use of the station's rig. The rig service owns the one
// connected rig: it discovers devices, connects them, runs live view and reconnects after an unplug. Anyone who
// needs the devices for a while (a capture sequence) takes them exclusively; live view pauses meanwhile and
// resumes afterwards, and the UI's control calls are refused with `conflict` until the holder is done.
import type { Rig } from '../../../../native/rig/createRig.ts';
import type { RigProfile } from '../../../../native/rig/profile.ts';
import type { DemoRig } from '../../../../native/sim/demoRig.ts';

export type { Rig, RigProfile, DemoRig };

export interface ExclusiveOptions {
  /** Aborting gives the rig back: the signal passed to `fn` aborts too. */
  signal?: AbortSignal;
  /** Shown to whoever is refused meanwhile, e.g. "capture of item 12". */
  purpose?: string;
}

/** A held rig, for callers that cannot wrap their work in one function. `release()` is idempotent. */
export interface RigLease {
  rig: Rig;
  /** The demo rig's simulators when the rig is simulated (tests kill one to unplug a device). */
  demo?: DemoRig;
  /** Aborts when the holder's signal aborts, a device of the rig disconnects or fails, or the host stops. */
  signal: AbortSignal;
  release(): Promise<void>;
}

export interface RigService {
  /** The connected (or connecting) rig; undefined when the station has none ('none', or start-up failed). */
  current(): Rig | undefined;
  /** The active rig profile, or undefined when the station has no rig. */
  profile(): RigProfile | undefined;
  /** The demo rig's simulators when the current rig is simulated. */
  simulation(): DemoRig | undefined;
  /** Resolves when start-up (discovery, profile choice, first connect) has finished, successfully or not. */
  readonly ready: Promise<void>;
  /**
   * Runs `fn` with exclusive use of the rig. Live view pauses before `fn` starts and resumes after it ends.
   * The signal given to `fn` aborts when the caller's signal aborts, when a device of the rig disconnects or
   * fails (so a capture stops cleanly instead of waiting on a dead device), or when the host stops.
   * Refused with AppError `unavailable` when there is no rig and `conflict` while another holder has it.
   */
  withExclusive<T>(fn: (rig: Rig, signal: AbortSignal) => Promise<T>, options?: ExclusiveOptions): Promise<T>;
  /** The same exclusive use as a lease (acquisition's RigAccess shape). */
  acquire(purpose: string, signal?: AbortSignal): Promise<RigLease>;
  /** Stops live view, shuts the devices down and stops any simulators; bounded in time. */
  stop(): Promise<void>;
}
