import {
  breechFaceClasses,
  caseMaterials,
  cartridgeOrigins,
  firearmTypes,
  firingPinShapes,
  primerMaterials,
  type Item,
} from '../../../electron/contract/index.ts';

// Which fields belong to which kind of item (OpenFMC cartridge fields; firearm make/model/serial).
export const commonItemFields = ['exhibitNumber', 'description', 'calibre'] as const;
export const cartridgeFields = [
  'origin',
  'brand',
  'headstamp',
  'primerMaterial',
  'caseMaterial',
  'firingPinShape',
  'breechFaceClass',
  'recoveryPlace',
  'recoveryDate',
  'firearmItemId',
] as const;
export const firearmFields = ['make', 'model', 'serialNumber', 'firearmType'] as const;

export const itemEnums = {
  origin: cartridgeOrigins,
  primerMaterial: primerMaterials,
  caseMaterial: caseMaterials,
  firingPinShape: firingPinShapes,
  breechFaceClass: breechFaceClasses,
  firearmType: firearmTypes,
} as const;
export type ItemEnumField = keyof typeof itemEnums;

export function fieldsOfKind(kind: Item['kind']): readonly string[] {
  return [...commonItemFields, ...(kind === 'firearm' ? firearmFields : cartridgeFields)];
}
