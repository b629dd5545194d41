// What an acquisition sends to the network: its X3P topography, its images and the topography's screening
// signature (features), addressed by SHA-256 from the evidence store, and the item's OpenFMC fields with the lab's identifiers — nothing personal (no names, places,
// offences, descriptions or notes). Refuses, with the reason a technician can act on, what the network cannot use.
import { AppError, notFound } from '../../../contract/errors.ts';
import type { Db } from '../../storage/database.ts';
import { AcquisitionsRepo } from '../../storage/repos/acquisitionsRepo.ts';
import { CasesRepo } from '../../storage/repos/casesRepo.ts';
import type { EvidenceStore } from '../evidenceStore.ts';
import { specimenSchema, type Specimen } from '../../../network/protocol.ts';
import type { SubmissionInput } from '../../../network/outbox/enqueue.ts';

/** Frames that only serve the station's own processing (dark and flat fields) stay home. */
const stationOnlyRole = /^(dark|flat)/;
const maxArtifacts = 32;

function extensionOf(mediaType: string): string {
  return { 'image/png': '.png', 'image/tiff': '.tif', 'image/jpeg': '.jpg' }[mediaType] ?? '';
}

/**
 * `features`: the stored screening-signature file of the acquisition's topography, when the station could make one
 * (see SearchService.signatureFile).
 */
export function buildAcquisitionSubmission(
  db: Db,
  evidence: EvidenceStore,
  acquisitionId: number,
  features?: { sha256: string; size: number; mediaType: string },
): SubmissionInput & { caseId: number; itemId: number } {
  const acquisitions = new AcquisitionsRepo(db);
  const cases = new CasesRepo(db);
  const acquisition = acquisitions.get(acquisitionId);
  if (!acquisition) throw notFound('acquisition', `no acquisition ${acquisitionId}`, { id: acquisitionId });
  const item = cases.item(acquisition.itemId);
  const kase = item && cases.get(item.caseId);
  if (!item || !kase)
    throw notFound('item', `the item of acquisition ${acquisitionId} does not exist`, { id: acquisition.itemId });
  const refuse = (message: string, field?: string) => {
    throw new AppError(
      'invalid_input',
      `acquisition ${acquisitionId} cannot go to the network: ${message}`,
      field ? { issues: [{ path: [field], message }] } : undefined,
    );
  };
  if (item.kind !== 'cartridge_case')
    refuse(
      `exhibit ${item.exhibitNumber} is a ${item.kind.replace('_', ' ')}; the network correlates cartridge cases only`,
      'kind',
    );
  if (acquisition.unsuitableReason)
    refuse(`it is marked unsuitable (${acquisition.unsuitableReason})`, 'unsuitableReason');
  if (!acquisition.topographySha256)
    refuse('it has no X3P topography, and the network compares topographies', 'topographySha256');
  if (!item.calibre) refuse(`exhibit ${item.exhibitNumber} has no calibre; enter it on the item first`, 'calibre');

  const files = acquisitions.files(acquisitionId);
  const artifacts: SubmissionInput['artifacts'] = [];
  const add = (
    role: 'x3p' | 'image' | 'features',
    name: string,
    file: { sha256: string; size: number; mediaType: string },
  ) => {
    if (artifacts.some((a) => a.sha256 === file.sha256) || artifacts.length >= maxArtifacts) return;
    if (!evidence.has(file.sha256))
      throw new AppError(
        'integrity',
        `file ${name} (${file.sha256}) of acquisition ${acquisitionId} is not in the evidence store`,
      );
    artifacts.push({
      role,
      name,
      mediaType: file.mediaType,
      sha256: file.sha256,
      size: file.size,
      path: evidence.pathOf(file.sha256),
    });
  };
  const topography = files.find((f) => f.sha256 === acquisition.topographySha256);
  if (!topography)
    throw new AppError('integrity', `the topography of acquisition ${acquisitionId} is not among its files`);
  add('x3p', `${item.exhibitNumber}-topography.x3p`, topography);
  if (features) add('features', `${item.exhibitNumber}-screening-signature.json`, features);
  for (const f of files) {
    if (f.mediaType.startsWith('image/') && !stationOnlyRole.test(f.role))
      add('image', `${item.exhibitNumber}-${f.role.replace(/[^A-Za-z0-9._-]+/g, '_')}${extensionOf(f.mediaType)}`, f);
  }

  // Only the OpenFMC fields; the firearm of a test fire is named by make, model and serial number, never by owner.
  const firearm = item.firearmItemId ? cases.item(item.firearmItemId) : undefined;
  const candidate: Record<string, unknown> = {
    calibre: item.calibre,
    origin: item.origin,
    brand: item.brand,
    headstamp: item.headstamp,
    primerMaterial: item.primerMaterial,
    caseMaterial: item.caseMaterial,
    firingPinShape: item.firingPinShape,
    breechFaceClass: item.breechFaceClass,
    recoveryDate: item.recoveryDate,
    firearm:
      firearm && (firearm.make || firearm.model || firearm.serialNumber)
        ? Object.fromEntries(
            Object.entries({ make: firearm.make, model: firearm.model, serialNumber: firearm.serialNumber }).filter(
              ([, v]) => v,
            ),
          )
        : undefined,
  };
  const parsed = specimenSchema.safeParse(
    Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== null && v !== undefined && v !== '')),
  );
  if (!parsed.success)
    refuse(
      `the item's fields do not fit the network's specimen record: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const specimen = parsed.data as Specimen;
  const region = acquisition.region as NonNullable<SubmissionInput['region']>;
  return {
    caseRef: kase.labCaseNumber,
    itemRef: item.exhibitNumber,
    specimen,
    region,
    artifacts,
    caseId: kase.id,
    itemId: item.id,
    acquisitionId,
  };
}
