import { z } from 'zod';
import { defineCall } from './rpc.ts';

// Vocabularies follow the OpenFMC forensic extension of X3P, so records and exports speak the same words.
export const caseStatuses = ['open', 'active', 'closed', 'archived'] as const;
export const itemKinds = ['cartridge_case', 'firearm'] as const;
export const cartridgeOrigins = ['questioned', 'test_fire'] as const;
export const firingPinShapes = ['hemispherical', 'rectangular', 'elliptical', 'circular', 'other', 'unknown'] as const;
export const breechFaceClasses = ['arched', 'granular', 'parallel', 'circular', 'smooth', 'other', 'unknown'] as const;
export const caseMaterials = ['brass', 'nickel', 'steel', 'aluminium', 'polymer', 'other', 'unknown'] as const;
export const primerMaterials = ['brass', 'nickel', 'copper', 'steel', 'other', 'unknown'] as const;
export const firearmTypes = ['pistol', 'revolver', 'rifle', 'shotgun', 'submachine_gun', 'other', 'unknown'] as const;

const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`);
/** Optional text: empty or null clears the field. */
const optionalText = (max: number) =>
  text(max)
    .nullish()
    .transform((v) => (v === '' ? null : v));
/** A calendar date, YYYY-MM-DD. */
export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((v) => !Number.isNaN(Date.parse(v)), 'not a real date');
const optionalDate = dateSchema
  .or(z.literal(''))
  .nullish()
  .transform((v) => (v === '' ? null : v));

export const caseFieldsSchema = z.object({
  labCaseNumber: text(40)
    .min(1, 'required')
    .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'letters, digits and . _ / - only'),
  agency: optionalText(120),
  agencyCaseNumber: optionalText(60),
  offence: optionalText(120),
  offenceDate: optionalDate,
  receivedDate: optionalDate,
  status: z.enum(caseStatuses),
  notes: optionalText(4000),
});
/** A new case starts open unless told otherwise. (Kept apart from the fields: a default inside a partial
 * update schema would silently reset the status on every amendment.) */
export const caseCreateSchema = caseFieldsSchema.extend({ status: z.enum(caseStatuses).default('open') });
export type CaseFields = z.output<typeof caseFieldsSchema>;
export type CaseFieldsInput = z.input<typeof caseFieldsSchema>;

export const caseSchema = z.object({
  id: z.number().int(),
  labCaseNumber: z.string(),
  agency: z.string().nullable(),
  agencyCaseNumber: z.string().nullable(),
  offence: z.string().nullable(),
  offenceDate: z.string().nullable(),
  receivedDate: z.string().nullable(),
  status: z.enum(caseStatuses),
  notes: z.string().nullable(),
  itemCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string(),
  version: z.number().int(),
});
export type Case = z.infer<typeof caseSchema>;

export const itemFieldsSchema = z.object({
  kind: z.enum(itemKinds),
  exhibitNumber: text(40).min(1, 'required'),
  description: optionalText(500),
  calibre: optionalText(40),
  // cartridge case
  origin: z.enum(cartridgeOrigins).nullish(),
  brand: optionalText(80),
  headstamp: optionalText(80),
  primerMaterial: z.enum(primerMaterials).nullish(),
  caseMaterial: z.enum(caseMaterials).nullish(),
  firingPinShape: z.enum(firingPinShapes).nullish(),
  breechFaceClass: z.enum(breechFaceClasses).nullish(),
  recoveryPlace: optionalText(200),
  recoveryDate: optionalDate,
  /** For a test fire: the firearm item it was fired from (known source). */
  firearmItemId: z.number().int().positive().nullish(),
  // firearm
  make: optionalText(80),
  model: optionalText(80),
  serialNumber: optionalText(60),
  firearmType: z.enum(firearmTypes).nullish(),
});
export type ItemFields = z.output<typeof itemFieldsSchema>;
export type ItemFieldsInput = z.input<typeof itemFieldsSchema>;

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();
export const itemSchema = z.object({
  id: z.number().int(),
  caseId: z.number().int(),
  kind: z.enum(itemKinds),
  exhibitNumber: z.string(),
  description: nullable(z.string()),
  calibre: nullable(z.string()),
  origin: nullable(z.enum(cartridgeOrigins)),
  brand: nullable(z.string()),
  headstamp: nullable(z.string()),
  primerMaterial: nullable(z.enum(primerMaterials)),
  caseMaterial: nullable(z.enum(caseMaterials)),
  firingPinShape: nullable(z.enum(firingPinShapes)),
  breechFaceClass: nullable(z.enum(breechFaceClasses)),
  recoveryPlace: nullable(z.string()),
  recoveryDate: nullable(z.string()),
  firearmItemId: nullable(z.number().int()),
  make: nullable(z.string()),
  model: nullable(z.string()),
  serialNumber: nullable(z.string()),
  firearmType: nullable(z.enum(firearmTypes)),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Item = z.infer<typeof itemSchema>;

export const caseSortKeys = ['labCaseNumber', 'agency', 'status', 'receivedDate', 'updatedAt', 'createdAt'] as const;

export const caseListInputSchema = z.object({
  /** Matches the start of the lab or agency case number, or words in agency/offence. */
  query: text(100).optional(),
  status: z.enum(caseStatuses).nullish(),
  agency: text(120).optional(),
  receivedFrom: dateSchema.optional(),
  receivedTo: dateSchema.optional(),
  sortBy: z.enum(caseSortKeys).default('updatedAt'),
  sortDir: z.enum(['asc', 'desc']).default('desc'),
  page: z.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});

/** An amendment says why when it changes a record another person may already rely on. */
const reasonSchema = optionalText(500);

export const casesCalls = {
  'cases.list': defineCall({
    permission: 'case.read',
    input: caseListInputSchema,
    output: z.object({
      rows: z.array(caseSchema),
      total: z.number().int(),
      page: z.number().int(),
      pageSize: z.number().int(),
    }),
  }),
  'cases.get': defineCall({
    permission: 'case.read',
    input: z.object({ id: z.number().int() }),
    output: z.object({ case: caseSchema, items: z.array(itemSchema) }),
  }),
  'cases.create': defineCall({ permission: 'case.write', input: caseCreateSchema, output: caseSchema }),
  'cases.update': defineCall({
    permission: 'case.write',
    input: z.object({
      id: z.number().int(),
      version: z.number().int(),
      fields: caseFieldsSchema.partial(),
      reason: reasonSchema,
    }),
    output: caseSchema,
  }),
  'items.create': defineCall({
    permission: 'case.write',
    input: z.object({ caseId: z.number().int(), fields: itemFieldsSchema }),
    output: itemSchema,
  }),
  'items.update': defineCall({
    permission: 'case.write',
    input: z.object({
      id: z.number().int(),
      version: z.number().int(),
      fields: itemFieldsSchema.partial(),
      reason: reasonSchema,
    }),
    output: itemSchema,
  }),
};
