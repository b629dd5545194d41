// A capture stopped by the process ending (killed, power cut, crash) cannot write how it ended: the audit shows
// its capture.start and nothing after, and the originals it had already stored stay in the evidence store,
// referenced by no acquisition. They are kept on purpose (an original is never deleted, and each was audited as
// evidence.store when written); on the next start the station closes the record with `capture.interrupted`,
// naming those files, so the trail says what happened instead of leaving a capture that never ended.
import type { Db } from '../../storage/database.ts';
import type { AuditRepo } from '../../storage/repos/auditRepo.ts';
import { IntegrityRepo } from '../../storage/repos/integrityRepo.ts';

/** Entries that close a capture.start (the acquisitions of a capture are stored in one transaction). */
const closing = ['capture.canceled', 'capture.failed', 'capture.interrupted', 'acquisition.capture'];

/**
 * Records `capture.interrupted` for the station's last capture if it never ended (one capture runs at a time and
 * this runs before any can start, so only the last can be open). Returns the entry's sequence number, or null.
 */
export function recordInterruptedCapture(db: Db, audit: AuditRepo): number | null {
  const start = db
    .prepare(
      "SELECT seq, entity_id AS itemId, case_id AS caseId FROM audit_log WHERE action = 'capture.start' ORDER BY seq DESC LIMIT 1",
    )
    .get() as { seq: number; itemId: string; caseId: number | null } | undefined;
  if (!start) return null;
  const closed = db
    .prepare(`SELECT 1 FROM audit_log WHERE action IN (${closing.map(() => '?').join(', ')}) AND seq > ? LIMIT 1`)
    .get(...closing, start.seq);
  if (closed) return null;
  const stored = db
    .prepare("SELECT entity_id FROM audit_log WHERE action = 'evidence.store' AND seq > ? ORDER BY seq")
    .pluck()
    .all(start.seq) as string[];
  const referenced = new IntegrityRepo(db).referencedEvidence(stored);
  const unreferenced = stored.filter((sha256) => !referenced.has(sha256));
  return db.transaction(() =>
    audit.append(
      { userId: null, username: null },
      {
        action: 'capture.interrupted',
        entityType: 'item',
        entityId: start.itemId,
        caseId: start.caseId,
        after: {
          started: start.seq,
          message: 'the station stopped during this capture; no acquisition was stored',
          unreferencedFiles: unreferenced.length,
          files: unreferenced.slice(0, 100),
        },
      },
    ),
  )();
}
