// Records as the contract shows them. Filtering by access happens in workspace.ts; these only translate.
import type {
  AnnotationView,
  ComparisonSideView,
  ConclusionView,
  SnapshotView,
  StoredAnalysis,
  VerificationView,
} from '../../../contract/examination.ts';
import type { AnalysisRecord, ComparisonRecord } from '../../storage/repos/examination/comparisonsRepo.ts';
import type { AnnotationRecord, SnapshotRecord } from '../../storage/repos/examination/annotationsRepo.ts';
import type { ConclusionRecord, VerificationRecord } from '../../storage/repos/examination/conclusionsRepo.ts';
import { notFound } from '../../../contract/errors.ts';
import type { ExamContext } from './context.ts';

export function annotationView(a: AnnotationRecord): AnnotationView {
  return { ...a };
}

export function snapshotView(s: SnapshotRecord): SnapshotView {
  return { ...s };
}

export function conclusionView(c: ConclusionRecord): ConclusionView {
  const { verificationId: _v, ...rest } = c;
  return rest;
}

export function verificationView(v: VerificationRecord, blind: boolean): VerificationView {
  return {
    id: v.id,
    comparisonId: v.comparisonId,
    state: v.state,
    blind: v.blind,
    requestedBy: v.requestedBy,
    // A request's reason may say what the first examiner concluded ("to confirm the identification").
    requestReason: blind ? null : v.requestReason,
    verifier: v.verifier,
    arbiter: v.arbiter,
    createdAt: v.createdAt,
    closedAt: v.closedAt,
    version: v.version,
  };
}

export function analysisView(a: AnalysisRecord): StoredAnalysis {
  return {
    ...(a.result as Omit<StoredAnalysis, 'id' | 'comparisonId' | 'algorithm' | 'inputs' | 'ranAt' | 'ranBy'>),
    id: a.id,
    comparisonId: a.comparisonId,
    algorithm: { name: a.algorithmName, version: a.algorithmVersion },
    inputs: { a: a.topographyA, b: a.topographyB },
    ranAt: a.ranAt,
    ranBy: a.ranBy,
  };
}

function imageKind(role: string): ComparisonSideView['images'][number]['kind'] {
  if (role.startsWith('light:')) return 'light';
  if (role.startsWith('dark') || role.startsWith('flat') || role === 'focus') return 'calibration';
  return 'composite';
}

/** One side of a comparison: what the acquisition holds, named by case and exhibit (or neutrally in a test). */
export function sideView(
  ctx: ExamContext,
  comparison: ComparisonRecord,
  side: 'a' | 'b',
  testLabel: string | null,
): ComparisonSideView {
  const acquisitionId = side === 'a' ? comparison.a : comparison.b;
  const source = ctx.sources.acquisition(acquisitionId);
  const acquisition = ctx.acquisitions.get(acquisitionId);
  if (!source || !acquisition)
    throw notFound('acquisition', `acquisition ${acquisitionId} does not exist`, { id: acquisitionId });
  const files = ctx.acquisitions.files(acquisitionId);
  const named = testLabel === null;
  return {
    side,
    acquisitionId,
    label: testLabel ?? `${source.labCaseNumber} / ${source.exhibitNumber}`,
    caseId: named ? source.caseId : null,
    itemId: named ? source.itemId : null,
    labCaseNumber: named ? source.labCaseNumber : null,
    exhibitNumber: named ? source.exhibitNumber : null,
    calibre: named ? source.calibre : null,
    region: acquisition.region,
    acquiredAt: source.acquiredAt,
    pixelUm: acquisition.lateralUm,
    topography: acquisition.topographySha256
      ? { sha256: acquisition.topographySha256, width: acquisition.width, height: acquisition.height }
      : null,
    images: files
      .filter((f) => f.mediaType.startsWith('image/'))
      .map((f) => ({ role: f.role, sha256: f.sha256, mediaType: f.mediaType, size: f.size, kind: imageKind(f.role) })),
    unsuitableReason: acquisition.unsuitableReason,
  };
}
