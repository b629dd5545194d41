// Acquisitions of an item: import of scans made elsewhere, the store step of a capture, views for the UI,
// and the examiner's "unsuitable" judgement. Originals go into the evidence store byte for byte; each
// acquisition is one transaction with its files and the audit entry, so nothing half-stored can be seen.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError, fileRefused, notFound, type FileProblem } from '../../../contract/errors.ts';
import type { Session } from '../../../contract/auth.ts';
import {
  maxFileContentBytes,
  maxImportBytes,
  quickPreviewMaxSize,
  type AcquisitionDetail,
  type AcquisitionPreview,
  type AcquisitionRegion,
  type AcquisitionSummary,
  type acquisitionsCalls,
  isFromCasePackage,
} from '../../../contract/acquisitions.ts';
import { decodePng } from '../../../analysis/calibration/png.ts';
import { decodeTiff } from '../../../analysis/calibration/tiff.ts';
import {
  detectScanFormat,
  importScan,
  kindOfName,
  readX3P,
  sniffFileKind,
  X3PError,
  type ImportedScan,
  type X3PErrorCode,
} from '../../../analysis/x3p/index.ts';
import type { CallHandlers } from '../../rpc/handlers.ts';
import type { Db } from '../../storage/database.ts';
import {
  AcquisitionsRepo,
  type NewAcquisition,
  type NewAcquisitionFile,
} from '../../storage/repos/acquisitionsRepo.ts';
import { CalibrationsRepo, summaryOf } from '../../storage/repos/calibrationsRepo.ts';
import type { AuditRepo, Actor } from '../../storage/repos/auditRepo.ts';
import type { EvidenceStore } from '../evidenceStore.ts';
import { imagePreview, topographyPreview } from './preview.ts';
import { calibrationIdsUsed, originCalibrationReferences } from './originCalibrations.ts';
import { QuickPreviews } from './quickPreviews.ts';
import type { PngImage } from '../../../analysis/calibration/png.ts';
import type { Surface } from '../../../analysis/surface.ts';
import { Listeners } from '../../../base/listeners.ts';
import type { Log } from '../../../base/log.ts';

export type OperatorActor = Actor & { userId: number };

/** Calls served by the regions service (regionsService.ts), not here. */
export type RegionCalls = 'acquisitions.regions' | 'acquisitions.setRegions' | 'acquisitions.clearRegions';

/** Bounds for reading files into memory here: 4096² topographies (128 MiB as float64), 32 Mi-pixel images. */
export const hostScanLimits = { maxPoints: 4096 * 4096, maxPixels: 32 * 1024 * 1024 } as const;

const mediaTypes = { x3p: 'application/x-x3p', png: 'image/png', tiff: 'image/tiff' } as const;

/** A stored file read back: a topography or a 2D image. */
type DecodedFile = { kind: 'topography'; surface: Surface } | { kind: 'image'; image: PngImage };

function previewOf(decoded: DecodedFile, role: string, maxSize: number): AcquisitionPreview {
  return decoded.kind === 'topography'
    ? topographyPreview(decoded.surface, role, maxSize)
    : imagePreview(decoded.image, role, maxSize);
}

/** A file a capture made, already in the evidence store. */
export interface StoredAcquisitionFile extends NewAcquisitionFile {
  size: number;
}

const x3pProblems: Record<X3PErrorCode, FileProblem> = {
  'bad-zip': 'bad_zip',
  'unsafe-path': 'unsafe_path',
  'missing-member': 'missing_member',
  'bad-xml': 'bad_xml',
  checksum: 'checksum',
  size: 'size',
  limits: 'limits',
  'no-data': 'no_data',
  unsupported: 'unsupported',
};

/**
 * Reads a scan the user gave us, recognised by its content. A file whose name says another kind (a PNG picture
 * renamed .x3p) is refused, not stored as what it is not; any problem with its content is a typed refusal the UI
 * words, with the reader's English kept for the logs.
 */
function parseScan(bytes: Uint8Array, file: string): ImportedScan {
  if (bytes.byteLength === 0) throw fileRefused('empty', `"${file}" is empty (0 bytes)`, { file });
  const maxMiB = maxImportBytes / 1024 / 1024;
  if (bytes.byteLength > maxImportBytes)
    throw fileRefused('too_large', `"${file}" is larger than ${maxMiB} MiB`, { file, maxMiB });
  const found = sniffFileKind(bytes);
  const named = kindOfName(file);
  if (named && named !== found)
    throw fileRefused('kind_mismatch', `"${file}" is named as ${named} but its content is ${found}`, {
      file,
      found,
      named,
    });
  if (!detectScanFormat(bytes))
    throw fileRefused('unrecognised', `"${file}" is not an X3P, PNG or TIFF file (its content is ${found})`, {
      file,
      found,
    });
  try {
    return importScan(bytes, { maxPoints: hostScanLimits.maxPoints, maxPixels: hostScanLimits.maxPixels });
  } catch (error) {
    const english = `the file cannot be imported: ${(error as Error).message}`;
    if (error instanceof X3PError) throw fileRefused(x3pProblems[error.code], english, { file, found });
    if (error instanceof RangeError)
      throw fileRefused(/outside the limit/.test(error.message) ? 'limits' : 'image_damaged', english, { file, found });
    throw error;
  }
}

export class AcquisitionService {
  readonly repo: AcquisitionsRepo;
  readonly calibrations: CalibrationsRepo;
  private readonly db: Db;
  private readonly audit: AuditRepo;
  private readonly evidence: EvidenceStore;
  private readonly listeners: Listeners<{ itemId: number; acquisitionId: number }>;
  /** Derived quick previews, beside the evidence folder (<data>/derived/previews). */
  readonly quickPreviews: QuickPreviews;

  constructor(db: Db, audit: AuditRepo, evidence: EvidenceStore, log?: Log) {
    this.quickPreviews = new QuickPreviews(join(dirname(evidence.root), 'derived', 'previews'), log, (text) =>
      audit.seal('quick-preview', text),
    );
    this.listeners = new Listeners((error) =>
      log?.('error', 'an acquisitions listener failed', { error: String(error) }),
    );
    this.db = db;
    this.audit = audit;
    this.evidence = evidence;
    this.repo = new AcquisitionsRepo(db);
    this.calibrations = new CalibrationsRepo(db);
  }

  onChanged(listener: (change: { itemId: number; acquisitionId: number }) => void): () => void {
    return this.listeners.add(listener);
  }

  /** Tells listeners (acquisitions.changed) that an acquisition was added or amended. */
  changed(itemId: number, acquisitionId: number): void {
    this.listeners.emit({ itemId, acquisitionId });
  }

  private caseOf(itemId: number): number {
    const caseId = this.repo.caseOfItem(itemId);
    if (caseId === undefined) throw notFound('item', `no item ${itemId}`, { id: itemId });
    return caseId;
  }

  get(id: number): AcquisitionDetail {
    const record = this.repo.get(id);
    if (!record) throw notFound('acquisition', `no acquisition ${id}`, { id });
    const calibration = record.calibrationId === null ? undefined : this.calibrations.get(record.calibrationId);
    return {
      ...record,
      calibration: calibration ? summaryOf(calibration) : null,
      calibrationReferences: this.calibrationReferences(record.settings),
      files: this.repo.files(id),
    };
  }

  /** The reference of each calibration the settings name. Ids in the settings of an acquisition from a case package
   * are the capturing lab's, so they are named only by what the package carried, never looked up here. */
  private calibrationReferences(settings: Record<string, unknown> | null): Record<string, string> {
    if (isFromCasePackage(settings)) return originCalibrationReferences(settings!);
    return Object.fromEntries(
      calibrationIdsUsed(settings ?? {}).flatMap((usedId) => {
        const reference = this.calibrations.get(usedId)?.reference;
        return reference ? [[String(usedId), reference]] : [];
      }),
    );
  }

  list(itemId: number): AcquisitionSummary[] {
    this.caseOf(itemId);
    return this.repo.listByItem(itemId);
  }

  importFile(
    actor: OperatorActor,
    input: { itemId: number; region: AcquisitionRegion; fileName: string; bytes: Uint8Array; notes?: string },
  ): AcquisitionDetail {
    const caseId = this.caseOf(input.itemId);
    const startedAt = new Date().toISOString();
    const scan = parseScan(input.bytes, input.fileName);
    const settings: Record<string, unknown> = {
      format: scan.format,
      originalName: input.fileName,
      notes: input.notes ?? null,
      corrections: scan.corrections,
      // The same corrections as codes the screen words (the English above stays for records and logs).
      correctionNotes: scan.notes,
    };
    let record: Pick<NewAcquisition, 'topographySha256' | 'lateralUm' | 'width' | 'height'>;
    if (scan.kind === 'topography') {
      const { surface, record2, forensic, layout, source, validPoints } = scan.x3p;
      Object.assign(settings, {
        layout,
        source,
        validPoints,
        instrument: record2?.instrument ?? null,
        measuredAt: record2?.date ?? null,
        forensic: forensic ?? null,
      });
      record = { topographySha256: null, lateralUm: surface.dx * 1e6, width: surface.width, height: surface.height };
    } else {
      Object.assign(settings, { bitDepth: scan.image.bitDepth, colour: scan.image.colour });
      record = { topographySha256: null, lateralUm: null, width: scan.image.width, height: scan.image.height };
    }
    const id = this.db.transaction(() => {
      const stored = this.evidence.put(
        input.bytes,
        { mediaType: mediaTypes[scan.format], originalName: input.fileName, caseId },
        actor,
      );
      const completedAt = new Date().toISOString();
      const role = scan.kind === 'topography' ? 'topography' : 'original';
      const newId = this.repo.insert(
        {
          itemId: input.itemId,
          source: 'import',
          region: input.region,
          operatorId: actor.userId,
          startedAt,
          completedAt,
          rigProfile: null,
          devices: null,
          calibrationId: null,
          settings,
          quality: null,
          ...record,
          topographySha256: scan.kind === 'topography' ? stored.sha256 : null,
        },
        [{ role, sha256: stored.sha256, settings: null }],
      );
      this.audit.append(
        actor,
        {
          action: 'acquisition.import',
          entityType: 'acquisition',
          entityId: newId,
          caseId,
          after: { itemId: input.itemId, region: input.region, sha256: stored.sha256, ...settings },
        },
        completedAt,
      );
      return newId;
    })();
    this.changed(input.itemId, id);
    // The file is decoded already: its quick preview costs a few milliseconds now and spares the first viewer the
    // full read.
    const sha256 = this.repo.files(id)[0]!.sha256;
    const decoded: DecodedFile =
      scan.kind === 'topography'
        ? { kind: 'topography', surface: scan.x3p.surface }
        : { kind: 'image', image: scan.image };
    this.quickPreviews.store(sha256, previewOf(decoded, '', quickPreviewMaxSize));
    return this.get(id);
  }

  /** Stores finished captures (files already in the evidence store) in ONE transaction with their audit entries. */
  storeCaptures(
    actor: OperatorActor,
    captures: { acquisition: Omit<NewAcquisition, 'operatorId' | 'source'>; files: StoredAcquisitionFile[] }[],
  ): AcquisitionDetail[] {
    const ids = this.db.transaction(() =>
      captures.map(({ acquisition, files }) => {
        const caseId = this.caseOf(acquisition.itemId);
        for (const f of files)
          if (!this.evidence.has(f.sha256))
            throw new AppError('integrity', `capture file ${f.role} is not in the evidence store`);
        const newId = this.repo.insert(
          { ...acquisition, source: 'capture', operatorId: actor.userId },
          files.map(({ role, sha256, settings }) => ({ role, sha256, settings })),
        );
        this.audit.append(
          actor,
          {
            action: 'acquisition.capture',
            entityType: 'acquisition',
            entityId: newId,
            caseId,
            after: {
              itemId: acquisition.itemId,
              region: acquisition.region,
              rigProfile: acquisition.rigProfile,
              calibrationId: acquisition.calibrationId,
              topographySha256: acquisition.topographySha256,
              files: files.map((f) => `${f.role} ${f.sha256}`),
              qualityPassed: acquisition.quality?.passed ?? null,
            },
          },
          acquisition.completedAt,
        );
        return newId;
      }),
    )();
    captures.forEach(({ acquisition }, k) => this.changed(acquisition.itemId, ids[k]));
    // Their quick previews, derived in the background from the stored originals.
    this.quickPreviews.deriveLater(
      ids.flatMap((id) =>
        this.repo
          .files(id)
          .filter((f) => this.previewable(f.mediaType))
          .map((f) => ({
            sha256: f.sha256,
            derive: () => previewOf(this.decode(f), f.role, quickPreviewMaxSize),
          })),
      ),
    );
    return ids.map((id) => this.get(id));
  }

  setUnsuitable(actor: Actor, id: number, version: number, reason: string, mark: boolean): AcquisitionSummary {
    const itemId = this.db.transaction(() => {
      const current = this.repo.get(id);
      if (!current) throw notFound('acquisition', `no acquisition ${id}`, { id });
      if (!mark && current.unsuitableReason === null)
        throw new AppError('conflict', 'this acquisition is not marked unsuitable');
      const next = mark ? reason : null;
      if (!this.repo.setUnsuitable(id, version, next))
        throw new AppError(
          'conflict',
          'someone else changed this acquisition meanwhile; reload and apply your change again',
        );
      this.audit.append(actor, {
        action: mark ? 'acquisition.unsuitable' : 'acquisition.suitable',
        entityType: 'acquisition',
        entityId: id,
        caseId: this.caseOf(current.itemId),
        before: { unsuitableReason: current.unsuitableReason },
        after: { unsuitableReason: next },
        reason,
      });
      return current.itemId;
    })();
    this.changed(itemId, id);
    return this.repo.listByItem(itemId).find((a) => a.id === id)!;
  }

  private fileOf(acquisitionId: number, role: string) {
    if (!this.repo.get(acquisitionId))
      throw notFound('acquisition', `no acquisition ${acquisitionId}`, { id: acquisitionId });
    const file = this.repo.file(acquisitionId, role);
    if (!file)
      throw notFound('acquisition_file', `acquisition ${acquisitionId} has no file "${role}"`, {
        id: acquisitionId,
        name: role,
      });
    return file;
  }

  fileContent(
    acquisitionId: number,
    role: string,
  ): { role: string; sha256: string; mediaType: string; size: number; bytes: Uint8Array<ArrayBuffer> } {
    const file = this.fileOf(acquisitionId, role);
    if (file.size > maxFileContentBytes)
      throw new AppError(
        'invalid_input',
        `"${role}" is ${(file.size / 1048576).toFixed(0)} MiB, more than the ${maxFileContentBytes / 1048576} MiB sent at once; use the preview`,
      );
    return {
      role,
      sha256: file.sha256,
      mediaType: file.mediaType,
      size: file.size,
      bytes: this.readEvidence(file.sha256),
    };
  }

  private previewable(mediaType: string): boolean {
    return mediaType === mediaTypes.x3p || mediaType === mediaTypes.png || mediaType === mediaTypes.tiff;
  }

  /** Reads a stored file whole (topography or image); a file the viewer cannot show is refused. */
  private decode(file: { role: string; sha256: string; mediaType: string }): DecodedFile {
    if (!this.previewable(file.mediaType))
      throw new AppError('invalid_input', `"${file.role}" (${file.mediaType}) has no preview`);
    const bytes = this.readEvidence(file.sha256);
    try {
      if (file.mediaType === mediaTypes.x3p)
        return { kind: 'topography', surface: readX3P(bytes, { maxPoints: hostScanLimits.maxPoints }).surface };
      if (file.mediaType === mediaTypes.png)
        return { kind: 'image', image: decodePng(bytes, hostScanLimits.maxPixels) };
      return { kind: 'image', image: decodeTiff(bytes, hostScanLimits.maxPixels) };
    } catch (error) {
      throw new AppError('integrity', `stored file "${file.role}" cannot be read: ${(error as Error).message}`);
    }
  }

  /**
   * A view of one file at most `maxSize` pixels a side. The quick size comes from its derived copy when there is
   * one; any other read of the file derives that copy if it is missing.
   */
  preview(acquisitionId: number, role: string, maxSize: number): AcquisitionPreview {
    const file = this.fileOf(acquisitionId, role);
    const quick = maxSize === quickPreviewMaxSize;
    const stored = quick && this.previewable(file.mediaType) ? this.quickPreviews.read(file.sha256, role) : null;
    if (stored) return stored;
    const decoded = this.decode(file);
    const preview = previewOf(decoded, role, maxSize);
    if (quick) this.quickPreviews.store(file.sha256, preview);
    else if (!this.quickPreviews.has(file.sha256))
      this.quickPreviews.store(file.sha256, previewOf(decoded, role, quickPreviewMaxSize));
    return preview;
  }

  readEvidence(sha256: string): Uint8Array<ArrayBuffer> {
    try {
      const buffer = readFileSync(this.evidence.pathOf(sha256));
      return new Uint8Array(buffer.buffer as ArrayBuffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      throw new AppError('integrity', `evidence file ${sha256} is missing: ${(error as Error).message}`);
    }
  }

  handlers(): Pick<
    CallHandlers<typeof acquisitionsCalls>,
    Exclude<Extract<keyof typeof acquisitionsCalls, `acquisitions.${string}`>, RegionCalls>
  > {
    const actor = (s: Session | null): OperatorActor => ({ userId: s!.user.id, username: s!.user.username });
    return {
      'acquisitions.list': (input) => ({ rows: this.list(input.itemId) }),
      'acquisitions.get': (input) => this.get(input.id),
      'acquisitions.import': (input, ctx) => this.importFile(actor(ctx.session), input),
      'acquisitions.preview': (input) => this.preview(input.acquisitionId, input.role, input.maxSize),
      'acquisitions.fileContent': (input) => this.fileContent(input.acquisitionId, input.role),
      'acquisitions.markUnsuitable': (input, ctx) =>
        this.setUnsuitable(actor(ctx.session), input.id, input.version, input.reason, true),
      'acquisitions.clearUnsuitable': (input, ctx) =>
        this.setUnsuitable(actor(ctx.session), input.id, input.version, input.reason, false),
    };
  }
}
