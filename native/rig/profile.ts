// Rig profiles: JSON files naming each device, its driver, where it is plugged (serial port, USB ids or a
// simulator) and the geometry the images need (light directions, pixel size, focus). Validated here, once,
// with messages that name the offending field.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const label = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'labels are lower-case letters, digits and dashes, starting with a letter');
const usbId = z.union([
  z.number().int().min(0).max(0xffff),
  z
    .string()
    .regex(/^0x[0-9a-fA-F]{1,4}$/)
    .transform((s) => Number.parseInt(s, 16)),
]);

export const serialPortSchema = z.union([
  z.object({ path: z.string().min(1), baudRate: z.number().int().positive().default(115200) }).strict(),
  z.object({ simulator: label }).strict(),
]);

const lightChannel = z
  .object({
    id: z.string().min(1).max(8),
    name: z.string().min(1).max(40),
    /** Direction of the light seen from the specimen: azimuth (0 = image +x, 90 = image +y) and elevation. */
    azimuthDeg: z.number().min(-360).max(360).optional(),
    elevationDeg: z.number().min(0).max(90).optional(),
    coaxial: z.boolean().optional(),
  })
  .strict()
  .refine(
    (c) => c.coaxial === true || (c.azimuthDeg !== undefined && c.elevationDeg !== undefined),
    'a light channel needs azimuthDeg and elevationDeg, or coaxial: true',
  );

const grblAxis = z
  .object({
    name: z.string().regex(/^[a-z]{1,8}$/),
    letter: z.enum(['X', 'Y', 'Z']),
    unit: z.enum(['mm', 'deg']),
    speed: z.number().positive(),
    min: z.number().optional(),
    max: z.number().optional(),
    role: z.enum(['focus', 'rotation', 'x', 'y']),
  })
  .strict();

const deviceSchema = z.discriminatedUnion('driver', [
  z
    .object({
      label,
      kind: z.literal('stage'),
      driver: z.literal('grbl'),
      port: serialPortSchema,
      axes: z.array(grblAxis).min(1).max(3),
      timeoutMs: z.number().int().min(50).max(10_000).optional(),
    })
    .strict(),
  z
    .object({
      label,
      kind: z.literal('light'),
      driver: z.literal('coolled-pe4000'),
      port: serialPortSchema,
      channels: z.array(lightChannel).min(1).max(4),
      timeoutMs: z.number().int().min(50).max(10_000).optional(),
    })
    .strict(),
  z
    .object({
      label,
      kind: z.literal('light'),
      driver: z.literal('casebench-ring'),
      port: serialPortSchema,
      channels: z.array(lightChannel).min(1).max(31),
      timeoutMs: z.number().int().min(50).max(10_000).optional(),
    })
    .strict(),
  z
    .object({
      label,
      kind: z.literal('camera'),
      driver: z.literal('u3v'),
      usb: z.object({ vendorId: usbId, productId: usbId, serialNumber: z.string().optional() }).strict(),
      /** Use the built-in USB3 Vision emulator instead of a real device. */
      emulated: z
        .object({ sensorWidth: z.number().int().min(16).max(8192), sensorHeight: z.number().int().min(16).max(8192) })
        .strict()
        .optional(),
      timeoutMs: z.number().int().min(50).max(10_000).optional(),
    })
    .strict(),
  z.object({ label, kind: z.literal('camera'), driver: z.literal('uvc'), deviceLabel: z.string().optional() }).strict(),
]);

export const rigProfileSchema = z
  .object({
    schema: z.literal('casebench.rig/1'),
    name: z.string().min(1).max(80),
    /**
     * The name in other languages, by language code ({"fr": "…", "ar": "…"}): a station shows the one of its user's
     * language, else `name` as written.
     */
    names: z
      .record(z.string().regex(/^[a-z]{2,3}$/, 'a language code such as "fr"'), z.string().min(1).max(80))
      .optional(),
    description: z.string().max(500).optional(),
    /** Scan the simulated camera renders, relative to the shared data folder. */
    specimen: z.string().optional(),
    geometry: z
      .object({
        /** Specimen micrometres per camera pixel. */
        pixelSizeUm: z.number().positive().max(1000),
        /** Focus-axis position (machine coordinates) at which the specimen surface is sharp. */
        bestFocus: z.number(),
        numericalAperture: z.number().positive().max(1).default(0.1),
      })
      .strict(),
    devices: z.array(deviceSchema).min(1),
  })
  .strict()
  .superRefine((profile, ctx) => {
    const labels = new Set<string>();
    for (const [i, device] of profile.devices.entries()) {
      if (labels.has(device.label))
        ctx.addIssue({
          code: 'custom',
          path: ['devices', i, 'label'],
          message: `duplicate device label "${device.label}"`,
        });
      labels.add(device.label);
    }
    if (
      !profile.devices.some((d) => d.kind === 'stage' && d.axes.some((a) => a.role === 'focus')) &&
      profile.devices.some((d) => d.kind === 'camera')
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['devices'],
        message: 'a rig with a camera needs a stage axis with role "focus"',
      });
    }
  });

export type RigProfile = z.infer<typeof rigProfileSchema>;
export type RigDeviceConfig = RigProfile['devices'][number];
export type SerialPortConfig = z.infer<typeof serialPortSchema>;

export class RigProfileError extends Error {}

export function parseRigProfile(json: unknown, source = 'rig profile'): RigProfile {
  const result = rigProfileSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new RigProfileError(`${source} is not valid:\n  ${issues.join('\n  ')}`);
  }
  return result.data;
}

export async function loadRigProfile(path: string): Promise<RigProfile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new RigProfileError(`cannot read rig profile ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RigProfileError(`${path} is not JSON: ${(error as Error).message}`);
  }
  return parseRigProfile(json, path);
}
