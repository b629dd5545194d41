// Importing a case package from another station: verify everything first (nothing is written when anything fails),
// recognise a package already imported, stream its files into the evidence store (content-addressed, hash-checked),
// then create the case, its items and acquisitions in ONE transaction with the import record and the receiving
// station's audit entry. The sender's manifest, signature, case record and audit extract are kept read-only in the
// evidence store and named by the import record: the original extract stays beside our own audit entry.
import { statfs } from 'node:fs/promises';
import { AppError } from '../../../contract/errors.ts';
import type { Db } from '../../storage/database.ts';
import type { AuditRepo } from '../../storage/repos/auditRepo.ts';
import { CasesRepo } from '../../storage/repos/casesRepo.ts';
import { AcquisitionsRepo } from '../../storage/repos/acquisitionsRepo.ts';
import { PackagesRepo } from '../../storage/repos/packagesRepo.ts';
import type { EvidenceStore } from '../evidenceStore.ts';
import type { CaseFields, ItemFields } from '../../../contract/cases.ts';
import { sha256 } from '../../../network/protocol.ts';
import { casePackageFormat } from '../../../contract/acquisitions.ts';
import { carriedCalibrationReferences } from '../acquisition/originCalibrations.ts';
import { auditPath, manifestPath, recordPath, signaturePath } from './format.ts';
import { verifyPackage, type VerifyResult } from './verifyPackage.ts';
import type { Progress } from './exportPackage.ts';

export interface ImportDeps {
  db: Db;
  audit: AuditRepo;
  evidence: EvidenceStore;
  trustedCas: string[];
  now?: () => Date;
}

export interface ImportResult {
  alreadyImported: boolean;
  packageId: string;
  caseId: number;
  labCaseNumber: string;
  items: number;
  acquisitions: number;
  verification: VerifyResult;
}

/** Thrown when the package does not verify; carries the verification so the UI can show what failed. */
export class PackageRefused extends AppError {
  readonly verification: VerifyResult;
  constructor(verification: VerifyResult) {
    super('integrity', `package refused: ${verification.problem!.message}`, {
      problem: verification.problem,
    });
    this.verification = verification;
  }
}

function freeLocalCaseNumber(cases: CasesRepo, wanted: string): string {
  if (!cases.byLabCaseNumber(wanted)) return wanted;
  for (let n = 2; ; n++) if (!cases.byLabCaseNumber(`${wanted}.${n}`)) return `${wanted}.${n}`;
}

export async function importPackage(
  deps: ImportDeps,
  actor: { userId: number; username: string },
  path: string,
  options: { signal?: AbortSignal; progress?: Progress } = {},
): Promise<ImportResult> {
  const progress = options.progress ?? (() => {});
  const verified = await verifyPackage(path, {
    trustedCas: deps.trustedCas,
    keepOpen: true,
    signal: options.signal,
    progress: (f, step) => progress(f * 0.5, step.step === 'done' ? { step: 'contents' } : step),
  });
  const { archive, record: _r, auditExtract: _x, signatureBytes: _s, manifestBytes: _m, ...verification } = verified;
  if (!verified.ok || !archive) throw new PackageRefused(verification);
  try {
    const manifest = verified.manifest!;
    const record = verified.record!;
    const repo = new PackagesRepo(deps.db);
    const previous = repo.importByPackageId(manifest.packageId);
    if (previous && previous.manifestSha256 !== verification.manifestSha256)
      throw new AppError(
        'conflict',
        `another package with the same id ${manifest.packageId} (a different manifest) was imported as case ${previous.labCaseNumber}; this one is not imported — ask the sending lab why`,
      );
    if (previous)
      return {
        alreadyImported: true,
        packageId: manifest.packageId,
        caseId: previous.caseId,
        labCaseNumber: previous.labCaseNumber,
        items: record.items.length,
        acquisitions: record.acquisitions.length,
        verification,
      };

    const needed = manifest.members.reduce((n, m) => n + m.size, 0);
    const disk = await statfs(deps.evidence.root);
    if (disk.bavail * disk.bsize < needed + 64 * 1024 * 1024)
      throw new AppError(
        'storage',
        `the package needs ${needed} bytes; the disk has ${disk.bavail * disk.bsize} free: nothing imported`,
      );

    // Files first (on disk, not yet recorded: a crash here leaves unreferenced files, never half a case).
    const kept = [manifestPath, signaturePath, recordPath, auditPath];
    const files = [
      ...manifest.members.filter((m) => m.role === 'original' || m.role === 'x3p-openfmc' || kept.includes(m.path)),
      {
        path: manifestPath,
        sha256: verified.manifestSha256!,
        size: verified.manifestBytes!.length,
        mediaType: 'application/json',
      },
      {
        path: signaturePath,
        sha256: sha256(verified.signatureBytes!),
        size: verified.signatureBytes!.length,
        mediaType: 'application/json',
      },
    ];
    let done = 0;
    for (const file of files) {
      options.signal?.throwIfAborted();
      progress(0.5 + 0.45 * (done / Math.max(1, needed)), { step: 'storing', done, total: needed });
      const member = archive.get(file.path)!;
      await deps.evidence.writeStream(archive.read(member, options.signal), file.sha256);
      done += file.size;
    }
    options.signal?.throwIfAborted();

    progress(0.96, { step: 'recording' });
    const now = (deps.now ?? (() => new Date()))().toISOString();
    const cases = new CasesRepo(deps.db);
    const acquisitions = new AcquisitionsRepo(deps.db);
    const origin = `${manifest.station.labId}/${manifest.station.stationId}`;
    const recordCase = deps.db.transaction(() => {
      const labCaseNumber = freeLocalCaseNumber(cases, `${manifest.station.labId}/${record.case.labCaseNumber}`);
      const caseFields: CaseFields = {
        labCaseNumber,
        agency: record.case.agency,
        agencyCaseNumber: record.case.agencyCaseNumber,
        offence: record.case.offence,
        offenceDate: record.case.offenceDate,
        receivedDate: now.slice(0, 10),
        status: 'open',
        notes: record.case.notes,
      };
      const caseId = cases.insert(caseFields, actor.userId, now);
      for (const file of files)
        deps.evidence.register(
          file.sha256,
          file.size,
          { mediaType: file.mediaType, originalName: `${manifest.packageId}/${file.path}`, caseId },
          actor,
        );
      const itemIds = new Map<string, number>();
      const ordered = [...record.items].sort((a, b) => (a.kind === 'firearm' ? 0 : 1) - (b.kind === 'firearm' ? 0 : 1));
      for (const item of ordered) {
        const fields: ItemFields = {
          kind: item.kind,
          exhibitNumber: item.exhibitNumber,
          description: item.description,
          calibre: item.calibre,
          origin: item.origin,
          brand: item.brand,
          headstamp: item.headstamp,
          primerMaterial: item.primerMaterial as ItemFields['primerMaterial'],
          caseMaterial: item.caseMaterial as ItemFields['caseMaterial'],
          firingPinShape: item.firingPinShape as ItemFields['firingPinShape'],
          breechFaceClass: item.breechFaceClass as ItemFields['breechFaceClass'],
          recoveryPlace: item.recoveryPlace,
          recoveryDate: item.recoveryDate,
          firearmItemId: item.firearmExhibit ? (itemIds.get(item.firearmExhibit) ?? null) : null,
          make: item.make,
          model: item.model,
          serialNumber: item.serialNumber,
          firearmType: item.firearmType as ItemFields['firearmType'],
        };
        itemIds.set(item.exhibitNumber, cases.insertItem(caseId, fields, now));
      }
      const calibrations = new Map(record.calibrations.map((c) => [c.originId, c]));
      const acquisitionIds: [number, number][] = [];
      for (const a of record.acquisitions) {
        const itemId = itemIds.get(a.exhibitNumber);
        if (itemId === undefined)
          throw new AppError(
            'integrity',
            `acquisition ${a.originId} names item ${a.exhibitNumber}, which the package lacks`,
          );
        const id = acquisitions.insert(
          {
            itemId,
            source: 'import',
            region: a.region,
            operatorId: actor.userId,
            startedAt: a.startedAt,
            completedAt: a.completedAt,
            rigProfile: a.rigProfile,
            devices: a.devices as never,
            calibrationId: null,
            settings: {
              ...a.settings,
              format: casePackageFormat,
              provenance: {
                packageId: manifest.packageId,
                origin,
                originAcquisitionId: a.originId,
                originSource: a.source,
                originOperator: a.operator,
                originCalibration: a.calibrationId === null ? null : (calibrations.get(a.calibrationId) ?? null),
                // settings.calibrations are the capturing lab's ids: only these references name them here.
                originCalibrationReferences: carriedCalibrationReferences(a.settings, calibrations),
                openFmcX3p: a.openFmcX3p,
              },
            },
            quality: a.quality as never,
            topographySha256: a.topographySha256,
            lateralUm: a.lateralUm,
            width: a.width,
            height: a.height,
          },
          a.files.map((f) => ({ role: f.role, sha256: f.sha256, settings: f.settings })),
        );
        if (a.regionsOverride) acquisitions.setRegions(id, 1, a.regionsOverride);
        if (a.unsuitableReason) {
          const version = a.regionsOverride ? 2 : 1;
          acquisitions.setUnsuitable(id, version, a.unsuitableReason);
        }
        acquisitionIds.push([id, a.originId]);
      }
      const auditSeq = deps.audit.append(
        actor,
        {
          action: 'package.import',
          entityType: 'case',
          entityId: caseId,
          caseId,
          after: {
            packageId: manifest.packageId,
            packageSha256: verification.packageSha256,
            manifestSha256: verification.manifestSha256,
            origin,
            originCaseNumber: record.case.labCaseNumber,
            signer: verification.signer,
            exportedBy: manifest.exportedBy.username,
            exportedAt: manifest.createdAt,
            items: record.items.map((i) => i.exhibitNumber),
            acquisitions: acquisitionIds.length,
            personalData: manifest.personalData,
            auditExtract: {
              sha256: manifest.members.find((m) => m.path === auditPath)!.sha256,
              ...verification.audit,
            },
          },
          reason: manifest.reason,
        },
        now,
      );
      const importId = repo.insertImport({
        packageId: manifest.packageId,
        manifestSha256: verification.manifestSha256!,
        signatureSha256: sha256(verified.signatureBytes!),
        recordSha256: manifest.members.find((m) => m.path === recordPath)!.sha256,
        auditSha256: manifest.members.find((m) => m.path === auditPath)!.sha256,
        packageSha256: verification.packageSha256,
        originLabId: manifest.station.labId,
        originStationId: manifest.station.stationId,
        originCaseNumber: record.case.labCaseNumber,
        exportedAt: manifest.createdAt,
        exportedBy: manifest.exportedBy.username,
        reason: manifest.reason,
        caseId,
        importedAt: now,
        importedBy: actor.userId,
        auditSeq,
      });
      repo.insertImportedRecord(importId, 'case', caseId, record.case.originId);
      for (const item of record.items)
        repo.insertImportedRecord(importId, 'item', itemIds.get(item.exhibitNumber)!, item.originId);
      for (const [localId, originId] of acquisitionIds)
        repo.insertImportedRecord(importId, 'acquisition', localId, originId);
      return { caseId, labCaseNumber };
    });
    let result: { caseId: number; labCaseNumber: string };
    try {
      result = recordCase();
    } catch (error) {
      // Verification checked the record hangs together; anything the database still refuses rolls the whole
      // import back and is said plainly (the files already stored stay unreferenced, as after a crash).
      if (error instanceof AppError) throw error;
      throw new AppError(
        'integrity',
        `the package could not be imported (${(error as Error).message}); nothing was imported`,
      );
    }
    progress(1, { step: 'done' });
    return {
      alreadyImported: false,
      packageId: manifest.packageId,
      caseId: result.caseId,
      labCaseNumber: result.labCaseNumber,
      items: record.items.length,
      acquisitions: record.acquisitions.length,
      verification,
    };
  } finally {
    await archive.close();
  }
}
