// The station's rig: chooses a profile (configured path, or discovery: the hardware profile whose devices are all
// present, else the demo rig of simulators), connects it, reports every change, notices an unplugged device at
// once (its transport closes) and reconnects it when it comes back (retried every second; USB hot-plug
// hands a re-plugged camera over). Other services use it through the RigService API (api.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppError } from '../../../contract/errors.ts';
import type { RigStatus } from '../../../contract/devices.ts';
import type { Device } from '../../../../native/devices/device.ts';
import { DeviceError } from '../../../../native/devices/errors.ts';
import type { Stage } from '../../../../native/devices/kinds.ts';
import { U3vCamera } from '../../../../native/devices/u3vCamera.ts';
import { createRig, type Rig } from '../../../../native/rig/createRig.ts';
import {
  listProfiles,
  scanHardware,
  suggestProfile,
  isSimulated,
  type HardwareScan,
} from '../../../../native/rig/discovery.ts';
import { loadRigProfile, type RigProfile } from '../../../../native/rig/profile.ts';
import { startDemoRig, type DemoRig } from '../../../../native/sim/demoRig.ts';
import { usbId, watchUsb } from '../../../../native/transport/usbDiscovery.ts';
import type { UsbDeviceLike } from '../../../../native/transport/usbDevice.ts';
import { readX3PFile } from '../../../analysis/x3p/index.ts';
import type { ExclusiveOptions, RigLease, RigService } from './api.ts';
import { LiveView } from './liveView.ts';
import { deviceView, errorRecord, rigState, type DeviceErrorRecord } from './views.ts';
import { Listeners } from '../../../base/listeners.ts';
import { appRoot, sharedDataDir } from '../../../base/appRoot.ts';
import type { Log } from '../../../base/log.ts';

export const defaultProfilesDir = join(appRoot, 'resources', 'rigs');
export const demoProfileName = 'demo.json';
export const demoProfilePath = join(defaultProfilesDir, demoProfileName);

export interface RigServiceOptions {
  /** 'none' (no rig), 'auto' (discovery, demo rig when no hardware matches) or a profile file path. */
  rig: string;
  profilesDir?: string;
  /** Folder holding the demo rig's specimen (../shared/data beside the checkout). */
  sharedDataDir?: string;
  /** Retry period for disconnected devices. */
  reconnectMs?: number;
  log: Log;
  /** USB and serial discovery; node-usb and serialport unless a test plugs in its own. */
  hardware?: HardwareSource;
  /** Connects and disconnects worth an audit entry: `actor` null when the station did it on its own. */
  audit(
    action: 'rig.connect' | 'rig.disconnect' | 'rig.device_lost' | 'rig.device_reconnected' | 'rig.profile',
    details: Record<string, unknown>,
  ): void;
}

export interface HardwareSource {
  scan(): Promise<HardwareScan>;
  watch(
    listener: (change: { type: 'connect' | 'disconnect'; device: UsbDeviceLike }) => void,
  ): Promise<{ available: boolean; stop(): void }>;
}

/** How long stop() waits for the rig's holder (a capture, a calibration) to let go once told to stop. */
const releaseWaitMs = 15_000;

export class StationRig implements RigService {
  readonly ready: Promise<void>;
  readonly live: LiveView;
  private readonly options: RigServiceOptions;
  private rig: Rig | undefined;
  private demo: DemoRig | undefined;
  private demoDir: string | undefined;
  private profilePath: string | undefined;
  private starting = true;
  private stopped = false;
  private message = 'starting';
  private readonly lastErrors = new Map<string, DeviceErrorRecord>();
  /** Devices the station keeps trying to connect (lost, or failed to connect); not those switched off by a user. */
  private readonly wantConnected = new Set<string>();
  private readonly connecting = new Set<string>();
  private exclusive: { purpose: string; controller: AbortController; released: Promise<void> } | undefined;
  private readonly listeners = new Listeners<RigStatus>((error) =>
    this.options.log('error', 'a rig status listener failed', { error: String(error) }),
  );
  private notifyTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectTimer: ReturnType<typeof setInterval> | undefined;
  /** Undo for the station's own watchers (hot-plug). */
  private cleanup: (() => void)[] = [];
  /** Undo for the current rig's device listeners. */
  private deviceCleanup: (() => void)[] = [];
  private readonly hardwareSource: HardwareSource;
  private switching = false;
  private reconsiderOnRelease = false;
  private reconsiderTimer: ReturnType<typeof setTimeout> | undefined;
  /** The last USB and serial scan (for diagnostics). */
  hardware: HardwareScan | undefined;

  constructor(options: RigServiceOptions) {
    this.options = options;
    this.hardwareSource = options.hardware ?? { scan: scanHardware, watch: watchUsb };
    this.live = new LiveView({
      camera: () => this.rig?.camera,
      changed: () => this.notify(),
      failed: (error) => this.recordError(error),
    });
    this.ready = this.start()
      .catch((error: unknown) => {
        this.message = `the rig could not start: ${(error as Error).message}`;
        this.options.log('error', 'rig start failed', { error: String(error) });
      })
      .finally(() => {
        this.starting = false;
        this.notify();
      });
  }

  // ---- RigService API ----------------------------------------------------------------------------

  current(): Rig | undefined {
    return this.rig;
  }

  profile(): RigProfile | undefined {
    return this.rig?.profile;
  }

  simulation(): DemoRig | undefined {
    return this.demo;
  }

  async withExclusive<T>(
    fn: (rig: Rig, signal: AbortSignal) => Promise<T>,
    options: ExclusiveOptions = {},
  ): Promise<T> {
    const lease = await this.acquire(options.purpose ?? 'capture', options.signal);
    try {
      return await fn(lease.rig, lease.signal);
    } finally {
      await lease.release();
    }
  }

  async acquire(purpose: string, signal?: AbortSignal): Promise<RigLease> {
    await this.ready;
    const rig = this.rig;
    if (!rig) throw new AppError('unavailable', `the station has no rig (${this.message})`);
    if (this.exclusive)
      throw new AppError('conflict', `the rig is in use (${this.exclusive.purpose}); wait until it finishes`);
    if (this.switching)
      throw new AppError(
        'conflict',
        'the station is switching to newly plugged-in rig hardware; try again in a moment',
      );
    if (signal?.aborted) throw new AppError('canceled', 'canceled');
    const controller = new AbortController();
    let markReleased!: () => void;
    const releasedPromise = new Promise<void>((resolve) => (markReleased = resolve));
    this.exclusive = { purpose, controller, released: releasedPromise };
    const onAbort = () => controller.abort(signal?.reason ?? new AppError('canceled', 'canceled'));
    signal?.addEventListener('abort', onAbort, { once: true });
    // A device that disconnects or fails while the rig is held ends the holder's work (see recordError).
    let resume: (() => void) | undefined;
    try {
      resume = await this.live.pause();
    } catch (error) {
      this.exclusive = undefined;
      throw error;
    }
    this.notify();
    let released = false;
    return {
      rig,
      demo: this.demo,
      signal: controller.signal,
      release: async () => {
        if (released) return;
        released = true;
        markReleased();
        signal?.removeEventListener('abort', onAbort);
        if (this.exclusive?.controller === controller) this.exclusive = undefined;
        resume?.();
        this.notify();
        if (this.reconsiderOnRelease) {
          this.reconsiderOnRelease = false;
          void this.reconsider();
        }
      },
    };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.ready;
    clearInterval(this.reconnectTimer);
    clearTimeout(this.notifyTimer);
    for (const undo of this.cleanup.splice(0)) undo();
    // Whoever holds the rig (a capture, a calibration) stops and lets go before the devices close: its last
    // records (the audit of a canceled capture) are written while the station still runs. A holder that does not
    // let go in time is logged and left behind.
    const holder = this.exclusive;
    if (holder) {
      holder.controller.abort(new AppError('unavailable', 'the station is stopping'));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const gaveUp = await Promise.race([
        holder.released.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), releaseWaitMs))),
      ]);
      clearTimeout(timer);
      if (gaveUp)
        this.options.log('warn', 'the rig holder did not let go while the station stopped', {
          purpose: holder.purpose,
        });
    }
    await this.live.stop();
    await this.teardown();
    this.listeners.clear();
  }

  // ---- for the contract handlers -----------------------------------------------------------------

  onChanged(listener: (status: RigStatus) => void): () => void {
    return this.listeners.add(listener);
  }

  status(): RigStatus {
    const rig = this.rig;
    return {
      state: rigState(rig, this.starting, this.options.rig !== 'none'),
      message: this.message,
      profile:
        rig && this.profilePath
          ? {
              name: rig.profile.name,
              names: rig.profile.names ?? {},
              path: this.profilePath,
              simulated: isSimulated(rig.profile),
            }
          : null,
      devices: rig ? rig.devices.map((d) => deviceView(rig, d, this.lastErrors.get(d.label))) : [],
      live: this.live.status(),
      exclusive: this.exclusive ? { purpose: this.exclusive.purpose } : null,
    };
  }

  /** Refuses control while capture holds the rig. */
  requireControl(): Rig {
    if (this.exclusive)
      throw new AppError(
        'conflict',
        `the rig is in use (${this.exclusive.purpose}); controls are locked until it finishes`,
      );
    if (!this.rig) throw new AppError('unavailable', `the station has no rig (${this.message})`);
    return this.rig;
  }

  /**
   * Connects the named device (again, even when it is ready: a deliberate reset) or every device that is not
   * ready (ready ones keep their state, e.g. a homed stage). Failures are recorded in the status, not thrown.
   */
  async connect(label: string | undefined, signal?: AbortSignal): Promise<void> {
    const rig = this.requireControl();
    const devices = label ? [rig.device(label)] : rig.devices.filter((d) => d.state !== 'ready');
    // Re-initializing the camera ends its stream: live view pauses around it instead of failing.
    const resume = devices.includes(rig.camera as Device) ? await this.live.pause() : undefined;
    try {
      await Promise.all(devices.map((d) => this.connectDevice(d, signal)));
    } finally {
      resume?.();
    }
  }

  async disconnect(label: string | undefined): Promise<void> {
    const rig = this.requireControl();
    const devices = label ? [rig.device(label)] : rig.devices;
    if (devices.some((d) => d === rig.camera)) await this.live.stop();
    for (const device of devices) {
      this.wantConnected.delete(device.label);
      await device.shutdown();
    }
  }

  // ---- start-up and teardown ---------------------------------------------------------------------

  private async start(): Promise<void> {
    const choice = this.options.rig;
    if (choice === 'none') {
      this.message = 'no rig configured for this station';
      return;
    }
    this.hardware = await this.hardwareSource.scan();
    if (choice === 'auto') {
      const { path, message } = await this.choose(this.hardware);
      await this.open(path, message, this.hardware);
    } else {
      const path = resolve(choice);
      await this.open(path, `rig profile ${path}`, this.hardware);
    }
    this.reconnectTimer = setInterval(() => this.reconnectLost(), this.options.reconnectMs ?? 1000);
    this.reconnectTimer.unref();
    void this.watchHotPlug();
  }

  /** The hardware profile whose devices are all present, else the demo rig. */
  private async choose(hardware: HardwareScan): Promise<{ path: string; message: string; hardwareFound: boolean }> {
    const profilesDir = this.options.profilesDir ?? defaultProfilesDir;
    const suggestion = suggestProfile(await listProfiles(profilesDir), hardware);
    if (suggestion)
      return {
        path: suggestion.entry.path,
        message: `rig found: ${suggestion.entry.profile!.name}`,
        hardwareFound: true,
      };
    return {
      path: join(profilesDir, demoProfileName),
      message: `demo rig: no rig hardware found (${hardware.usb.message})`,
      hardwareFound: false,
    };
  }

  /** Builds and connects the rig of one profile (starting its simulators when it is simulated). */
  private async open(path: string, message: string, hardware: HardwareScan): Promise<void> {
    this.message = message;
    const profile = await loadRigProfile(path);
    if (this.stopped) return;
    let usbDevices: UsbDeviceLike[] = hardware.usb.devices;
    if (isSimulated(profile)) {
      if (!profile.specimen)
        throw new Error(`rig profile "${profile.name}" names no specimen for its simulated camera`);
      const surface = (await readX3PFile(join(this.options.sharedDataDir ?? sharedDataDir(), profile.specimen)))
        .surface;
      this.demoDir = mkdtempSync(join(tmpdir(), 'casebench-rig-'));
      this.demo = await startDemoRig({ profile, surface, dir: this.demoDir });
      usbDevices = this.demo.usbDevices;
      if (this.stopped) return;
    }
    const rig = createRig(profile, { simulatorPorts: this.demo?.simulatorPorts, usbDevices, log: this.options.log });
    this.demo?.bindRig(rig);
    this.rig = rig;
    this.profilePath = path;
    this.options.audit('rig.profile', { profile: profile.name, path, simulated: isSimulated(profile) });
    for (const device of rig.devices) this.watch(device);
    this.notify();
    const results = await rig.connectAll();
    for (const result of results) {
      if (result.error) {
        this.recordError(result.error);
        this.wantConnected.add(result.label);
      }
    }
  }

  private async teardown(): Promise<void> {
    for (const undo of this.deviceCleanup.splice(0)) undo();
    const rig = this.rig;
    this.rig = undefined;
    this.profilePath = undefined;
    this.wantConnected.clear();
    this.lastErrors.clear();
    await rig?.shutdownAll();
    await this.demo?.stop();
    this.demo = undefined;
    if (this.demoDir) rmSync(this.demoDir, { recursive: true, force: true });
    this.demoDir = undefined;
  }

  /**
   * USB hot-plug with rig: 'auto': when the devices of a hardware profile are all present and the station runs
   * another rig (typically the demo rig), it switches over. Not while capture holds the rig (tried again when
   * the holder releases it); live view resumes on the new rig.
   */
  private async reconsider(): Promise<void> {
    if (this.options.rig !== 'auto' || this.stopped || this.switching) return;
    if (this.exclusive) {
      this.reconsiderOnRelease = true;
      return;
    }
    this.switching = true;
    try {
      const hardware = await this.hardwareSource.scan();
      this.hardware = hardware;
      const choice = await this.choose(hardware);
      if (!choice.hardwareFound || choice.path === this.profilePath || this.stopped || this.exclusive) return;
      this.options.log('info', 'rig hardware plugged in: switching rig', { from: this.profilePath, to: choice.path });
      const live = this.live.isWanted ? this.live.maxFramesPerSecond : undefined;
      await this.live.stop();
      await this.teardown();
      await this.open(choice.path, choice.message, hardware);
      if (live !== undefined && this.rig?.camera?.state === 'ready') await this.live.start(live);
    } catch (error) {
      this.message = `switching rig failed: ${(error as Error).message}`;
      this.options.log('error', 'rig switch failed', { error: String(error) });
    } finally {
      this.switching = false;
      this.notify();
    }
  }

  // ---- device events, reconnect, hot-plug ----------------------------------------------------------

  private watch(device: Device): void {
    this.deviceCleanup.push(
      device.onStateChanged((change) => {
        if (change.error)
          this.recordError(
            new DeviceError(change.error.code, device.label, change.error.message.replace(`${device.label}: `, '')),
          );
        if (change.state === 'disconnected' && change.error) {
          // Lost underneath us (unplugged, simulator killed): keep trying to get it back.
          this.wantConnected.add(device.label);
          this.options.audit('rig.device_lost', { device: device.label, reason: change.error.message });
        }
        if (change.state === 'ready' && device === this.rig?.camera) this.live.resumeIfWanted();
        this.notify();
      }),
      device.onPropertyChanged(() => this.notify()),
    );
    if (device.kind === 'stage') this.deviceCleanup.push((device as Stage).onPositionChanged(() => this.notify()));
  }

  private recordError(error: DeviceError): void {
    this.lastErrors.set(error.device, errorRecord(error));
    if (this.exclusive && (error.code === 'disconnected' || error.code === 'timeout' || error.code === 'alarm')) {
      this.exclusive.controller.abort(
        new AppError('device', `${error.message}; the rig stopped`, { device: error.device, deviceCode: error.code }),
      );
    }
    this.notify();
  }

  private async connectDevice(device: Device, signal?: AbortSignal): Promise<boolean> {
    if (this.connecting.has(device.label)) return false;
    this.connecting.add(device.label);
    try {
      await device.initialize(signal);
      this.wantConnected.delete(device.label);
      this.lastErrors.delete(device.label);
      return true;
    } catch (error) {
      this.wantConnected.add(device.label);
      if (error instanceof DeviceError) this.recordError(error);
      return false;
    } finally {
      this.connecting.delete(device.label);
      this.notify();
    }
  }

  private async reconnectLost(): Promise<void> {
    const rig = this.rig;
    if (!rig || this.stopped) return;
    for (const label of [...this.wantConnected]) {
      const device = rig.devices.find((d) => d.label === label);
      if (!device || device.state === 'ready' || device.state === 'connecting') continue;
      if (await this.connectDevice(device)) this.options.audit('rig.device_reconnected', { device: label });
    }
  }

  /** A camera plugged back in is a new USB device object: hand it to the camera driver, then reconnect. */
  private async watchHotPlug(): Promise<void> {
    const watcher = await this.hardwareSource.watch(({ type, device }) => {
      const rig = this.rig;
      if (rig && type === 'connect') {
        for (const camera of rig.devices) {
          if (!(camera instanceof U3vCamera) || camera.state === 'ready') continue;
          if (usbId(camera.usbDevice) !== usbId(device) || camera.usbDevice.serialNumber !== device.serialNumber)
            continue;
          camera.replaceDevice(device);
          this.wantConnected.add(camera.label);
          void this.reconnectLost();
        }
      }
      // Several devices of one rig often arrive together (a hub): look once they have settled.
      clearTimeout(this.reconsiderTimer);
      this.reconsiderTimer = setTimeout(() => void this.reconsider(), 300);
    });
    if (this.stopped) watcher.stop();
    else this.cleanup.push(watcher.stop, () => clearTimeout(this.reconsiderTimer));
  }

  /** Status to subscribers, coalesced: many property and position changes in a burst make one event. */
  private notify(): void {
    if (this.notifyTimer || this.stopped) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.listeners.emit(this.status());
    }, 50);
  }
}
