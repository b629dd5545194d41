// Regions of an acquisition's head (primer, firing pin, breech-face annulus): detected on its topography (or,
// without one, its ring-light or original image), and the examiner's manual override, stored in the amendable
// `acquisitions.regions` column as an audited amendment (before/after and reason, same transaction, guarded by
// the row version). Detection runs here on the host thread: on a masked scan it is a distance transform, on a
// picture a Hough transform on a ≤ 320-pixel reduction — tens of milliseconds; results are kept per file hash.
import { AppError, notFound } from '../../../contract/errors.ts';
import type { Session } from '../../../contract/auth.ts';
import {
  regionsSchema,
  type AcquisitionRegionsView,
  type HeadRegions,
  type Regions,
  type acquisitionsCalls,
} from '../../../contract/acquisitions.ts';
import { decodePng } from '../../../analysis/calibration/png.ts';
import { decodeTiff } from '../../../analysis/calibration/tiff.ts';
import { loadOpenCv } from '../../../analysis/opencv.ts';
import { detectRegionsInBrightArea, detectRegionsInImage, detectRegionsInSurface } from '../../../analysis/regions.ts';
import { readX3P } from '../../../analysis/x3p/index.ts';
import type { CallHandlers } from '../../rpc/handlers.ts';
import type { Db } from '../../storage/database.ts';
import type { Actor, AuditRepo } from '../../storage/repos/auditRepo.ts';
import { hostScanLimits, type AcquisitionService, type RegionCalls } from './acquisitionService.ts';
import { greyOf } from './preview.ts';

/** The picture regions refer to, by preference: the topography, the ring-light image, the imported image. */
const pictureRoles = ['topography', 'ring', 'original'] as const;
const detectionCacheSize = 32;

type Detection = { detected: Regions | null; detectionError: string | null };

export class RegionsService {
  private readonly db: Db;
  private readonly audit: AuditRepo;
  private readonly acquisitions: AcquisitionService;
  /** Detection by file hash (a stored file never changes), most recent last. */
  private readonly cache = new Map<string, Detection & { width: number; height: number }>();

  constructor(db: Db, audit: AuditRepo, acquisitions: AcquisitionService) {
    this.db = db;
    this.audit = audit;
    this.acquisitions = acquisitions;
  }

  private record(id: number) {
    const record = this.acquisitions.repo.get(id);
    if (!record) throw notFound('acquisition', `no acquisition ${id}`, { id });
    return record;
  }

  private pictureFile(id: number) {
    for (const role of pictureRoles) {
      const file = this.acquisitions.repo.file(id, role);
      if (file) return file;
    }
    throw new AppError('invalid_input', `acquisition ${id} has no topography or image to find regions on`, {
      reason: 'no_picture',
    });
  }

  /** Detected regions of the acquisition's picture and that picture's size. */
  private async detect(id: number): Promise<Detection & { role: string; width: number; height: number }> {
    const file = this.pictureFile(id);
    const hit = this.cache.get(file.sha256);
    if (hit) return { ...hit, role: file.role };
    const bytes = this.acquisitions.readEvidence(file.sha256);
    const cv = await loadOpenCv();
    let outcome: Detection & { width: number; height: number };
    try {
      if (file.role === 'topography') {
        const { surface } = readX3P(bytes, { maxPoints: hostScanLimits.maxPoints });
        outcome = {
          width: surface.width,
          height: surface.height,
          ...attempt(() => detectRegionsInSurface(cv, surface)),
        };
        // A capture whose heights show no firing-pin edge (a flat, unmeasured hole): its coaxial image, on the same
        // pixel grid, shows the breech face bright and the firing-pin impression dark.
        const coaxial = this.acquisitions.repo.file(id, 'coaxial');
        if (!outcome.detected?.firingPin && coaxial) {
          const image = decodePng(this.acquisitions.readEvidence(coaxial.sha256), hostScanLimits.maxPixels);
          if (image.width === surface.width && image.height === surface.height) {
            const bright = attempt(() =>
              detectRegionsInBrightArea(cv, stretch(greyOf(image)), image.width, image.height),
            );
            if (bright.detected?.firingPin) outcome = { ...outcome, ...bright };
          }
        }
      } else {
        const image = decodeImage(file.mediaType, bytes);
        outcome = {
          width: image.width,
          height: image.height,
          ...attempt(() => detectRegionsInImage(cv, stretch(greyOf(image)), image.width, image.height)),
        };
      }
    } catch (error) {
      throw new AppError('integrity', `stored file "${file.role}" cannot be read: ${(error as Error).message}`);
    }
    this.cache.set(file.sha256, outcome);
    if (this.cache.size > detectionCacheSize) this.cache.delete(this.cache.keys().next().value!);
    return { ...outcome, role: file.role };
  }

  async regions(id: number): Promise<AcquisitionRegionsView> {
    this.record(id);
    const found = await this.detect(id);
    return this.view(id, found);
  }

  private view(id: number, found: Detection & { role: string }): AcquisitionRegionsView {
    const record = this.record(id);
    return {
      acquisitionId: id,
      role: found.role,
      detected: found.detected,
      detectionError: found.detectionError,
      override: this.override(id),
      version: record.version,
    };
  }

  /** The stored override; one that no longer fits the schema is reported, not silently used. */
  private override(id: number): Regions | null {
    const stored = this.acquisitions.repo.regionsOverride(id);
    if (stored === null) return null;
    const parsed = regionsSchema.safeParse(stored);
    if (!parsed.success)
      throw new AppError(
        'integrity',
        `the stored region override of acquisition ${id} is not valid: ${parsed.error.issues[0]?.message}`,
      );
    return parsed.data;
  }

  async setRegions(
    actor: Actor,
    input: { id: number; version: number; reason: string; regions: HeadRegions | null },
  ): Promise<AcquisitionRegionsView> {
    this.record(input.id);
    // The picture (and its size) is needed before the transaction: the override must be drawn on it.
    const found = await this.detect(input.id);
    if (input.regions && (input.regions.width !== found.width || input.regions.height !== found.height)) {
      throw new AppError(
        'invalid_input',
        `the regions were drawn on a ${input.regions.width} × ${input.regions.height} picture; the acquisition's ${found.role} is ${found.width} × ${found.height}`,
        { reason: 'picture_size' },
      );
    }
    const next: Regions | null = input.regions
      ? { ...input.regions, origin: 'manual', method: `set by ${actor.username}` }
      : null;
    const itemId = this.db.transaction(() => {
      const current = this.record(input.id);
      const before = this.acquisitions.repo.regionsOverride(input.id);
      if (!next && before === null) throw new AppError('conflict', 'this acquisition has no region override to clear');
      if (!this.acquisitions.repo.setRegions(input.id, input.version, next))
        throw new AppError(
          'conflict',
          'someone else changed this acquisition meanwhile; reload and apply your change again',
        );
      this.audit.append(actor, {
        action: next ? 'acquisition.regions' : 'acquisition.regions_cleared',
        entityType: 'acquisition',
        entityId: input.id,
        caseId: this.acquisitions.repo.caseOfItem(current.itemId)!,
        before: { regions: before },
        after: { regions: next },
        reason: input.reason,
      });
      return current.itemId;
    })();
    this.acquisitions.changed(itemId, input.id);
    return this.view(input.id, found);
  }

  handlers(): Pick<CallHandlers<typeof acquisitionsCalls>, RegionCalls> {
    const actor = (s: Session | null): Actor & { userId: number } => ({
      userId: s!.user.id,
      username: s!.user.username,
    });
    return {
      'acquisitions.regions': (input) => this.regions(input.id),
      'acquisitions.setRegions': (input, ctx) => this.setRegions(actor(ctx.session), input),
      'acquisitions.clearRegions': (input, ctx) => this.setRegions(actor(ctx.session), { ...input, regions: null }),
    };
  }
}

/** Detection that finds nothing usable says why instead of failing the call (the override still works). */
function attempt(run: () => Regions): Detection {
  try {
    return { detected: run(), detectionError: null };
  } catch (error) {
    if (error instanceof AppError) return { detected: null, detectionError: error.message };
    throw error;
  }
}

function decodeImage(mediaType: string, bytes: Uint8Array) {
  return mediaType === 'image/tiff'
    ? decodeTiff(bytes, hostScanLimits.maxPixels)
    : decodePng(bytes, hostScanLimits.maxPixels);
}

/** Grey levels (8 or 16 bit) stretched to 0–255 between their minimum and maximum. */
function stretch(grey: Float32Array): Uint8Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of grey) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const out = new Uint8Array(grey.length);
  for (let i = 0; i < grey.length; i++) out[i] = Math.round((grey[i] - lo) * scale);
  return out;
}
