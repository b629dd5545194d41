// Writing a signed case package. Every member streams from the evidence store into the zip with its SHA-256
// computed on the way (an evidence file that no longer matches its hash stops the export); the manifest lists
// them all and is signed last. The package is written under a temporary name beside the target and linked into
// place only when complete, never over an existing file; a cancel or failure leaves nothing behind.
import { randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { link, readFile, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../../contract/errors.ts';
import type { PackageStep } from '../../../contract/packages.ts';
import type { ExaminationRecords } from '../../../contract/examination.ts';
import type { Db } from '../../storage/database.ts';
import type { AuditRepo } from '../../storage/repos/auditRepo.ts';
import { PackagesRepo } from '../../storage/repos/packagesRepo.ts';
import type { EvidenceStore } from '../evidenceStore.ts';
import { hashFile } from '../evidenceStore.ts';
import { canonicalJson } from '../../../base/canonicalJson.ts';
import { sha256, signBytes } from '../../../network/protocol.ts';
import type { StationSigner } from '../../../network/outbox/enqueue.ts';
import { readX3P, writeX3P, type X3PForensic } from '../../../analysis/x3p/index.ts';
import { collectCase, type Collected } from './collect.ts';
import {
  auditExtractFormat,
  auditPath,
  contentMembers,
  jsonLdPath,
  manifestPath,
  packageFormat,
  recordPath,
  reportPath,
  signatureFormat,
  signaturePath,
  type AuditExtract,
  type ManifestMember,
  type PackageManifest,
  type PackageSignature,
} from './format.ts';
import { ZipFileWriter, fileChunks } from '../../../base/zip/writer.ts';
import { caseJsonLd } from './caseUco.ts';
import { buildReport, type ReportLanguage } from './report/report.ts';
import { verifyAuditTrail } from '../auditVerification.ts';

export interface ExportActor {
  userId: number;
  username: string;
  displayName: string;
  role: string;
}

export interface ExportInput {
  caseId: number;
  /** Exhibit numbers; undefined = the whole case. */
  items?: string[];
  reason: string;
  includePersonalData: boolean;
  /** Where the package goes; must not exist. */
  outPath: string;
  language?: ReportLanguage;
}

export interface ExportDeps {
  db: Db;
  audit: AuditRepo;
  evidence: EvidenceStore;
  signer: StationSigner & {
    caCertificate: string;
    /** The key of the station certificate itself (ECDSA P-256): signs report.pdf (PAdES). */
    certificateKey: KeyObject;
  };
  version: string;
  /** The case's examination records as the exporting user may read them (absent: the station keeps none). */
  examinationRecords?: (caseId: number) => ExaminationRecords;
  now?: () => Date;
}

export interface ExportResult {
  packageId: string;
  path: string;
  size: number;
  packageSha256: string;
  manifestSha256: string;
  contentSha256: string;
  members: number;
  acquisitions: number;
  items: string[];
}

/** How far the work is (0..1) and what it is doing. */
export type Progress = (fraction: number, step: PackageStep) => void;

const regionOfInterest = {
  breech_face: 'breech-face',
  firing_pin: 'firing-pin',
  ejector_mark: 'ejector',
  whole: undefined,
} as const;

function forensicFor(collected: Collected, acquisitionIndex: number): X3PForensic {
  const a = collected.record.acquisitions[acquisitionIndex];
  const item = collected.record.items.find((i) => i.exhibitNumber === a.exhibitNumber)!;
  const firearm = item.firearmExhibit
    ? collected.record.items.find((i) => i.exhibitNumber === item.firearmExhibit)
    : undefined;
  const text = (v: string | null | undefined) => v ?? undefined;
  type Cartridge = NonNullable<X3PForensic['cartridge']>;
  return {
    agency: text(collected.record.case.agency),
    agencyCaseNumber: text(collected.record.case.agencyCaseNumber),
    labCaseNumber: collected.record.case.labCaseNumber,
    itemId: item.exhibitNumber,
    firearm: firearm
      ? {
          serial: text(firearm.serialNumber),
          brand: text(firearm.make),
          model: text(firearm.model),
          calibre: text(firearm.calibre),
        }
      : undefined,
    cartridge: {
      brand: text(item.brand),
      calibre: text(item.calibre),
      headstamp: text(item.headstamp),
      primerMaterial: text(item.primerMaterial),
      caseMaterial: text(item.caseMaterial),
      firingPinShape:
        item.firingPinShape && item.firingPinShape !== 'unknown'
          ? (item.firingPinShape as Cartridge['firingPinShape'])
          : undefined,
      breechFaceClass:
        item.breechFaceClass && item.breechFaceClass !== 'unknown'
          ? (item.breechFaceClass as Cartridge['breechFaceClass'])
          : undefined,
    },
    regionOfInterest: regionOfInterest[a.region],
  };
}

/**
 * The topography as an X3P carrying this case's Open-FMC metadata: the original when it already names the case,
 * else the same heights written again with the metadata (the original travels too, unmodified).
 */
function openFmcVersion(original: Uint8Array, collected: Collected, index: number, exportedAt: string) {
  let parsed;
  try {
    parsed = readX3P(original);
  } catch {
    return null; // an original the reader cannot read still travels as it is
  }
  if (parsed.forensic?.labCaseNumber === collected.record.case.labCaseNumber && parsed.forensic.itemId) return null;
  const a = collected.record.acquisitions[index];
  const record2 = parsed.record2 ?? {
    date: a.completedAt,
    instrument: { manufacturer: 'unknown', model: 'unknown', serial: 'unknown', version: 'unknown' },
    calibrationDate: a.completedAt,
    probingSystem: { type: 'NonContacting' as const, identification: 'unknown (the original X3P has no Record2)' },
  };
  return writeX3P(parsed.surface, {
    record2: {
      ...record2,
      comment: `Open-FMC metadata added by Casebench at export ${exportedAt}; heights as in the original X3P SHA-256 ${a.topographySha256}`,
    },
    forensic: forensicFor(collected, index),
    dataType: 'D',
  });
}

/** Links the finished temp file into place without ever replacing a file (link fails if the target exists). */
async function publish(temp: string, target: string): Promise<void> {
  try {
    await link(temp, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new AppError('conflict', `a file already exists at ${target}; nothing was replaced`);
    throw error;
  } finally {
    await unlink(temp).catch(() => {});
  }
}

export async function exportPackage(
  deps: ExportDeps,
  actor: ExportActor,
  input: ExportInput,
  options: { signal?: AbortSignal; progress?: Progress } = {},
): Promise<ExportResult> {
  const { signal } = options;
  const progress: Progress = options.progress ?? (() => {});
  const now = (deps.now ?? (() => new Date()))();
  const createdAt = now.toISOString();
  const reason = input.reason.trim();
  if (!reason) throw new AppError('invalid_input', 'say why the package is exported', { field: 'reason' });
  if (
    await stat(input.outPath).then(
      () => true,
      () => false,
    )
  )
    throw new AppError('conflict', `a file already exists at ${input.outPath}; nothing was replaced`);

  progress(0, { step: 'audit_check' });
  const chain = verifyAuditTrail(deps.db, deps.audit);
  if (!chain.ok) {
    // The chain itself may be whole while a record lacks its entry or a write-once trigger is gone: say what.
    const fault = chain.firstBroken
      ? `is broken at entry ${chain.firstBroken.seq} (${chain.firstBroken.reason})`
      : `does not verify (${chain.problems[0]?.message ?? 'see audit verify'})`;
    throw new AppError(
      'integrity',
      `the station's audit trail ${fault}; a package cannot be checked against it, so none is exported`,
    );
  }
  const collected = collectCase(deps.db, {
    caseId: input.caseId,
    items: input.items,
    includePersonalData: input.includePersonalData,
    softwareVersion: deps.version,
    examination: deps.examinationRecords && (() => deps.examinationRecords!(input.caseId)),
  });
  const last = new PackagesRepo(deps.db).lastAudit();

  const temp = join(dirname(input.outPath), `.${basename(input.outPath)}.${randomBytes(6).toString('hex')}.partial`);
  const zip = await ZipFileWriter.create(temp);
  const members: ManifestMember[] = [];
  try {
    const totalBytes = collected.evidence.reduce((n, e) => n + e.size, 0) || 1;
    let doneBytes = 0;
    for (const file of collected.evidence) {
      signal?.throwIfAborted();
      progress(0.02 + 0.8 * (doneBytes / totalBytes), { step: 'evidence', done: doneBytes, total: totalBytes });
      let written;
      try {
        written = await zip.addChunks(file.path, fileChunks(deps.evidence.pathOf(file.sha256), signal));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          throw new AppError(
            'integrity',
            `evidence file ${file.sha256} is missing from this station: nothing exported`,
          );
        throw error;
      }
      if (written.sha256 !== file.sha256)
        throw new AppError(
          'integrity',
          `evidence file ${file.sha256} no longer matches its SHA-256 on this station (altered): nothing exported`,
        );
      members.push({ ...written, mediaType: file.mediaType, role: 'original' });
      doneBytes += file.size;
    }

    progress(0.83, { step: 'openfmc' });
    for (const { acquisitionIndex, sha256: topo } of collected.topographies) {
      signal?.throwIfAborted();
      const original = await readFile(deps.evidence.pathOf(topo));
      const derived = openFmcVersion(original, collected, acquisitionIndex, createdAt);
      if (!derived) continue;
      const a = collected.record.acquisitions[acquisitionIndex];
      const path = `acquisitions/${a.originId}/topography-openfmc.x3p`;
      const written = await zip.addBytes(path, derived);
      members.push({ ...written, mediaType: 'application/x-x3p', role: 'x3p-openfmc' });
      a.openFmcX3p = { path, sha256: written.sha256, size: written.size };
    }

    const auditExtract: AuditExtract = {
      format: auditExtractFormat,
      chain:
        'hash = SHA-256(prevHash as hex text ‖ canonical JSON of {seq, at, userId, username, action, entityType, entityId, caseId, before: beforeJson, after: afterJson, reason}); canonical JSON = keys sorted, no spaces',
      stationChain: { entries: chain.checked, intact: chain.ok, lastHash: last?.hash ?? '0'.repeat(64) },
      checkpoint: deps.audit.latestCheckpoint() ?? null,
      entries: collected.audit,
    };
    const add = async (path: string, bytes: Uint8Array, mediaType: string, role: ManifestMember['role']) => {
      const written = await zip.addBytes(path, bytes);
      members.push({ ...written, mediaType, role });
    };
    progress(0.86, { step: 'record' });
    await add(recordPath, Buffer.from(canonicalJson(collected.record)), 'application/json', 'record');
    await add(auditPath, Buffer.from(canonicalJson(auditExtract)), 'application/json', 'audit');
    const packageId = randomUUID();
    await add(
      jsonLdPath,
      Buffer.from(
        JSON.stringify(caseJsonLd(collected.record, auditExtract, members, { packageId, createdAt }), null, 1),
      ),
      'application/ld+json',
      'jsonld',
    );
    const contentSha256 = sha256(canonicalJson(contentMembers(members)));

    signal?.throwIfAborted();
    progress(0.88, { step: 'report' });
    const report = await buildReport({
      record: collected.record,
      audit: auditExtract,
      language: input.language ?? 'en',
      packageId,
      contentSha256,
      createdAt,
      reason,
      exportedBy: actor.username,
      station: { labId: deps.signer.labId, stationId: deps.signer.stationId },
      personalDataIncluded: input.includePersonalData,
      evidence: (sha) => deps.evidence.read(sha),
      signer: { chain: [deps.signer.certificate, deps.signer.caCertificate], key: deps.signer.certificateKey },
    });
    await add(reportPath, report, 'application/pdf', 'report');

    const manifest: PackageManifest = {
      format: packageFormat,
      packageId,
      createdAt,
      software: { name: 'Casebench', version: deps.version },
      station: { labId: deps.signer.labId, stationId: deps.signer.stationId },
      exportedBy: {
        username: actor.username,
        displayName: input.includePersonalData ? actor.displayName : null,
        role: actor.role,
      },
      reason,
      case: { labCaseNumber: collected.theCase.labCaseNumber },
      selection: { wholeCase: input.items === undefined, items: collected.items.map((i) => i.exhibitNumber) },
      personalData: { included: input.includePersonalData, omitted: collected.omitted },
      contentSha256,
      members,
    };
    const manifestBytes = Buffer.from(canonicalJson(manifest));
    const signature: PackageSignature = {
      format: signatureFormat,
      algorithm: 'Ed25519',
      signature: signBytes(deps.signer.signingKey, manifestBytes),
      certificateChain: [deps.signer.certificate, deps.signer.caCertificate],
    };
    await zip.addBytes(manifestPath, manifestBytes);
    await zip.addBytes(signaturePath, Buffer.from(JSON.stringify(signature, null, 1)));
    signal?.throwIfAborted();
    progress(0.94, { step: 'sealing' });
    const size = await zip.finish();
    const packageSha256 = await hashFile(temp);
    signal?.throwIfAborted();
    await publish(temp, input.outPath);

    const manifestSha256 = sha256(manifestBytes);
    const items = collected.items.map((i) => i.exhibitNumber);
    deps.db.transaction(() => {
      new PackagesRepo(deps.db).insertExport({
        packageId,
        caseId: collected.theCase.id,
        fileName: basename(input.outPath),
        manifestSha256,
        packageSha256,
        contentSha256,
        size,
        items,
        wholeCase: input.items === undefined,
        personalData: input.includePersonalData,
        reason,
        exportedAt: createdAt,
        exportedBy: actor.userId,
      });
      deps.audit.append(
        { userId: actor.userId, username: actor.username },
        {
          action: 'package.export',
          entityType: 'case',
          entityId: collected.theCase.id,
          caseId: collected.theCase.id,
          after: {
            packageId,
            file: basename(input.outPath),
            packageSha256,
            manifestSha256,
            items,
            wholeCase: input.items === undefined,
            personalData: input.includePersonalData,
            members: members.length + 2,
            size,
          },
          reason,
        },
        createdAt,
      );
    })();
    progress(1, { step: 'done' });
    return {
      packageId,
      path: input.outPath,
      size,
      packageSha256,
      manifestSha256,
      contentSha256,
      members: members.length + 2,
      acquisitions: collected.record.acquisitions.length,
      items,
    };
  } catch (error) {
    await zip.abort();
    await unlink(temp).catch(() => {});
    throw error;
  }
}
