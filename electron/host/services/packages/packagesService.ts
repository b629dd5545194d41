// Case packages inside the host: the contract's export, upload/verify/import, report and dashboard calls, and the
// station folders they use. No path crosses the contract: exports go to <dataDir>/exports (never over a file),
// uploads to <dataDir>/incoming (removed once imported, discarded, or at start-up).
import { createPrivateKey, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, notFound } from '../../../contract/errors.ts';
import { maxUploadChunkBytes, type packagesCalls, type PackageVerification } from '../../../contract/packages.ts';
import { roleAllows, type Role, type Session } from '../../../contract/auth.ts';
import type { ExaminationRecords } from '../../../contract/examination.ts';
import type { ExaminationService } from '../examination/index.ts';
import type { CallHandlers } from '../../rpc/handlers.ts';
import type { Db } from '../../storage/database.ts';
import type { AuditRepo } from '../../storage/repos/auditRepo.ts';
import { PackagesRepo } from '../../storage/repos/packagesRepo.ts';
import type { EvidenceStore } from '../evidenceStore.ts';
import { readCa, readCredentials } from '../../../network/pki.ts';
import { stationSigner } from '../../../network/outbox/enqueue.ts';
import { exportPackage, type ExportActor, type ExportDeps } from './exportPackage.ts';
import { importPackage, PackageRefused } from './importPackage.ts';
import { verifyPackage, type VerifyResult } from './verifyPackage.ts';
import { caseReport } from './caseReport.ts';
import type { ReportLanguage } from './report/report.ts';
import type { TransferFolders } from '../transferFolders.ts';
import { managerDashboard } from './dashboard.ts';

export function incomingFolder(dataDir: string): string {
  return join(dataDir, 'incoming');
}

/** The station's signing identity from <dataDir>/network (casebench pki issue), or a clear refusal. */
export function loadSigner(dataDir: string): ExportDeps['signer'] {
  const dir = join(dataDir, 'network');
  if (!existsSync(join(dir, 'ca.crt')) || !existsSync(join(dir, 'station.crt')))
    throw new AppError(
      'unavailable',
      `this station has no signing certificate: put ca.crt and station.crt/.key/.sign.key from the network's CA in ${dir} (casebench pki issue)`,
    );
  const ca = readCa(dir).certificate;
  try {
    const credentials = readCredentials(dir, 'station');
    return {
      ...stationSigner(credentials, ca),
      caCertificate: ca,
      certificateKey: createPrivateKey(credentials.tlsKey),
    };
  } catch (error) {
    throw new AppError('unavailable', `this station's signing certificate cannot be used: ${(error as Error).message}`);
  }
}

/** The CAs this station trusts for packages: its network CA (and any extra ones named by hand). */
export function trustedCas(dataDir: string, extra: string[] = []): string[] {
  const path = join(dataDir, 'network', 'ca.crt');
  return [...(existsSync(path) ? [readFileSync(path, 'utf8')] : []), ...extra];
}

export function verificationView(
  result: VerifyResult,
  alreadyImported: PackageVerification['alreadyImported'],
): PackageVerification {
  const m = result.manifest;
  return {
    ok: result.ok,
    problem: result.problem,
    packageId: m?.packageId ?? null,
    createdAt: m?.createdAt ?? null,
    station: m?.station ?? null,
    signer: result.signer,
    exportedBy: m?.exportedBy.username ?? null,
    reason: m?.reason ?? null,
    labCaseNumber: m?.case.labCaseNumber ?? null,
    items: m?.selection.items ?? [],
    wholeCase: m?.selection.wholeCase ?? null,
    personalData: m?.personalData ?? null,
    members: m ? m.members.length + 2 : 0,
    size: result.size,
    packageSha256: result.packageSha256,
    audit: result.audit,
    reportSignature: result.reportSignature,
    alreadyImported,
    tookMs: result.tookMs,
  };
}

interface Upload {
  path: string;
  /** True for a browser upload (its temporary file goes when it is done); false for a file of the imports folder. */
  owned: boolean;
  size: number;
  received: number;
  userId: number;
  startedAt: number;
}

const maxUploads = 4;

export interface PackagesDeps {
  db: Db;
  audit: AuditRepo;
  evidence: EvidenceStore;
  dataDir: string;
  /** The station's transfer folders: packages are written in its exports folder, imports read from its imports folder. */
  files: TransferFolders;
  version: string;
  /** The language a user's reports are written in when a call names none (their preference). */
  languageOf: (userId: number) => ReportLanguage;
  /** The station's examination records (comparisons, conclusions, verifications …) for packages and reports. */
  examination?: Pick<ExaminationService, 'recordsForCase'>;
  now?: () => Date;
}

/** The examination records of a case as `user` may read them (a blind verifier of one of its comparisons is refused). */
export function examinationRecordsFor(
  examination: Pick<ExaminationService, 'recordsForCase'> | undefined,
  user: { id: number; username: string; role: Role },
): ((caseId: number) => ExaminationRecords) | undefined {
  if (!examination) return undefined;
  const viewer = {
    userId: user.id,
    username: user.username,
    role: user.role,
    manager: roleAllows(user.role, 'examination.manage'),
  };
  return (caseId) => examination.recordsForCase(caseId, viewer);
}

export function attachPackages(deps: PackagesDeps): { handlers: CallHandlers<typeof packagesCalls>; close(): void } {
  const exportsDir = deps.files.exportsDir;
  const incomingDir = incomingFolder(deps.dataDir);
  mkdirSync(incomingDir, { recursive: true });
  // Uploads do not survive a restart: whatever is left is an abandoned upload.
  for (const name of readdirSync(incomingDir)) rmSync(join(incomingDir, name), { force: true });
  const uploads = new Map<string, Upload>();
  const repo = new PackagesRepo(deps.db);

  const actorOf = (session: Session | null): ExportActor => {
    if (!session) throw new AppError('unauthenticated', 'sign in first');
    return {
      userId: session.user.id,
      username: session.user.username,
      displayName: session.user.displayName,
      role: session.user.role,
    };
  };
  const uploadOf = (id: string, session: Session | null): Upload => {
    const upload = uploads.get(id);
    if (!upload || upload.userId !== session?.user.id) throw notFound('upload', 'no such upload (it may have expired)');
    return upload;
  };
  const complete = (upload: Upload) => {
    if (upload.received !== upload.size)
      throw new AppError('invalid_input', `the upload is incomplete: ${upload.received} of ${upload.size} bytes`);
  };
  const dropUpload = async (id: string) => {
    const upload = uploads.get(id);
    uploads.delete(id);
    if (upload?.owned) await rm(upload.path, { force: true });
  };

  const dropAbandoned = async () => {
    // Uploads older than an hour are abandoned.
    for (const [id, u] of uploads) if (Date.now() - u.startedAt > 3_600_000) await dropUpload(id);
    if (uploads.size >= maxUploads)
      throw new AppError('conflict', 'too many uploads in progress; finish or discard one');
  };

  // A package holds the case's examination records (its audit extract at least): whoever takes one away — a
  // browser download or the desktop's Save as — needs export.create and reads them as the examination allows
  // (refused to a blind verifier of the case; a reader has seen what it holds). Not a package: undefined.
  const releasePackage = (fileName: string, user: Session['user']): number | undefined => {
    const caseId = repo.exportCaseOf(fileName);
    if (caseId === undefined) return undefined;
    if (!roleAllows(user.role, 'export.create'))
      throw new AppError('forbidden', 'taking a case package off the station needs the export permission (a manager)');
    examinationRecordsFor(deps.examination, user)?.(caseId);
    return caseId;
  };
  deps.files.addReleaseCheck(releasePackage);

  const handlers: CallHandlers<typeof packagesCalls> = {
    'packages.export': async (input, ctx) => {
      const actor = actorOf(ctx.session);
      const fileName = /\.zip$/i.test(input.fileName) ? input.fileName : `${input.fileName}.cbpkg.zip`;
      // The transfer folders check the name and that no file has it; the export itself never replaces one either.
      const outPath = deps.files.writeExport(fileName, (path) => path);
      const result = await exportPackage(
        {
          db: deps.db,
          audit: deps.audit,
          evidence: deps.evidence,
          signer: loadSigner(deps.dataDir),
          version: deps.version,
          examinationRecords: examinationRecordsFor(deps.examination, ctx.session!.user),
          now: deps.now,
        },
        actor,
        {
          caseId: input.caseId,
          items: input.items,
          reason: input.reason,
          includePersonalData: input.includePersonalData,
          outPath,
          language: input.language ?? deps.languageOf(actor.userId),
        },
        { signal: ctx.signal, progress: (f, step) => ctx.progress(f, step) },
      );
      return { ...result, fileName };
    },
    'packages.exports': (input) => ({
      rows: repo.exports({ caseId: input.caseId, limit: input.limit }),
      folder: exportsDir,
    }),
    'packages.uploadStart': async (input, ctx) => {
      const session = ctx.session!;
      await dropAbandoned();
      const uploadId = randomUUID();
      const path = join(incomingDir, `${uploadId}.upload`);
      await (await open(path, 'wx', 0o600)).close();
      uploads.set(uploadId, {
        path,
        owned: true,
        size: input.size,
        received: 0,
        userId: session.user.id,
        startedAt: Date.now(),
      });
      return { uploadId };
    },
    'packages.openImport': async (input, ctx) => {
      const session = ctx.session!;
      await dropAbandoned();
      const path = deps.files.importPath(input.name);
      const { size } = await stat(path);
      const uploadId = randomUUID();
      uploads.set(uploadId, {
        path,
        owned: false,
        size,
        received: size,
        userId: session.user.id,
        startedAt: Date.now(),
      });
      return { uploadId, size };
    },
    'packages.exportContent': async (input, ctx) => {
      // Checked on every slice: a verification assigned meanwhile stops the download.
      if (releasePackage(input.fileName, ctx.session!.user) === undefined)
        throw notFound('export', `"${input.fileName}" is not a package this station exported`, {
          name: input.fileName,
        });
      const path = join(exportsDir, input.fileName);
      const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT')
          throw notFound('export', `"${input.fileName}" is no longer in the exports folder`, { name: input.fileName });
        throw error;
      });
      try {
        const { size } = await handle.stat();
        if (input.offset > size)
          throw new AppError('invalid_input', `offset ${input.offset} is past the end (${size})`);
        const bytes = new Uint8Array(Math.min(maxUploadChunkBytes, size - input.offset));
        const { bytesRead } = await handle.read(bytes, 0, bytes.byteLength, input.offset);
        return { size, bytes: bytes.subarray(0, bytesRead) };
      } finally {
        await handle.close();
      }
    },
    'packages.uploadChunk': async (input, ctx) => {
      const upload = uploadOf(input.uploadId, ctx.session);
      if (input.offset !== upload.received)
        throw new AppError('conflict', `expected the chunk at offset ${upload.received}`, {
          received: upload.received,
        });
      if (upload.received + input.bytes.byteLength > upload.size)
        throw new AppError('invalid_input', 'the chunk runs past the announced size');
      const handle = await open(upload.path, 'r+');
      try {
        await handle.write(input.bytes, 0, input.bytes.byteLength, input.offset);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC')
          throw new AppError('storage', 'the disk is full; the upload stopped');
        throw error;
      } finally {
        await handle.close();
      }
      upload.received += input.bytes.byteLength;
      return { received: upload.received };
    },
    'packages.verify': async (input, ctx) => {
      const upload = uploadOf(input.uploadId, ctx.session);
      complete(upload);
      const result = await verifyPackage(upload.path, {
        trustedCas: trustedCas(deps.dataDir),
        signal: ctx.signal,
        progress: (f, step) => ctx.progress(f, step),
      });
      // Only a package that verifies is recognised as one imported before: a damaged copy is just refused.
      const previous = result.ok && result.manifest ? repo.importByPackageId(result.manifest.packageId) : undefined;
      return verificationView(
        result,
        previous ? { caseId: previous.caseId, labCaseNumber: previous.labCaseNumber } : null,
      );
    },
    'packages.import': async (input, ctx) => {
      const actor = actorOf(ctx.session);
      const upload = uploadOf(input.uploadId, ctx.session);
      complete(upload);
      try {
        const result = await importPackage(
          {
            db: deps.db,
            audit: deps.audit,
            evidence: deps.evidence,
            trustedCas: trustedCas(deps.dataDir),
            now: deps.now,
          },
          actor,
          upload.path,
          { signal: ctx.signal, progress: (f, step) => ctx.progress(f, step) },
        );
        await dropUpload(input.uploadId);
        return {
          alreadyImported: result.alreadyImported,
          caseId: result.caseId,
          labCaseNumber: result.labCaseNumber,
          items: result.items,
          acquisitions: result.acquisitions,
          verification: verificationView(
            result.verification,
            result.alreadyImported ? { caseId: result.caseId, labCaseNumber: result.labCaseNumber } : null,
          ),
        };
      } catch (error) {
        if (error instanceof PackageRefused)
          throw new AppError('integrity', error.message, { verification: verificationView(error.verification, null) });
        throw error;
      }
    },
    'packages.discard': async (input, ctx) => {
      uploadOf(input.uploadId, ctx.session);
      await dropUpload(input.uploadId);
      return {};
    },
    'packages.imports': (input) =>
      repo
        .imports(input.limit)
        .filter((i) => input.caseId === undefined || i.caseId === input.caseId)
        .map((i) => ({
          id: i.id,
          packageId: i.packageId,
          caseId: i.caseId,
          labCaseNumber: i.labCaseNumber,
          originLabId: i.originLabId,
          originStationId: i.originStationId,
          originCaseNumber: i.originCaseNumber,
          exportedAt: i.exportedAt,
          exportedBy: i.exportedBy,
          reason: i.reason,
          packageSha256: i.packageSha256,
          manifestSha256: i.manifestSha256,
          auditSha256: i.auditSha256,
          importedAt: i.importedAt,
          importedBy: i.importedBy,
        })),
    'reports.case': async (input, ctx) => {
      const actor = actorOf(ctx.session);
      const signer = tryStationSigner(deps.dataDir);
      const language = input.language ?? deps.languageOf(actor.userId);
      const { bytes, labCaseNumber } = await caseReport(
        { ...deps, examinationRecords: examinationRecordsFor(deps.examination, ctx.session!.user) },
        input.caseId,
        language,
        actor.username,
        signer,
      );
      return { fileName: `${labCaseNumber.replace(/[^A-Za-z0-9._-]/g, '_')}-report.pdf`, bytes };
    },
    'dashboard.manager': () => managerDashboard(deps.db, (deps.now ?? (() => new Date()))()),
  };
  return {
    handlers,
    close() {
      for (const id of [...uploads.keys()]) void dropUpload(id);
    },
  };
}

/** The station's signing identity for a report on its own, when it has network credentials (else unsigned). */
export function tryStationSigner(dataDir: string): ExportDeps['signer'] | null {
  try {
    return loadSigner(dataDir);
  } catch {
    return null;
  }
}
