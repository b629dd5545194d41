// Annotations (polygons and brush strokes on one side, in a file's pixels) and snapshots (rendered PNGs with
// their view). Both are made in the role the user has in the comparison; annotations are amended with a reason
// and a row version (a stale edit is refused with both versions, so nothing is lost), snapshots never change.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { AppError, notFound } from '../../../contract/errors.ts';
import type {
  AnnotationLayer,
  AnnotationShape,
  AnnotationView,
  ComparisonSide,
  SnapshotView,
  ViewState,
} from '../../../contract/examination.ts';
import type { AnnotationContent, AnnotationRecord } from '../../storage/repos/examination/annotationsRepo.ts';
import { factsOf, requireVisible, standingOf, withheld, type Standing } from './access.ts';
import type { ExamContext, Viewer } from './context.ts';
import { checkPng } from './png.ts';
import { annotationView, snapshotView } from './views.ts';
import { hiddenFromParticipant } from './testSecrecy.ts';

/** The viewer's standing in a comparison they are about to add work to; refused when they may not. */
function workingStanding(
  ctx: ExamContext,
  viewer: Viewer,
  comparisonId: number,
): Standing & { annotatesAs: NonNullable<Standing['annotatesAs']> } {
  const comparison = ctx.comparison(comparisonId);
  requireVisible(viewer, comparison);
  const standing = standingOf(viewer, factsOf(ctx, comparison));
  if (!standing.annotatesAs)
    throw new AppError('forbidden', `you cannot add to this comparison: ${standing.reason ?? 'not your examination'}`);
  return standing as Standing & { annotatesAs: NonNullable<Standing['annotatesAs']> };
}

/** What an audit entry records of a shape (not every point): its kind, point count, width and bounds. */
export function shapeSummary(shape: AnnotationShape) {
  const xs = shape.points.map((p) => p[0]);
  const ys = shape.points.map((p) => p[1]);
  return {
    kind: shape.kind,
    points: shape.points.length,
    ...(shape.kind === 'stroke' ? { width: shape.width } : {}),
    bounds: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
  };
}

/** Points must lie on the picture they are drawn on, when its size is known (a brush may overhang by its width). */
function checkOnPicture(ctx: ExamContext, acquisitionId: number, frame: string, shape: AnnotationShape): void {
  const acquisition = ctx.acquisitions.get(acquisitionId)!;
  const files = ctx.acquisitions.files(acquisitionId);
  if (!files.some((f) => f.role === frame))
    throw new AppError('invalid_input', `acquisition ${acquisitionId} has no file "${frame}" to annotate`, {
      field: 'frame',
    });
  // The recorded size is the topography's, or the picture's when there is no topography; captures share one grid.
  const sized = frame === 'topography' || !acquisition.topographySha256 || acquisition.source === 'capture';
  if (!sized || !acquisition.width || !acquisition.height) return;
  const margin = shape.kind === 'stroke' ? shape.width : 0;
  const outside = shape.points.find(
    ([x, y]) => x < -margin || y < -margin || x > acquisition.width! + margin || y > acquisition.height! + margin,
  );
  if (outside)
    throw new AppError(
      'invalid_input',
      `point (${outside[0]}, ${outside[1]}) lies outside the ${acquisition.width} × ${acquisition.height} picture`,
      { field: 'shape' },
    );
}

export function createAnnotation(
  ctx: ExamContext,
  viewer: Viewer,
  input: {
    comparisonId: number;
    side: ComparisonSide;
    frame: string;
    layer: AnnotationLayer;
    shape: AnnotationShape;
    note: string;
    view?: ViewState;
  },
): AnnotationView {
  const standing = workingStanding(ctx, viewer, input.comparisonId);
  const comparison = ctx.comparison(input.comparisonId);
  const acquisitionId = input.side === 'a' ? comparison.a : comparison.b;
  checkOnPicture(ctx, acquisitionId, input.frame, input.shape);
  const at = ctx.now();
  const id = ctx.tx(() => {
    const id = ctx.annotations.insert({
      ...input,
      view: input.view ?? null,
      acquisitionId,
      authorId: viewer.userId,
      role: standing.annotatesAs,
      at,
    });
    ctx.record(
      viewer,
      input.comparisonId,
      {
        action: 'annotation.create',
        entityType: 'annotation',
        entityId: id,
        caseId: ctx.caseOf(acquisitionId),
        after: {
          annotationId: id,
          side: input.side,
          acquisitionId,
          frame: input.frame,
          layer: input.layer,
          shape: shapeSummary(input.shape),
          note: input.note,
          role: standing.annotatesAs,
        },
      },
      at,
    );
    return id;
  });
  ctx.changed(input.comparisonId, 'annotation');
  return annotationView(ctx.annotations.get(id)!);
}

/** The annotation if this viewer may see it (a blind verifier is told it does not exist). */
function visibleAnnotation(ctx: ExamContext, viewer: Viewer, id: number): AnnotationRecord {
  const annotation = ctx.annotations.get(id);
  const comparison = annotation && ctx.comparisons.get(annotation.comparisonId);
  if (annotation && comparison && !hiddenFromParticipant(ctx, viewer.userId, comparison)) {
    requireVisible(viewer, comparison);
    if (!withheld(standingOf(viewer, factsOf(ctx, comparison)), annotation.role)) return annotation;
  }
  throw notFound('annotation', `annotation ${id} does not exist`, { id });
}

export function amendAnnotation(
  ctx: ExamContext,
  viewer: Viewer,
  input: {
    id: number;
    version: number;
    reason: string;
    layer?: AnnotationLayer;
    shape?: AnnotationShape;
    note?: string;
    view?: ViewState;
  },
  withdraw = false,
): AnnotationView {
  const current = visibleAnnotation(ctx, viewer, input.id);
  if (current.author.userId !== viewer.userId)
    throw new AppError('forbidden', `only ${current.author.username}, who drew it, amends this annotation`);
  const standing = workingStanding(ctx, viewer, current.comparisonId);
  if (standing.annotatesAs !== current.role)
    throw new AppError('forbidden', `this annotation belongs to the ${current.role}, which is over`);
  if (current.withdrawn) throw new AppError('conflict', `annotation ${input.id} was withdrawn`);
  const next: AnnotationContent = {
    layer: input.layer ?? current.layer,
    shape: input.shape ?? current.shape,
    note: input.note ?? current.note,
    view: input.view ?? current.view,
  };
  if (input.shape) checkOnPicture(ctx, current.acquisitionId, current.frame, input.shape);
  const at = ctx.now();
  const applied = ctx.tx(() => {
    if (!ctx.annotations.amend(input.id, input.version, next, viewer.userId, at, input.reason, withdraw)) return false;
    const describe = (c: AnnotationContent) => ({ layer: c.layer, note: c.note, shape: shapeSummary(c.shape) });
    ctx.record(
      viewer,
      current.comparisonId,
      {
        action: withdraw ? 'annotation.withdraw' : 'annotation.amend',
        entityType: 'annotation',
        entityId: input.id,
        caseId: ctx.caseOf(current.acquisitionId),
        before: { annotationId: input.id, revision: current.revision, ...describe(current) },
        after: { annotationId: input.id, revision: current.revision + 1, ...describe(next), withdrawn: withdraw },
        reason: input.reason,
      },
      at,
    );
    return true;
  });
  if (!applied) {
    // Someone amended it first: theirs stands; the caller gets it and their own edit back to re-apply.
    const latest = ctx.annotations.get(input.id)!;
    throw new AppError(
      'conflict',
      `${latest.author.username} changed annotation ${input.id} meanwhile (revision ${latest.revision}); your edit was not applied — re-apply it on the current version`,
      { current: annotationView(latest), yours: { ...next, withdraw } },
    );
  }
  ctx.changed(current.comparisonId, 'annotation');
  return annotationView(ctx.annotations.get(input.id)!);
}

/**
 * Reading another person's work on the first examination by id is being shown it, as in the workspace: the reader
 * can no longer verify that comparison blind.
 */
function rememberShown(
  ctx: ExamContext,
  viewer: Viewer,
  record: { comparisonId: number; role: string; author: { userId: number } },
) {
  if (record.role === 'examination' && record.author.userId !== viewer.userId)
    ctx.tx(() => ctx.comparisons.recordViewer(record.comparisonId, viewer.userId, ctx.now()));
}

export function annotationHistory(ctx: ExamContext, viewer: Viewer, id: number) {
  rememberShown(ctx, viewer, visibleAnnotation(ctx, viewer, id));
  return ctx.annotations.revisions(id);
}

export async function createSnapshot(
  ctx: ExamContext,
  viewer: Viewer,
  input: { comparisonId: number; png: Uint8Array; caption: string; view: ViewState },
): Promise<SnapshotView> {
  workingStanding(ctx, viewer, input.comparisonId);
  const { width, height } = await checkPng(input.png);
  // Asked again after the await: the comparison may have moved on while the picture was checked.
  const standing = workingStanding(ctx, viewer, input.comparisonId);
  const comparison = ctx.comparison(input.comparisonId);
  const caseId = ctx.caseOf(comparison.a);
  const at = ctx.now();
  const id = ctx.tx(() => {
    // A test pair's picture is not the case's evidence (see ExamContext.record).
    const stored = ctx.evidence.put(
      input.png,
      { mediaType: 'image/png', originalName: 'snapshot.png', caseId: comparison.testPairId === null ? caseId : null },
      viewer,
    );
    const id = ctx.annotations.insertSnapshot({
      comparisonId: input.comparisonId,
      sha256: stored.sha256,
      width,
      height,
      caption: input.caption,
      view: input.view,
      authorId: viewer.userId,
      role: standing.annotatesAs,
      at,
    });
    ctx.record(
      viewer,
      input.comparisonId,
      {
        action: 'snapshot.create',
        entityType: 'snapshot',
        entityId: id,
        caseId,
        after: {
          snapshotId: id,
          sha256: stored.sha256,
          width,
          height,
          caption: input.caption,
          role: standing.annotatesAs,
        },
      },
      at,
    );
    return id;
  });
  ctx.changed(input.comparisonId, 'snapshot');
  return snapshotView(ctx.annotations.snapshot(id)!);
}

export function snapshotContent(ctx: ExamContext, viewer: Viewer, id: number) {
  const snapshot = ctx.annotations.snapshot(id);
  const comparison = snapshot && ctx.comparisons.get(snapshot.comparisonId);
  if (!snapshot || !comparison || hiddenFromParticipant(ctx, viewer.userId, comparison))
    throw notFound('snapshot', `snapshot ${id} does not exist`, { id });
  requireVisible(viewer, comparison);
  if (withheld(standingOf(viewer, factsOf(ctx, comparison)), snapshot.role))
    throw notFound('snapshot', `snapshot ${id} does not exist`, { id });
  rememberShown(ctx, viewer, snapshot);
  const bytes = readFileSync(ctx.evidence.pathOf(snapshot.sha256));
  if (createHash('sha256').update(bytes).digest('hex') !== snapshot.sha256)
    throw new AppError('integrity', `snapshot ${id} no longer matches its hash: the evidence file was altered`);
  return { sha256: snapshot.sha256, mediaType: 'image/png' as const, bytes: new Uint8Array(bytes) };
}
