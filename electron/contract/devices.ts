import { z } from 'zod';
import { defineCall, defineEvent } from './rpc.ts';

// The imaging rig as the UI sees it: the station's one connected rig (chosen from resources/rigs/*.json by
// discovery, or the demo rig of simulators), its devices with their state, properties, light channels and stage
// axes, control calls, and live view. Control needs `rig.operate` (technician and up); anyone signed in may
// look. Values outside a device's limits are refused by the host before anything is sent (`invalid_input`,
// the message names the limit). While capture holds the rig exclusively, control calls answer `conflict`.

export const rigDeviceKinds = ['camera', 'light', 'stage'] as const;
/** 'busy': ready but moving / streaming; 'connecting': initializing. */
export const rigDeviceStates = ['ready', 'busy', 'connecting', 'disconnected', 'error'] as const;
export type RigDeviceState = (typeof rigDeviceStates)[number];
/** 'none': the station has no rig configured; 'starting': discovery and first connect under way;
 * 'ready': every device ready; 'degraded': some devices disconnected or failed; 'offline': none ready. */
export const rigStates = ['none', 'starting', 'ready', 'degraded', 'offline'] as const;
export type RigState = (typeof rigStates)[number];

export const rigErrorSchema = z.object({
  /** The driver's error code: timeout, disconnected, protocol, device-error, alarm, out-of-range, ... */
  code: z.string(),
  message: z.string(),
  at: z.string(),
});

export const rigPropertySchema = z.object({
  name: z.string(),
  type: z.enum(['number', 'integer', 'string', 'boolean']),
  unit: z.string().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  /** When present, the only accepted values. */
  allowed: z.array(z.union([z.string(), z.number()])).nullable(),
  readOnly: z.boolean(),
  /** null until the device has been initialized. */
  value: z.union([z.number(), z.string(), z.boolean()]).nullable(),
});
export type RigProperty = z.infer<typeof rigPropertySchema>;

export const rigLightChannelSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Percent of full output, 0..100. */
  level: z.number(),
  /** Direction seen from the specimen (0° = image +x, 90° = image +y); null for a coaxial light. */
  azimuthDeg: z.number().nullable(),
  elevationDeg: z.number().nullable(),
  coaxial: z.boolean(),
});
export type RigLightChannel = z.infer<typeof rigLightChannelSchema>;

export const rigAxisSchema = z.object({
  name: z.string(),
  unit: z.enum(['mm', 'deg']),
  role: z.enum(['focus', 'rotation', 'x', 'y']),
  /** Limits are known once the stage is initialized. */
  min: z.number().nullable(),
  max: z.number().nullable(),
  position: z.number().nullable(),
});
export type RigAxis = z.infer<typeof rigAxisSchema>;

export const rigDeviceSchema = z.object({
  label: z.string(),
  kind: z.enum(rigDeviceKinds),
  driver: z.string(),
  state: z.enum(rigDeviceStates),
  lastError: rigErrorSchema.nullable(),
  properties: z.array(rigPropertySchema),
  /** Light sources: one entry per channel / ring segment. Empty for other kinds. */
  channels: z.array(rigLightChannelSchema),
  /** Stages: one entry per axis. Empty for other kinds. */
  axes: z.array(rigAxisSchema),
  /** Stages: homed since the last connect (GRBL loses its position on reset). null for other kinds. */
  homed: z.boolean().nullable(),
});
export type RigDeviceView = z.infer<typeof rigDeviceSchema>;

export const rigStatusSchema = z.object({
  state: z.enum(rigStates),
  /** Why the rig is what it is, in words: "demo rig: no rig hardware found", "no USB on this machine", ... */
  message: z.string(),
  profile: z
    .object({
      name: z.string(),
      /** The profile's name in other languages, by language code, as its file gives them (may be empty). */
      names: z.record(z.string(), z.string()),
      path: z.string(),
      simulated: z.boolean(),
    })
    .nullable(),
  devices: z.array(rigDeviceSchema),
  live: z.object({
    running: z.boolean(),
    /** Live view is paused while capture holds the rig; it resumes afterwards. */
    paused: z.boolean(),
    /** Frames per second over the last second. */
    fps: z.number(),
  }),
  /** Who holds the rig exclusively (capture), or null. */
  exclusive: z.object({ purpose: z.string() }).nullable(),
});
export type RigStatus = z.infer<typeof rigStatusSchema>;

/** Statistics of one frame for the live view (computed by the host on a decimated grid). */
export const frameStatsSchema = z.object({
  /** Mean squared Laplacian on the 8-bit scale; larger = sharper. Compare between frames of one scene. */
  focus: z.number(),
  /** 64 bins over the full range of the pixel format. */
  histogram: z.array(z.number().int()),
  /** Fraction of pixels at full scale; the UI warns above ~0.5 %. */
  saturatedFraction: z.number(),
  /** Mean level on the 8-bit scale. */
  mean: z.number(),
});
export type FrameStats = z.infer<typeof frameStatsSchema>;

/** One camera frame for display: 8-bit grey pixels, row-major (Mono16 frames are reduced to their high byte). */
export const rigFrameSchema = z.object({
  /** Consecutive per live run; a gap means frames were skipped for a slow connection. */
  seq: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  /** The camera's own format; pixels are always 8-bit. */
  pixelFormat: z.enum(['Mono8', 'Mono16']),
  pixels: z.instanceof(Uint8Array),
  exposureUs: z.number(),
  gainDb: z.number(),
  /** Host wall clock when the frame left the camera driver (ms since epoch), for latency. */
  capturedAt: z.number(),
  stats: frameStatsSchema,
});
export type RigFrame = z.infer<typeof rigFrameSchema>;

const label = z.string().min(1).max(32);
const deviceTarget = z.object({ device: label.optional() });

export const roiSchema = z.object({
  x: z.number().int().min(0),
  y: z.number().int().min(0),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
});

export const devicesCalls = {
  'rig.status': defineCall({ permission: 'signedIn', input: z.object({}), output: rigStatusSchema }),
  /** Connects every device, or the one named (again after an unplug). Device failures show in the status. */
  'rig.connect': defineCall({ permission: 'rig.operate', input: deviceTarget, output: rigStatusSchema }),
  /** Shuts every device down, or the one named; a disconnected device is not reconnected automatically. */
  'rig.disconnect': defineCall({ permission: 'rig.operate', input: deviceTarget, output: rigStatusSchema }),
  /** Sets light levels (percent) on one light source; channels not named keep their level. */
  'rig.setLights': defineCall({
    permission: 'rig.operate',
    input: z.object({
      device: label,
      levels: z.record(
        z.string().min(1).max(8),
        z.number().min(0, 'a light level is 0–100 %').max(100, 'a light level is 0–100 %'),
      ),
    }),
    output: rigStatusSchema,
  }),
  /** Changes camera settings; each is checked against the camera's limits first. ROI and format need live view stopped. */
  'rig.setCameraProperty': defineCall({
    permission: 'rig.operate',
    input: z
      .object({
        device: label.optional(),
        exposureUs: z.number().positive().optional(),
        gainDb: z.number().optional(),
        roi: roiSchema.optional(),
        pixelFormat: z.enum(['Mono8', 'Mono16']).optional(),
      })
      .refine(
        (v) =>
          v.exposureUs !== undefined || v.gainDb !== undefined || v.roi !== undefined || v.pixelFormat !== undefined,
        'name at least one setting',
      ),
    output: rigStatusSchema,
  }),
  /** Moves one stage axis to an absolute position (mm or degrees); resolves when the move has finished. */
  'rig.stage.moveTo': defineCall({
    permission: 'rig.operate',
    input: z.object({ device: label.optional(), axis: z.string().min(1).max(8), position: z.number() }),
    output: rigStatusSchema,
  }),
  /** Moves one stage axis by a step (jog); resolves when the move has finished. */
  'rig.stage.moveBy': defineCall({
    permission: 'rig.operate',
    input: z.object({ device: label.optional(), axis: z.string().min(1).max(8), delta: z.number() }),
    output: rigStatusSchema,
  }),
  'rig.stage.home': defineCall({ permission: 'rig.operate', input: deviceTarget, output: rigStatusSchema }),
  /** Stops any motion at once (every stage, or the one named). Allowed even while capture holds the rig. */
  'rig.stage.stop': defineCall({ permission: 'rig.operate', input: deviceTarget, output: rigStatusSchema }),
  /** One frame with the current settings (pauses live view for the snap). */
  'rig.snap': defineCall({ permission: 'rig.operate', input: z.object({}), output: rigFrameSchema }),
  /** Starts live view; frames arrive as `rig.onFrame` events. */
  'rig.liveStart': defineCall({
    permission: 'rig.operate',
    input: z.object({ maxFps: z.number().min(1).max(60).default(30) }),
    output: rigStatusSchema,
  }),
  'rig.liveStop': defineCall({ permission: 'rig.operate', input: z.object({}), output: rigStatusSchema }),
  /**
   * Flow control for `rig.onFrame`: a connection that acknowledges the frames it has drawn gets at most two
   * frames ahead of its acknowledgements (frames in between are skipped, never queued). A connection that never
   * acknowledges gets every frame.
   */
  'rig.frameAck': defineCall({
    permission: 'signedIn',
    input: z.object({ seq: z.number().int().min(0) }),
    output: z.object({}),
  }),
};

export const devicesEvents = {
  /** The whole rig status, after any state, property, level or position change (at most ~20 per second). */
  'rig.onChanged': defineEvent({ permission: 'signedIn', filter: z.object({}), payload: rigStatusSchema }),
  /** Live view frames while live view runs. */
  'rig.onFrame': defineEvent({ permission: 'rig.operate', filter: z.object({}), payload: rigFrameSchema }),
};
