// How capture and calibration reach the rig: lease it exclusively, use it, release it. The rig service
// (electron/host/services/rig) will provide the station's connected rig; until then, and for the CLI and
// tests, `demoRigAccess` starts the demo rig's simulators per lease and drives them through the real drivers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../contract/errors.ts';
import type { DeviceIdentity } from '../../../contract/acquisitions.ts';
import { createRig, type Rig } from '../../../../native/rig/createRig.ts';
import { loadRigProfile, type RigProfile } from '../../../../native/rig/profile.ts';
import { startDemoRig, type DemoRig } from '../../../../native/sim/demoRig.ts';
import { sharedDataDir } from '../../../base/appRoot.ts';
import { demoProfilePath } from '../rig/rigService.ts';

export { demoProfilePath };
import { readX3PFile } from '../../../analysis/x3p/index.ts';

export interface RigLease {
  rig: Rig;
  /** The demo rig's simulators, when the rig is simulated (fault tests kill one). */
  demo?: DemoRig;
  /** Aborts when a device of the rig is lost or the holder must give the rig back (the rig service's lease). */
  signal?: AbortSignal;
  release(): Promise<void>;
}

export interface RigAccess {
  /** The profile of the rig capture would use, without connecting (for readiness checks). */
  profile(): Promise<RigProfile>;
  /** Exclusive use of the connected rig; refused with `conflict` while someone else holds it. */
  acquire(purpose: string, signal?: AbortSignal): Promise<RigLease>;
  /**
   * For an access that starts its own rig (the demo rig per lease): the station is stopping. The holder's work is
   * aborted ('the station is stopping') and resolves once it has let go, so its last records are written before the
   * database closes; later leases are refused. The station's rig service stops its rig itself (host.close()).
   */
  stop?(): Promise<void>;
}

/** The station's rig service as RigAccess (its lease already has this shape). */
export function rigServiceAccess(service: {
  readonly ready: Promise<void>;
  profile(): RigProfile | undefined;
  acquire(purpose: string, signal?: AbortSignal): Promise<RigLease>;
}): RigAccess {
  return {
    async profile() {
      await service.ready;
      const profile = service.profile();
      if (!profile) throw new AppError('unavailable', 'the station has no rig connected');
      return profile;
    },
    acquire: (purpose, signal) => service.acquire(purpose, signal),
  };
}

/** Identity of every device as its driver reports it (model, serial, firmware when the device tells). */
export function deviceIdentities(rig: Rig): DeviceIdentity[] {
  const read = (device: Rig['devices'][number], name: string): string | null => {
    if (!device.properties().some((p) => p.name === name)) return null;
    try {
      const value = device.getProperty(name);
      return value === '' ? null : String(value);
    } catch {
      return null;
    }
  };
  return rig.devices.map((device) => ({
    label: device.label,
    driver: rig.profile.devices.find((d) => d.label === device.label)?.driver ?? 'unknown',
    model: read(device, 'model'),
    serial: read(device, 'serial'),
    firmware: read(device, 'firmware'),
  }));
}

/** Device label → serial (or, for devices that report none, their driver and firmware) for calibration matching. */
export function deviceSerials(identities: DeviceIdentity[]): Record<string, string> {
  return Object.fromEntries(
    identities.map((d) => [d.label, d.serial ?? `${d.driver}${d.firmware ? ` ${d.firmware}` : ''}`]),
  );
}

/** How long stop() waits for a holder that does not let go (it is then left behind, as the rig service does). */
const releaseWaitMs = 15_000;

export function demoRigAccess(options: { profilePath?: string } = {}): RigAccess {
  const profilePath = options.profilePath ?? demoProfilePath;
  let holder: { purpose: string; controller: AbortController; released: Promise<void> } | null = null;
  let stopping = false;
  let loaded: RigProfile | undefined;
  const profile = async () => (loaded ??= await loadRigProfile(profilePath));
  return {
    profile,
    async acquire(purpose, signal) {
      if (stopping) throw new AppError('unavailable', 'the station is stopping');
      if (holder) throw new AppError('conflict', `the rig is in use (${holder.purpose}); wait until it finishes`);
      const controller = new AbortController();
      let markReleased!: () => void;
      holder = { purpose, controller, released: new Promise<void>((resolve) => (markReleased = resolve)) };
      const dir = mkdtempSync(join(tmpdir(), 'casebench-rig-'));
      let demo: DemoRig | undefined;
      let rig: Rig | undefined;
      let cleaned: Promise<void> | undefined;
      const cleanUp = () =>
        (cleaned ??= (async () => {
          try {
            await rig?.shutdownAll();
            await demo?.stop();
            rmSync(dir, { recursive: true, force: true });
          } finally {
            holder = null;
            markReleased();
          }
        })());
      try {
        const p = await profile();
        if (!p.specimen)
          throw new AppError('unavailable', `rig profile "${p.name}" names no specimen for its simulated camera`);
        const surface = (await readX3PFile(join(sharedDataDir(), p.specimen))).surface;
        demo = await startDemoRig({ profile: p, surface, dir });
        rig = createRig(p, { simulatorPorts: demo.simulatorPorts, usbDevices: demo.usbDevices });
        demo.bindRig(rig);
        const connecting = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
        const failures = (await rig.connectAll(connecting)).filter((r) => r.error);
        if (failures.length)
          throw new AppError('device', `the rig did not connect: ${failures.map((f) => f.error!.message).join('; ')}`);
      } catch (error) {
        await cleanUp();
        throw error;
      }
      return { rig, demo, signal: controller.signal, release: cleanUp };
    },
    async stop() {
      stopping = true;
      const current = holder;
      if (!current) return;
      current.controller.abort(new AppError('unavailable', 'the station is stopping'));
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([current.released, new Promise((resolve) => (timer = setTimeout(resolve, releaseWaitMs)))]);
      clearTimeout(timer);
    },
  };
}
