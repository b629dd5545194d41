// Forensic metadata in the Open-FMC x3p extension. Per ISO 5436-2, vendor data lives in its own archive
// member announced by Record1/VendorSpecificID; we write `open-fmc.xml` and read an <Open-FMC> element from
// any member (or, leniently, from inside main.xml, where some tools put it).
import { firingPinShapes, breechFaceClasses, regionsOfInterest, type X3PForensic } from './types.ts';
import { textAt, type XmlElement, type XmlNode } from './xml.ts';
import { correct } from './corrections.ts';

export const openFmcNamespace = 'http://www.open-fmc.org/open-fmc-revision-1.xsd';
export const openFmcMember = 'open-fmc.xml';

/** The first <Open-FMC> element in document order (iterative: no recursion on hostile nesting). */
export function findOpenFmc(root: XmlElement): XmlElement | undefined {
  const pending = [root];
  while (pending.length > 0) {
    const element = pending.pop()!;
    if (element.name === 'Open-FMC') return element;
    for (let i = element.children.length - 1; i >= 0; i--) pending.push(element.children[i]);
  }
  return undefined;
}

function normaliseEnum<T extends string>(
  raw: string | undefined,
  allowed: readonly T[],
  field: string,
  corrections: string[],
): T | undefined {
  if (raw === undefined) return undefined;
  const key = raw
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  const match = allowed.find((a) => a === key);
  if (match) return match;
  const fallback = allowed.find((a) => a === 'other');
  correct(
    corrections,
    `Open-FMC: ${field} "${raw}" is not a known value${fallback ? '; read as "other"' : '; ignored'}`,
    'openfmc_value',
    { field, value: raw },
  );
  return fallback;
}

function compact<T extends object>(value: T): T | undefined {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as T);
}

export function parseOpenFmc(element: XmlElement, corrections: string[]): X3PForensic | undefined {
  return compact<X3PForensic>({
    agency: textAt(element, 'Agency'),
    agencyCaseNumber: textAt(element, 'AgencyCaseNumber'),
    labCaseNumber: textAt(element, 'LabCaseNumber'),
    itemId: textAt(element, 'ItemId'),
    firearm: compact({
      serial: textAt(element, 'Firearm', 'Serial'),
      brand: textAt(element, 'Firearm', 'Brand'),
      model: textAt(element, 'Firearm', 'Model'),
      calibre: textAt(element, 'Firearm', 'Calibre'),
    }),
    cartridge: compact({
      brand: textAt(element, 'Cartridge', 'Brand'),
      calibre: textAt(element, 'Cartridge', 'Calibre'),
      headstamp: textAt(element, 'Cartridge', 'Headstamp'),
      primerMaterial: textAt(element, 'Cartridge', 'PrimerMaterial'),
      caseMaterial: textAt(element, 'Cartridge', 'CaseMaterial'),
      firingPinShape: normaliseEnum(
        textAt(element, 'Cartridge', 'FiringPinShape'),
        firingPinShapes,
        'FiringPinShape',
        corrections,
      ),
      breechFaceClass: normaliseEnum(
        textAt(element, 'Cartridge', 'BreechFaceClass'),
        breechFaceClasses,
        'BreechFaceClass',
        corrections,
      ),
    }),
    regionOfInterest: normaliseEnum(
      textAt(element, 'RegionOfInterest'),
      regionsOfInterest,
      'RegionOfInterest',
      corrections,
    ),
  });
}

function leaf(name: string, text: string | undefined): XmlNode[] {
  return text === undefined || text === '' ? [] : [{ name, text }];
}

export function openFmcXml(forensic: X3PForensic): XmlNode {
  const { firearm = {}, cartridge = {} } = forensic;
  const firearmNodes = [
    ...leaf('Serial', firearm.serial),
    ...leaf('Brand', firearm.brand),
    ...leaf('Model', firearm.model),
    ...leaf('Calibre', firearm.calibre),
  ];
  const cartridgeNodes = [
    ...leaf('Brand', cartridge.brand),
    ...leaf('Calibre', cartridge.calibre),
    ...leaf('Headstamp', cartridge.headstamp),
    ...leaf('PrimerMaterial', cartridge.primerMaterial),
    ...leaf('CaseMaterial', cartridge.caseMaterial),
    ...leaf('FiringPinShape', cartridge.firingPinShape),
    ...leaf('BreechFaceClass', cartridge.breechFaceClass),
  ];
  return {
    name: 'Open-FMC',
    attributes: { xmlns: openFmcNamespace },
    children: [
      ...leaf('Agency', forensic.agency),
      ...leaf('AgencyCaseNumber', forensic.agencyCaseNumber),
      ...leaf('LabCaseNumber', forensic.labCaseNumber),
      ...leaf('ItemId', forensic.itemId),
      ...(firearmNodes.length ? [{ name: 'Firearm', children: firearmNodes }] : []),
      ...(cartridgeNodes.length ? [{ name: 'Cartridge', children: cartridgeNodes }] : []),
      ...leaf('RegionOfInterest', forensic.regionOfInterest),
    ],
  };
}
