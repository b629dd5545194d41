import { z } from 'zod';
import { defineCall, defineEvent } from './rpc.ts';

// Acquisitions (captured or imported 2D images and 3D topographies of an item) and the rig calibrations they
// rest on. Provenance is write-once; only the examiner's "unsuitable" judgement is amendable, with a reason.
export const acquisitionRegions = ['breech_face', 'firing_pin', 'ejector_mark', 'whole'] as const;
export type AcquisitionRegion = (typeof acquisitionRegions)[number];
/** Regions the guided capture offers (an imported scan may also be 'whole'). */
export const captureRegions = ['breech_face', 'firing_pin', 'ejector_mark'] as const;
export const acquisitionSources = ['capture', 'import'] as const;
export const calibrationKinds = ['scale', 'flat_dark', 'lights', 'uniformity', 'suite'] as const;
export type CalibrationKind = (typeof calibrationKinds)[number];
/** What `calibrations.run` can be asked for: 'all' runs the whole suite and stores one 'suite' record. */
export const calibrationRunKinds = ['all', 'scale', 'flat_dark', 'lights', 'uniformity'] as const;

/** Largest file accepted by `acquisitions.import`: the bytes travel in one message, and the station's
 * WebSocket takes messages up to 64 MiB (a 2048² float64 X3P is about 34 MiB). */
export const maxImportBytes = 60 * 1024 * 1024;
/** Largest file `acquisitions.fileContent` sends; bigger files are viewed through `acquisitions.preview`. */
export const maxFileContentBytes = 64 * 1024 * 1024;

export const qualityCheckSchema = z.object({
  id: z.enum(['focus', 'saturation', 'coverage', 'calibration']),
  passed: z.boolean(),
  value: z.number(),
  threshold: z.number(),
  message: z.string(),
});
export const qualityReportSchema = z.object({ passed: z.boolean(), checks: z.array(qualityCheckSchema) });
export type QualityReportView = z.infer<typeof qualityReportSchema>;

export const deviceIdentitySchema = z.object({
  label: z.string(),
  driver: z.string(),
  model: z.string().nullable(),
  serial: z.string().nullable(),
  firmware: z.string().nullable(),
});
export type DeviceIdentity = z.infer<typeof deviceIdentitySchema>;

/**
 * A calibration check out of its limits, as a code with its figures, worded by the UI (i18n
 * `calibration.problem.<code>`): fractions are 0..1 (shown as %), dot_residual and lens_distortion are pixels.
 */
export const calibrationProblemCodes = [
  'dot_residual', // dot positions off the fitted grid: target damaged, dirty or out of focus
  'lens_distortion', // the lens moves the image corner by value px
  'scale_xy', // pixel scale differs between x and y by value (fraction)
  'non_uniformity', // a light's response varies over the field
  'repeatability', // a light's level varies between repeats
  'repeats_missing', // repeatability needs at least two repeated frames
  'light_misfit', // the sphere does not look Lambertian under a light
] as const;
export const calibrationProblemSchema = z.object({
  code: z.enum(calibrationProblemCodes),
  /** The light channel key ('ring/2') the check is about, when it is about one. */
  channel: z.string().optional(),
  value: z.number().optional(),
  limit: z.number().optional(),
});
export type CalibrationProblem = z.infer<typeof calibrationProblemSchema>;

/**
 * Why a calibration run could not measure at all (the target not found or not usable), sent as `details: { reason:
 * 'calibration_failed', failure, ...figures }` and worded by the UI (i18n `errors.calibration.<failure>`).
 */
export const calibrationFailures = [
  'no_virtual_camera', // the rig profile has no emulated camera to image virtual targets with
  'no_coaxial_light', // the sphere is located under the coaxial light; the rig has none
  'flat_saturated', // figures: pixels
  'flat_too_dark', // figures: levelDn
  'sphere_not_found',
  'sphere_cut',
  'sphere_unlit',
  'grid_uniform',
  'grid_dots_small', // figures: area (pixels per dot)
  'grid_too_few_dots', // figures: dots
  'grid_too_many_dots', // figures: dots
  'grid_irregular',
] as const;
export type CalibrationFailure = (typeof calibrationFailures)[number];

export const calibrationSummarySchema = z.object({
  id: z.number().int(),
  /**
   * The lab's reference for it, 'CAL-2026-0003': the third calibration this station made in 2026 (UTC year of
   * performedAt, numbered in the order they were made). Stored when the calibration is recorded and never changed,
   * not even if an earlier record disappears from the database (numbers are not reused). Shown wherever a
   * calibration is named (screens, audit, capture reasons, the PDF report) instead of the internal id.
   */
  reference: z.string(),
  kind: z.enum(calibrationKinds),
  rigProfile: z.string(),
  /** Device label → serial number at the time of calibration. */
  deviceSerials: z.record(z.string(), z.string()),
  operator: z.string(),
  performedAt: z.string(),
  expiresAt: z.string(),
  /** Past its expiry now (capture refuses it). */
  expired: z.boolean(),
  /** Every check within its limits. */
  passed: z.boolean(),
  /** What is out of limits, in English for logs and old records (empty when every check passed). */
  messages: z.array(z.string()),
  /** The same as codes and figures the UI words; empty on records made before problems were recorded. */
  problems: z.array(calibrationProblemSchema),
  /** Headline figures for lists, whichever the kind measured: pixel size, lights fitted, worst non-uniformity. */
  headline: z
    .object({
      umPerPixel: z.number().nullable(),
      lights: z.number().int().nullable(),
      worstNonUniformity: z.number().nullable(),
    })
    .optional(),
  /** SHA-256 of the picture/report the lab can file (PNG), when the kind makes one. */
  reportSha256: z.string().nullable(),
});
export type CalibrationSummary = z.infer<typeof calibrationSummarySchema>;

export const calibrationDetailSchema = calibrationSummarySchema.extend({
  /** Kind-specific results: scale {umPerPixelX, umPerPixelY, k1, ...}, lights [{channel, direction, intensity}],
   * flat_dark {channels: [{channel, levelDn, gainSha256}], darkNoiseDn}, uniformity {channels, limits}. */
  results: z.record(z.string(), z.unknown()),
});
export type CalibrationDetail = z.infer<typeof calibrationDetailSchema>;

/** A lab's calibration validity period, in whole days (a day to ten years). */
export const calibrationValidityDaysSchema = z
  .number()
  .int('whole days')
  .min(1, 'at least 1 day')
  .max(3650, 'at most 3650 days');
export const calibrationSettingsSchema = z.object({
  validityDays: z.number().positive(),
  source: z.enum(['station', 'default']),
});
export type CalibrationSettings = z.infer<typeof calibrationSettingsSchema>;

export const acquisitionFileSchema = z.object({
  /** 'topography', 'original', 'dark', 'light:<device>/<channel>', 'ring', 'coaxial', 'focus'. */
  role: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  mediaType: z.string(),
  /** Per-file capture settings: exposure, gain, light levels, focus position. */
  settings: z.record(z.string(), z.unknown()).nullable(),
});
export type AcquisitionFile = z.infer<typeof acquisitionFileSchema>;

export const acquisitionSummarySchema = z.object({
  id: z.number().int(),
  itemId: z.number().int(),
  source: z.enum(acquisitionSources),
  region: z.enum(acquisitionRegions),
  operator: z.string(),
  startedAt: z.string(),
  completedAt: z.string(),
  rigProfile: z.string().nullable(),
  calibrationId: z.number().int().nullable(),
  topographySha256: z.string().nullable(),
  /** Topography pixel size, micrometres. */
  lateralUm: z.number().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  /** null when no quality checks ran (imports). */
  qualityPassed: z.boolean().nullable(),
  unsuitableReason: z.string().nullable(),
  fileCount: z.number().int(),
  version: z.number().int(),
});
export type AcquisitionSummary = z.infer<typeof acquisitionSummarySchema>;

/** settings.format of an acquisition imported from a case package. Its settings are the sending station's as
 * recorded there: the calibration ids they name are that lab's records, never this station's. */
export const casePackageFormat = 'case-package';
export const isFromCasePackage = (settings: Record<string, unknown> | null | undefined): boolean =>
  settings?.format === casePackageFormat;

export const acquisitionDetailSchema = acquisitionSummarySchema.extend({
  devices: z.array(deviceIdentitySchema),
  /** Capture settings (focus, exposure, lights, calibrations used) or import details (format, original name,
   * notes, `corrections` the X3P reader made). */
  settings: z.record(z.string(), z.unknown()),
  quality: qualityReportSchema.nullable(),
  calibration: calibrationSummarySchema.nullable(),
  /** The lab reference of each calibration the settings name (settings.calibrations), by id: this station's
   * records for a capture; for an acquisition from a case package, the capturing lab's references it carried. */
  calibrationReferences: z.record(z.string(), z.string()).optional(),
  files: z.array(acquisitionFileSchema),
});
export type AcquisitionDetail = z.infer<typeof acquisitionDetailSchema>;

/** Bytes of a file or picture (any Uint8Array; travels as a binary frame). */
export const bytesSchema = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected the bytes of a file');

const reasonText = z.string().trim().min(1, 'required').max(500, 'at most 500 characters');

/** A circle on the acquisition's topography or image, in its pixels (centre x/y, radius). */
export const regionCircleSchema = z.object({
  cx: z.number().finite(),
  cy: z.number().finite(),
  r: z.number().positive().finite(),
});
export type RegionCircle = z.infer<typeof regionCircleSchema>;

/**
 * The parts of a cartridge-case head on one picture: primer, firing-pin impression and the breech-face annulus
 * (outer and inner circle; the area compared). The one definition of regions: analysis detects into it, the
 * host stores a manual override of it as an amendment.
 */
export const headRegionsBaseSchema = z.object({
  /** Size of the picture the circles refer to (pixels). */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  primer: regionCircleSchema.nullable(),
  firingPin: regionCircleSchema.nullable(),
  breechFace: z.object({ outer: regionCircleSchema, inner: regionCircleSchema.nullable() }).nullable(),
});

/** Circles must lie on the picture (centre inside it, radius at most its diagonal); the annulus must be a ring. */
function checkCircles(v: z.infer<typeof headRegionsBaseSchema>, ctx: z.RefinementCtx): void {
  const diagonal = Math.hypot(v.width, v.height);
  const check = (c: RegionCircle | null | undefined, path: (string | number)[]) => {
    if (!c) return;
    if (c.cx < 0 || c.cx > v.width || c.cy < 0 || c.cy > v.height)
      ctx.addIssue({
        code: 'custom',
        path,
        message: `centre (${c.cx}, ${c.cy}) is outside the ${v.width} × ${v.height} picture`,
      });
    if (c.r > diagonal) ctx.addIssue({ code: 'custom', path, message: `radius ${c.r} is larger than the picture` });
  };
  check(v.primer, ['primer']);
  check(v.firingPin, ['firingPin']);
  check(v.breechFace?.outer, ['breechFace', 'outer']);
  check(v.breechFace?.inner, ['breechFace', 'inner']);
  const bf = v.breechFace;
  if (bf?.inner && bf.inner.r >= bf.outer.r)
    ctx.addIssue({
      code: 'custom',
      path: ['breechFace', 'inner'],
      message: 'the inner circle of the breech-face annulus must be smaller than the outer one',
    });
}

export const headRegionsSchema = headRegionsBaseSchema.superRefine(checkCircles);
export type HeadRegions = z.infer<typeof headRegionsSchema>;

/** Regions with where they come from: 'auto' from detection, 'manual' when an examiner set them. */
export const regionsSchema = headRegionsBaseSchema
  .extend({ origin: z.enum(['auto', 'manual']), method: z.string() })
  .superRefine(checkCircles);
export type Regions = z.infer<typeof regionsSchema>;

/** What `acquisitions.regions` answers: the detected regions, the override if any, and which one is in force. */
export const acquisitionRegionsSchema = z.object({
  acquisitionId: z.number().int(),
  /** The file the circles refer to ('topography', 'ring' or 'original'). */
  role: z.string(),
  detected: regionsSchema.nullable(),
  /** Why detection found nothing or failed (the override still works). */
  detectionError: z.string().nullable(),
  override: regionsSchema.nullable(),
  version: z.number().int(),
});
export type AcquisitionRegionsView = z.infer<typeof acquisitionRegionsSchema>;

/**
 * The side of the quick preview a viewer asks for first (about what a field panel shows at fit). The host keeps a
 * derived copy of it per stored file, so it is answered without decoding the full-resolution file.
 */
export const quickPreviewMaxSize = 512;

export const previewSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('image'),
    role: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    sourceWidth: z.number().int(),
    sourceHeight: z.number().int(),
    /** 8-bit grey, row-major, contrast-stretched between the source's `low` and `high` levels. */
    data: bytesSchema,
    low: z.number(),
    high: z.number(),
  }),
  z.object({
    kind: z.literal('topography'),
    role: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    sourceWidth: z.number().int(),
    sourceHeight: z.number().int(),
    /** Point spacing of the preview grid, micrometres. */
    spacingUm: z.number(),
    /** Heights in micrometres as little-endian float32, row-major; NaN = not measured. */
    data: bytesSchema,
    zMinUm: z.number(),
    zMaxUm: z.number(),
  }),
]);
export type AcquisitionPreview = z.infer<typeof previewSchema>;

/**
 * What a capture is doing, as codes the UI turns into words: a step of one region (autofocus, one light, ...) or of
 * the whole capture (region null). `frames` counts the autofocus frames judged so far, `light` names the channel
 * imaged, `focusMm` is the manual focus position.
 */
export const captureSteps = [
  'connecting',
  'autofocus',
  'manual_focus',
  'exposure',
  'light',
  'photometric_stereo',
  'quality_checks',
  'storing_originals',
  'recording',
  'done',
] as const;
export const captureStepSchema = z.object({
  step: z.enum(captureSteps),
  region: z.enum(captureRegions).nullable(),
  frames: z.number().int().nonnegative().optional(),
  light: z.string().max(100).optional(),
  focusMm: z.number().optional(),
  /** The frame just taken, small (8-bit grey, at most 160 px a side), so the wizard shows each image as it arrives. */
  preview: z
    .object({
      role: z.string().max(100),
      width: z.number().int().positive().max(160),
      height: z.number().int().positive().max(160),
      data: z.instanceof(Uint8Array),
    })
    .optional(),
});
export type CaptureStep = z.infer<typeof captureStepSchema>;

export const captureProgressSchema = captureStepSchema.extend({
  itemId: z.number().int(),
  /** 0..1 over the whole capture. */
  fraction: z.number(),
});
export type CaptureProgressView = z.infer<typeof captureProgressSchema>;

/** What a calibration run is doing (codes for the UI's words); `light` names the channel a target is imaged under. */
export const calibrationSteps = [
  'dark_frames',
  'white_target',
  'dot_grid',
  'sphere',
  'fitting_lattice',
  'uniformity',
  'fitting_lights',
  'fitting_suite',
  'light_vectors',
  'storing',
] as const;
/**
 * Why capture cannot start, as data (the UI words it in the user's language). A calibration is named by its lab
 * reference (`reference`, 'CAL-2026-0003'); `calibrationId` is for links.
 */
const calibrationNamed = { calibrationId: z.number().int(), reference: z.string() };
export const captureBlockSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('no_rig'), said: z.string() }),
  z.object({ kind: z.literal('no_calibration'), calibrationKind: z.enum(['scale', 'flat_dark', 'lights']) }),
  z.object({ kind: z.literal('calibration_failed'), ...calibrationNamed }),
  z.object({ kind: z.literal('calibration_expired'), ...calibrationNamed, expiresAt: z.string() }),
  z.object({ kind: z.literal('calibration_other_rig'), ...calibrationNamed, rigProfile: z.string() }),
  z.object({ kind: z.literal('calibration_devices_changed'), ...calibrationNamed, devices: z.array(z.string()) }),
]);
export type CaptureBlock = z.infer<typeof captureBlockSchema>;

export const calibrationStepSchema = z.object({
  step: z.enum(calibrationSteps),
  light: z.string().max(100).optional(),
});
export type CalibrationStep = z.infer<typeof calibrationStepSchema>;

/** The reference casing the demo rig's camera images for an item (a simulated rig images a scan, not the item). */
export const demoSpecimenChoiceSchema = z.object({
  /** Every reference casing the demo rig can "load": id (its file in the shared data folder) and a name. */
  specimens: z.array(z.object({ id: z.string(), label: z.string() })),
  chosen: z.string(),
  /** False while the item has no choice of its own (the rig profile's specimen is used). */
  remembered: z.boolean(),
});
export type DemoSpecimenChoice = z.infer<typeof demoSpecimenChoiceSchema>;

/** "fadul/fadul_10-2.x3p" → "fadul 10-2": the file's own name is how a reference set names its casings. */
export function specimenLabel(id: string): string {
  return (id.split('/').pop() ?? id).replace(/\.x3p$/i, '').replace(/_/g, ' ');
}

export const acquisitionsCalls = {
  'acquisitions.list': defineCall({
    permission: 'case.read',
    input: z.object({ itemId: z.number().int() }),
    output: z.object({ rows: z.array(acquisitionSummarySchema) }),
  }),
  'acquisitions.get': defineCall({
    permission: 'case.read',
    input: z.object({ id: z.number().int() }),
    output: acquisitionDetailSchema,
  }),
  /** A scan made elsewhere (X3P, PNG or TIFF, recognised by content). The original is stored unmodified. */
  'acquisitions.import': defineCall({
    permission: 'acquisition.write',
    input: z.object({
      itemId: z.number().int(),
      region: z.enum(acquisitionRegions),
      fileName: z.string().trim().min(1).max(255),
      // Empty and too large are refused by the host as typed file refusals (the message already bounds the size).
      bytes: bytesSchema,
      notes: z.string().trim().max(2000).optional(),
    }),
    output: acquisitionDetailSchema,
  }),
  /** A downsampled view of one file for the viewer (at most maxSize pixels along its longer side). */
  'acquisitions.preview': defineCall({
    permission: 'case.read',
    input: z.object({
      acquisitionId: z.number().int(),
      role: z.string().min(1).max(100),
      maxSize: z.number().int().min(16).max(2048).default(1024),
    }),
    output: previewSchema,
  }),
  /** The stored bytes of one file (for export or a full-resolution view); refused above maxFileContentBytes. */
  'acquisitions.fileContent': defineCall({
    permission: 'case.read',
    input: z.object({ acquisitionId: z.number().int(), role: z.string().min(1).max(100) }),
    output: z.object({
      role: z.string(),
      sha256: z.string(),
      mediaType: z.string(),
      size: z.number().int(),
      bytes: bytesSchema,
    }),
  }),
  /** AFTE "unsuitable for comparison", an examiner's judgement: audited with before/after and the reason. */
  'acquisitions.markUnsuitable': defineCall({
    permission: 'conclusion.write',
    input: z.object({ id: z.number().int(), version: z.number().int(), reason: reasonText }),
    output: acquisitionSummarySchema,
  }),
  'acquisitions.clearUnsuitable': defineCall({
    permission: 'conclusion.write',
    input: z.object({ id: z.number().int(), version: z.number().int(), reason: reasonText }),
    output: acquisitionSummarySchema,
  }),
  /** Regions of the head (primer, firing pin, breech-face annulus): detected on the acquisition's topography or
   * image, plus the examiner's override if one is stored. */
  'acquisitions.regions': defineCall({
    permission: 'case.read',
    input: z.object({ id: z.number().int() }),
    output: acquisitionRegionsSchema,
  }),
  /** Manual override of the regions (an amendment: audited with before/after and the reason). Search and compare
   * use its breech-face annulus. */
  'acquisitions.setRegions': defineCall({
    permission: 'conclusion.write',
    input: z.object({
      id: z.number().int(),
      version: z.number().int(),
      reason: reasonText,
      regions: headRegionsSchema,
    }),
    output: acquisitionRegionsSchema,
  }),
  /** Removes the override (back to the detected regions), audited like setRegions. */
  'acquisitions.clearRegions': defineCall({
    permission: 'conclusion.write',
    input: z.object({ id: z.number().int(), version: z.number().int(), reason: reasonText }),
    output: acquisitionRegionsSchema,
  }),
  'calibrations.list': defineCall({
    permission: 'case.read',
    input: z.object({
      kind: z.enum(calibrationKinds).optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    output: z.object({ rows: z.array(calibrationSummarySchema) }),
  }),
  'calibrations.get': defineCall({
    permission: 'case.read',
    input: z.object({ id: z.number().int() }),
    output: calibrationDetailSchema,
  }),
  /** The report picture (PNG) of a calibration, when it has one. */
  'calibrations.report': defineCall({
    permission: 'case.read',
    input: z.object({ id: z.number().int() }),
    output: z.object({ sha256: z.string(), mediaType: z.string(), bytes: bytesSchema }),
  }),
  /** Runs a calibration on the connected rig (the demo rig images its virtual targets). Long: progress, cancel. */
  'calibrations.run': defineCall({
    permission: 'rig.operate',
    input: z.object({ kind: z.enum(calibrationRunKinds).default('all') }),
    output: calibrationDetailSchema,
    progress: calibrationStepSchema,
  }),
  /** How long a new calibration stays valid: the station's setting, or the host configuration's default. */
  'calibrations.settings': defineCall({
    permission: 'case.read',
    input: z.object({}),
    output: calibrationSettingsSchema,
  }),
  /** Sets the validity of calibrations recorded from now on (existing records keep their expiry). Audited. */
  'calibrations.setValidity': defineCall({
    permission: 'calibration.manage',
    input: z.object({ validityDays: calibrationValidityDaysSchema, reason: reasonText }),
    output: calibrationSettingsSchema,
  }),
  /** Whether capture may start now: the calibration it would use, or why it cannot. */
  'capture.readiness': defineCall({
    permission: 'case.read',
    input: z.object({}),
    output: z.object({
      ready: z.boolean(),
      rigProfile: z.string().nullable(),
      calibration: calibrationSummarySchema.nullable(),
      /** The host's sentences (CLI, logs); `blocks` says the same as data for the UI to word. */
      problems: z.array(z.string()),
      blocks: z.array(captureBlockSchema),
    }),
  }),
  /** Which reference casing the demo rig would image for this item; null when capture does not use a simulated rig. */
  'capture.demoSpecimen': defineCall({
    permission: 'case.read',
    input: z.object({ itemId: z.number().int() }),
    output: demoSpecimenChoiceSchema.nullable(),
  }),
  /** Chooses (and remembers for the item) the reference casing the demo rig images. Audited. */
  'capture.setDemoSpecimen': defineCall({
    permission: 'acquisition.write',
    input: z.object({ itemId: z.number().int(), specimen: z.string().min(1).max(300) }),
    output: demoSpecimenChoiceSchema,
  }),
  /**
   * Guided capture of an item: for each region, autofocus, automatic exposure, dark frame, one image per light
   * segment plus ring and coaxial, photometric stereo → X3P, quality checks. One acquisition per region, each
   * stored in one transaction only when complete. Long: progress by step; cancel stores nothing further.
   */
  'capture.run': defineCall({
    permission: 'acquisition.write',
    input: z.object({
      itemId: z.number().int(),
      regions: z
        .array(z.enum(captureRegions))
        .min(1)
        .max(3)
        .refine((r) => new Set(r).size === r.length, 'each region once')
        .default(['breech_face', 'firing_pin']),
      /** Light channels to image ('<device>/<channel>'); default every channel of the rig. */
      lights: z.array(z.string().max(40)).max(64).optional(),
      /** Skip autofocus and capture at this focus position (mm, machine coordinates): manual focus. */
      manualFocusMm: z.number().min(-1000).max(1000).optional(),
      notes: z.string().trim().max(2000).optional(),
    }),
    output: z.object({ acquisitions: z.array(acquisitionDetailSchema) }),
    progress: captureStepSchema,
  }),
};

export const acquisitionsEvents = {
  /** An acquisition was added or amended (for list refreshes). */
  'acquisitions.changed': defineEvent({
    permission: 'case.read',
    filter: z.object({ itemId: z.number().int().optional() }),
    payload: z.object({ itemId: z.number().int(), acquisitionId: z.number().int() }),
  }),
  /** Capture progress for everyone watching the station (the caller also gets call progress). */
  'capture.progress': defineEvent({ permission: 'case.read', filter: z.object({}), payload: captureProgressSchema }),
};

/**
 * What the lenient X3P reader repaired or accepted in a scan that does not follow ISO 5436-2 to the letter, as the
 * screen words it (i18n acquisition.correction.<code>); stored with an import as `settings.correctionNotes` beside
 * the English `settings.corrections` (for records and logs). `values` names what the words need (axis, field…).
 */
export const x3pCorrectionCodes = [
  'member_renamed', // an archive member found under another letter case or path (values.name, values.found)
  'no_checksum', // no MD5 checksum given for a part (values.part)
  'checksum_ignored', // a checksum mismatch accepted because verification was turned off
  'root_renamed', // main.xml's root element read as <ISO5436_2>
  'namespace_missing', // the root does not declare the ISO 5436-2 namespace
  'revision_missing', // Record1 has no Revision
  'empty_offset', // an axis has an empty <Offset/>, read as 0 (values.axis)
  'extra_element', // a non-standard element ignored (values.name)
  'rotation_unreadable', // the Rotation matrix is incomplete or not numeric; ignored
  'rotation_tilt', // the Rotation tilts the surface out of plane; not applied (values.degrees)
  'rotation_flip', // the Rotation turns the surface upside down; heights negated
  'matrix_turned', // the stored matrix is transposed or mirrored; turned to x along columns, y along rows
  'in_plane_rotation', // the surface is rotated in its plane; kept as stored (values.degrees)
  'absolute_axis', // an axis stored as absolute coordinates; spacing derived from them (values.axis)
  'spacing_assumed', // spacing along an axis could not be derived; taken from the other (values.axis)
  'negative_increment', // an axis runs the other way (values.axis)
  'spacing_micrometres', // point spacing written in micrometres; read in metres
  'heights_micrometres', // heights written in micrometres; scaled to metres
  'infinite_points', // points stored as infinity read as invalid (values.count)
  'date_missing', // Record2 has no date
  'date_without_time', // the date has no time; read as midnight (values.date)
  'date_with_space', // the date uses a space instead of "T" (values.date)
  'date_unreadable', // the date is not a date and time; kept as written (values.date)
  'probing_type', // an unknown probing system type read as non-contacting (values.type)
  'openfmc_inline', // Open-FMC metadata found inside main.xml
  'openfmc_value', // an Open-FMC value not in its vocabulary (values.field, values.value); read as "other" or ignored
] as const;
export type X3PCorrectionCode = (typeof x3pCorrectionCodes)[number];

export const x3pCorrectionSchema = z.object({
  code: z.enum(x3pCorrectionCodes),
  values: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type X3PCorrection = z.infer<typeof x3pCorrectionSchema>;
