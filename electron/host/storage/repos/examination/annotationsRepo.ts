// SQL of annotations (current state, row-versioned) and their revisions (every state, write-once), and snapshots.
import type { Db } from '../../database.ts';
import type {
  AnnotationLayer,
  AnnotationShape,
  ComparisonSide,
  ConclusionRole,
  ViewState,
} from '../../../../contract/examination.ts';

export interface PersonRecord {
  userId: number;
  username: string;
  displayName: string;
}

export interface AnnotationRecord {
  id: number;
  comparisonId: number;
  side: ComparisonSide;
  acquisitionId: number;
  frame: string;
  layer: AnnotationLayer;
  shape: AnnotationShape;
  note: string;
  view: ViewState | null;
  author: PersonRecord;
  role: ConclusionRole;
  createdAt: string;
  updatedAt: string;
  revision: number;
  version: number;
  withdrawn: { at: string; by: string; reason: string } | null;
}

export interface AnnotationRevisionRecord {
  revision: number;
  layer: AnnotationLayer;
  shape: AnnotationShape;
  note: string;
  view: ViewState | null;
  at: string;
  by: string;
  reason: string | null;
  withdrawn: boolean;
}

export interface SnapshotRecord {
  id: number;
  comparisonId: number;
  sha256: string;
  size: number;
  width: number;
  height: number;
  caption: string;
  view: ViewState;
  author: PersonRecord;
  role: ConclusionRole;
  createdAt: string;
}

type Row = Record<string, unknown>;
const json = <T>(text: unknown): T => JSON.parse(text as string) as T;
const person = (row: Row): PersonRecord => ({
  userId: row.author_id as number,
  username: row.author_username as string,
  displayName: row.author_display_name as string,
});

const annotationSelect = `SELECT n.*, u.username AS author_username, u.display_name AS author_display_name,
    w.username AS withdrawn_by_name
  FROM annotations n JOIN users u ON u.id = n.author_id LEFT JOIN users w ON w.id = n.withdrawn_by`;

function toAnnotation(row: Row): AnnotationRecord {
  return {
    id: row.id as number,
    comparisonId: row.comparison_id as number,
    side: row.side as ComparisonSide,
    acquisitionId: row.acquisition_id as number,
    frame: row.frame as string,
    layer: row.layer as AnnotationLayer,
    shape: json<AnnotationShape>(row.shape),
    note: row.note as string,
    view: row.view === null ? null : json<ViewState>(row.view),
    author: person(row),
    role: row.role as ConclusionRole,
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
    revision: row.revision as number,
    version: row.version as number,
    withdrawn:
      row.withdrawn_at === null
        ? null
        : {
            at: row.withdrawn_at as string,
            by: row.withdrawn_by_name as string,
            reason: row.withdrawn_reason as string,
          },
  };
}

const snapshotSelect = `SELECT s.*, e.size, u.username AS author_username, u.display_name AS author_display_name
  FROM snapshots s JOIN evidence_files e ON e.sha256 = s.sha256 JOIN users u ON u.id = s.author_id`;

function toSnapshot(row: Row): SnapshotRecord {
  return {
    id: row.id as number,
    comparisonId: row.comparison_id as number,
    sha256: row.sha256 as string,
    size: row.size as number,
    width: row.width as number,
    height: row.height as number,
    caption: row.caption as string,
    view: json<ViewState>(row.view),
    author: person(row),
    role: row.role as ConclusionRole,
    createdAt: row.created_at as string,
  };
}

export interface AnnotationContent {
  layer: AnnotationLayer;
  shape: AnnotationShape;
  note: string;
  view: ViewState | null;
}

export class AnnotationsRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** The annotation and its first revision (the original). */
  insert(
    a: AnnotationContent & {
      comparisonId: number;
      side: ComparisonSide;
      acquisitionId: number;
      frame: string;
      authorId: number;
      role: ConclusionRole;
      at: string;
    },
  ): number {
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO annotations (comparison_id, side, acquisition_id, frame, author_id, role, created_at, updated_at,
             layer, shape, note, view) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          a.comparisonId,
          a.side,
          a.acquisitionId,
          a.frame,
          a.authorId,
          a.role,
          a.at,
          a.at,
          a.layer,
          JSON.stringify(a.shape),
          a.note,
          a.view ? JSON.stringify(a.view) : null,
        ).lastInsertRowid,
    );
    this.insertRevision(id, 1, a, a.at, a.authorId, null, false);
    return id;
  }

  /**
   * Applies an amendment if the row is still at `version`: the new current state and its revision row, or
   * false (nothing written) when someone changed it meanwhile.
   */
  amend(
    id: number,
    version: number,
    next: AnnotationContent,
    by: number,
    at: string,
    reason: string,
    withdraw: boolean,
  ): boolean {
    const updated =
      this.db
        .prepare(
          `UPDATE annotations SET layer = ?, shape = ?, note = ?, view = ?, updated_at = ?, revision = revision + 1,
             version = version + 1, withdrawn_at = CASE WHEN ? THEN ? ELSE withdrawn_at END,
             withdrawn_by = CASE WHEN ? THEN ? ELSE withdrawn_by END,
             withdrawn_reason = CASE WHEN ? THEN ? ELSE withdrawn_reason END
           WHERE id = ? AND version = ? AND withdrawn_at IS NULL`,
        )
        .run(
          next.layer,
          JSON.stringify(next.shape),
          next.note,
          next.view ? JSON.stringify(next.view) : null,
          at,
          withdraw ? 1 : 0,
          at,
          withdraw ? 1 : 0,
          by,
          withdraw ? 1 : 0,
          reason,
          id,
          version,
        ).changes === 1;
    if (!updated) return false;
    const revision = this.db.prepare('SELECT revision FROM annotations WHERE id = ?').pluck().get(id) as number;
    this.insertRevision(id, revision, next, at, by, reason, withdraw);
    return true;
  }

  private insertRevision(
    id: number,
    revision: number,
    c: AnnotationContent,
    at: string,
    by: number,
    reason: string | null,
    withdrawn: boolean,
  ): void {
    this.db
      .prepare(
        `INSERT INTO annotation_revisions (annotation_id, revision, layer, shape, note, view, at, by_user, reason, withdrawn)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        revision,
        c.layer,
        JSON.stringify(c.shape),
        c.note,
        c.view ? JSON.stringify(c.view) : null,
        at,
        by,
        reason,
        withdrawn ? 1 : 0,
      );
  }

  get(id: number): AnnotationRecord | undefined {
    const row = this.db.prepare(`${annotationSelect} WHERE n.id = ?`).get(id) as Row | undefined;
    return row && toAnnotation(row);
  }

  ofComparison(comparisonId: number): AnnotationRecord[] {
    return (
      this.db.prepare(`${annotationSelect} WHERE n.comparison_id = ? ORDER BY n.id`).all(comparisonId) as Row[]
    ).map(toAnnotation);
  }

  revisions(annotationId: number): AnnotationRevisionRecord[] {
    return (
      this.db
        .prepare(
          `SELECT r.*, u.username AS by_name FROM annotation_revisions r JOIN users u ON u.id = r.by_user
           WHERE r.annotation_id = ? ORDER BY r.revision`,
        )
        .all(annotationId) as Row[]
    ).map((row) => ({
      revision: row.revision as number,
      layer: row.layer as AnnotationLayer,
      shape: json<AnnotationShape>(row.shape),
      note: row.note as string,
      view: row.view === null ? null : json<ViewState>(row.view),
      at: row.at as string,
      by: row.by_name as string,
      reason: row.reason as string | null,
      withdrawn: row.withdrawn === 1,
    }));
  }

  insertSnapshot(s: {
    comparisonId: number;
    sha256: string;
    width: number;
    height: number;
    caption: string;
    view: ViewState;
    authorId: number;
    role: ConclusionRole;
    at: string;
  }): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO snapshots (comparison_id, sha256, width, height, caption, view, author_id, role, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(s.comparisonId, s.sha256, s.width, s.height, s.caption, JSON.stringify(s.view), s.authorId, s.role, s.at)
        .lastInsertRowid,
    );
  }

  snapshot(id: number): SnapshotRecord | undefined {
    const row = this.db.prepare(`${snapshotSelect} WHERE s.id = ?`).get(id) as Row | undefined;
    return row && toSnapshot(row);
  }

  snapshotsOf(comparisonId: number): SnapshotRecord[] {
    return (
      this.db.prepare(`${snapshotSelect} WHERE s.comparison_id = ? ORDER BY s.id`).all(comparisonId) as Row[]
    ).map(toSnapshot);
  }

  /** Whether a user made any annotation or snapshot in this role of the comparison. */
  hasWorkedAs(comparisonId: number, userId: number, role: ConclusionRole): boolean {
    return (
      this.db
        .prepare(
          `SELECT 1 FROM annotations WHERE comparison_id = @comparisonId AND author_id = @userId AND role = @role
           UNION ALL SELECT 1 FROM snapshots WHERE comparison_id = @comparisonId AND author_id = @userId AND role = @role LIMIT 1`,
        )
        .get({ comparisonId, userId, role }) !== undefined
    );
  }
}
