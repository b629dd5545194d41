// The devices domain of the contract on top of the station rig. Every value is checked against the device's
// limits before anything is sent (the drivers refuse out-of-range values themselves; here they become
// `invalid_input` naming the limit), and control is refused while capture holds the rig.
import { AppError } from '../../../contract/errors.ts';
import type { devicesCalls, devicesEvents } from '../../../contract/devices.ts';
import type { CallHandlers, EventSources } from '../../rpc/handlers.ts';
import type { Session } from '../../../contract/auth.ts';
import { checkPropertyValue, type Device, type PropertyValue } from '../../../../native/devices/device.ts';
import type { Camera, LightSource, Stage } from '../../../../native/devices/kinds.ts';
import type { Rig } from '../../../../native/rig/createRig.ts';
import type { StationRig } from './rigService.ts';
import { frameView, toAppError } from './views.ts';
import { defaultLiveLighting } from './liveLighting.ts';

export type RigAudit = (session: Session | null, action: string, details: Record<string, unknown>) => void;

async function mapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toAppError(error);
  }
}

function findDevice<K extends Device['kind']>(
  rig: Rig,
  label: string | undefined,
  kind: K,
): Extract<Camera | LightSource | Stage, { kind: K }> {
  const device =
    label === undefined ? rig.devices.find((d) => d.kind === kind) : rig.devices.find((d) => d.label === label);
  if (!device)
    throw new AppError(
      'not_found',
      label === undefined ? `the rig has no ${kind}` : `the rig has no device "${label}"`,
    );
  if (device.kind !== kind) throw new AppError('invalid_input', `"${device.label}" is a ${device.kind}, not a ${kind}`);
  return device as Extract<Camera | LightSource | Stage, { kind: K }>;
}

function stageFor(rig: Rig, label: string | undefined): Stage {
  if (label === undefined && rig.focus) return rig.focus.stage;
  return findDevice(rig, label, 'stage');
}

/** Camera settings in the order that keeps every intermediate ROI valid: shrink first, then move, then grow. */
function cameraWrites(
  camera: Camera,
  input: {
    exposureUs?: number;
    gainDb?: number;
    roi?: { x: number; y: number; width: number; height: number };
    pixelFormat?: string;
  },
): [string, PropertyValue][] {
  const writes: [string, PropertyValue][] = [];
  if (input.exposureUs !== undefined) writes.push(['exposureUs', input.exposureUs]);
  if (input.gainDb !== undefined) writes.push(['gainDb', input.gainDb]);
  if (input.pixelFormat !== undefined) writes.push(['pixelFormat', input.pixelFormat]);
  if (input.roi) {
    const spec = (name: string) => camera.properties().find((p) => p.name === name);
    const sensorWidth = spec('width')?.max;
    const sensorHeight = spec('height')?.max;
    const { x, y, width, height } = input.roi;
    if (sensorWidth !== undefined && x + width > sensorWidth)
      throw new AppError('invalid_input', `ROI x + width = ${x + width} exceeds the sensor width ${sensorWidth} px`);
    if (sensorHeight !== undefined && y + height > sensorHeight)
      throw new AppError(
        'invalid_input',
        `ROI y + height = ${y + height} exceeds the sensor height ${sensorHeight} px`,
      );
    writes.push(['offsetX', 0], ['offsetY', 0], ['width', width], ['height', height], ['offsetX', x], ['offsetY', y]);
  }
  // Check every value against its limits before the first one is sent: all or nothing reaches the camera.
  for (const [name, value] of writes) {
    const propertySpec = camera.properties().find((p) => p.name === name);
    if (!propertySpec) throw new AppError('unavailable', `the camera does not report ${name} (is it connected?)`);
    try {
      checkPropertyValue(camera.label, propertySpec, value);
    } catch (error) {
      throw toAppError(error);
    }
  }
  return writes;
}

export function rigHandlers(station: StationRig, audit: RigAudit): CallHandlers<typeof devicesCalls> {
  const status = () => station.status();
  return {
    'rig.status': async () => {
      return status();
    },
    'rig.connect': async ({ device }, ctx) => {
      await station.ready;
      await mapped(() => station.connect(device, ctx.signal));
      audit(ctx.session, 'rig.connect', { device: device ?? 'all', profile: station.profile()?.name ?? null });
      return status();
    },
    'rig.disconnect': async ({ device }, ctx) => {
      await station.ready;
      await mapped(() => station.disconnect(device));
      audit(ctx.session, 'rig.disconnect', { device: device ?? 'all', profile: station.profile()?.name ?? null });
      return status();
    },
    'rig.setLights': async ({ device, levels }, ctx) => {
      const light = findDevice(station.requireControl(), device, 'light');
      await mapped(() => light.setLevels(levels, ctx.signal));
      return status();
    },
    'rig.setCameraProperty': async (input, ctx) => {
      const camera = findDevice(station.requireControl(), input.device, 'camera');
      const writes = cameraWrites(camera, input);
      // ROI and pixel format cannot change while images stream: live view pauses for the change.
      const needsPause = writes.some(([name]) => name !== 'exposureUs' && name !== 'gainDb');
      const resume = needsPause ? await station.live.pause() : undefined;
      try {
        for (const [name, value] of writes) await mapped(() => camera.setProperty(name, value, ctx.signal));
      } finally {
        resume?.();
      }
      if (input.roi || input.pixelFormat)
        audit(ctx.session, 'rig.camera_format', {
          device: camera.label,
          roi: input.roi ?? null,
          pixelFormat: input.pixelFormat ?? null,
        });
      return status();
    },
    'rig.stage.moveTo': async ({ device, axis, position }, ctx) => {
      const stage = stageFor(station.requireControl(), device);
      await mapped(() => stage.moveTo(axis, position, ctx.signal));
      return status();
    },
    'rig.stage.moveBy': async ({ device, axis, delta }, ctx) => {
      const stage = stageFor(station.requireControl(), device);
      await mapped(() => stage.moveBy(axis, delta, ctx.signal));
      return status();
    },
    'rig.stage.home': async ({ device }, ctx) => {
      const stage = stageFor(station.requireControl(), device);
      await mapped(() => stage.home(ctx.signal));
      return status();
    },
    'rig.stage.stop': async ({ device }) => {
      // Stopping motion is always allowed, also while capture holds the rig: it is the safety action.
      const rig = station.current();
      if (!rig) throw new AppError('unavailable', 'the station has no rig');
      const stages = device === undefined ? rig.stages : [findDevice(rig, device, 'stage')];
      await mapped(() => Promise.all(stages.map((s) => s.stop())));
      return status();
    },
    'rig.snap': async (_input, ctx) => {
      const camera = findDevice(station.requireControl(), undefined, 'camera');
      if (station.status().live.running) return mapped(() => station.live.nextFrame(ctx.signal));
      const frame = await mapped(() => camera.snap(ctx.signal));
      return frameView(frame, 0, Date.now());
    },
    'rig.liveStart': async ({ maxFps }, ctx) => {
      const camera = findDevice(station.requireControl(), undefined, 'camera');
      if (camera.state !== 'ready')
        throw new AppError('device', `${camera.label} is ${camera.state}; connect it first`);
      const rig = station.requireControl();
      for (const [label, levels] of defaultLiveLighting(rig))
        await mapped(() => findDevice(rig, label, 'light').setLevels(levels, ctx.signal));
      await station.live.start(maxFps);
      return status();
    },
    'rig.liveStop': async () => {
      await station.live.stop();
      return status();
    },
    'rig.frameAck': ({ seq }, ctx) => {
      station.live.acknowledge(ctx.connection.id, seq);
      return {};
    },
  };
}

export function rigEventSources(station: StationRig): EventSources<typeof devicesEvents> {
  return {
    'rig.onChanged': (_filter, emit) => station.onChanged(emit),
    'rig.onFrame': (_filter, emit, ctx) => {
      const stop = station.live.subscribe(ctx.connection.id, emit);
      return () => {
        stop();
        station.live.forgetConnection(ctx.connection.id);
      };
    },
  };
}
