// Starts every simulator a rig profile asks for: serial devices as their own processes behind socat pty pairs,
// the USB3 Vision camera as an in-process emulator (no virtual USB exists in the kernel here). The camera
// renders the specimen under what the rig's own drivers report: light levels and the focus stage position.
import type { Light } from './optics/index.ts';
import { directionFromAngles, type HeightField } from './optics/index.ts';
import { opticsFrameRenderer, type CameraScene, type FrameRenderer } from './cameraRenderer.ts';
import { startSerialSimulator, type RunningSimulator } from './ptyLauncher.ts';
import type { SimulatedDevice } from './serialSimulator.ts';
import { U3vEmulator } from './u3vEmulator.ts';
import type { Rig } from '../rig/createRig.ts';
import type { RigProfile } from '../rig/profile.ts';

export interface DemoRig {
  /** Simulator name → pty path, for createRig's wiring. */
  simulatorPorts: Record<string, string>;
  simulators: Record<string, RunningSimulator>;
  /** Emulated USB devices, for createRig's wiring. */
  usbDevices: U3vEmulator[];
  /** Lets the emulated camera see the lights and focus of this rig's devices. */
  bindRig(rig: Rig): void;
  /** The specimen under the emulated camera: the profile's, until another is loaded. */
  readonly specimen: string | undefined;
  /** Puts another scan under the emulated camera (a technician "loading" another reference casing). */
  loadSpecimen(surface: HeightField, name: string): void;
  stop(): Promise<void>;
}

const simulatorFor: Record<string, SimulatedDevice> = {
  grbl: 'grbl',
  'coolled-pe4000': 'coolled',
  'casebench-ring': 'ring',
};

/** Light directions and intensities (0..1) from the rig's light devices and the profile's geometry. */
export function rigLights(rig: Rig): Light[] {
  const lights: Light[] = [];
  for (const device of rig.lights) {
    const config = rig.profile.devices.find((d) => d.label === device.label);
    if (!config || !('channels' in config)) continue;
    const levels = device.state === 'ready' ? device.levels() : {};
    for (const channel of config.channels) {
      const intensity = (levels[channel.id] ?? 0) / 100;
      if (intensity <= 0) continue;
      lights.push({
        direction: channel.coaxial ? [0, 0, 1] : directionFromAngles(channel.azimuthDeg!, channel.elevationDeg!),
        intensity,
      });
    }
  }
  return lights;
}

export async function startDemoRig(options: {
  profile: RigProfile;
  surface: HeightField;
  dir: string;
}): Promise<DemoRig> {
  const { profile, surface, dir } = options;
  const simulators: Record<string, RunningSimulator> = {};
  const usbDevices: U3vEmulator[] = [];
  const renderers: FrameRenderer[] = [];
  let specimen = profile.specimen;
  let rig: Rig | undefined;
  const scene: CameraScene = {
    lights: () => (rig ? rigLights(rig) : []),
    defocusM: () => {
      const focus = rig?.focus;
      if (!focus) return 0;
      return (focus.stage.positions()[focus.axis] - profile.geometry.bestFocus) * 1e-3;
    },
  };
  try {
    for (const device of profile.devices) {
      if ('port' in device && 'simulator' in device.port) {
        const name = device.port.simulator;
        if (simulators[name]) continue;
        simulators[name] = await startSerialSimulator({
          device: simulatorFor[device.driver],
          dir,
          name,
          segments: device.driver === 'casebench-ring' ? device.channels.length : undefined,
        });
      } else if (device.driver === 'u3v' && device.emulated) {
        const renderer = opticsFrameRenderer(surface, scene, {
          pixelSizeM: profile.geometry.pixelSizeUm * 1e-6,
          numericalAperture: profile.geometry.numericalAperture,
        });
        renderers.push(renderer);
        usbDevices.push(
          new U3vEmulator({
            renderer,
            sensorWidth: device.emulated.sensorWidth,
            sensorHeight: device.emulated.sensorHeight,
          }),
        );
      }
    }
  } catch (error) {
    await Promise.all(Object.values(simulators).map((s) => s.stop()));
    throw error;
  }
  return {
    simulatorPorts: Object.fromEntries(Object.entries(simulators).map(([name, sim]) => [name, sim.path])),
    simulators,
    usbDevices,
    bindRig(bound) {
      rig = bound;
    },
    get specimen() {
      return specimen;
    },
    loadSpecimen(next, name) {
      for (const renderer of renderers) renderer.setSurface?.(next);
      specimen = name;
    },
    async stop() {
      await Promise.all(Object.values(simulators).map((s) => s.stop()));
    },
  };
}
