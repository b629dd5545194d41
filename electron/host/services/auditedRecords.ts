// `audit verify` for the write-once records besides conclusions: snapshots, annotations (every revision),
// verifications, hits and calibrations. Triggers keep them from being changed through the station, but a person
// with the database file can lift a trigger, rewrite a row and put the trigger back; the keyed audit entry that
// made (or last moved) each record cannot be rewritten without the station key. So each record must say what its
// entries say, and each record an entry made must still be there.
import { canonicalJson } from '../../base/canonicalJson.ts';
import type { AnnotationShape } from '../../contract/examination.ts';
import { fieldChanged, finding, type ProblemList } from '../storage/problemList.ts';
import type { AuditedChange, IntegrityRepo } from '../storage/repos/integrityRepo.ts';
import { shapeSummary } from './examination/annotations.ts';

/** The first entry of one of `actions` for each entity id (the one that made it). */
export function createdBy(changes: AuditedChange[], actions: string[]): Map<string, AuditedChange> {
  const made = new Map<string, AuditedChange>();
  for (const change of changes)
    if (change.entityId !== null && actions.includes(change.action) && !made.has(change.entityId))
      made.set(change.entityId, change);
  return made;
}

/** Reports each field whose stored value is not the audited one. */
export function compareFields(
  problems: ProblemList,
  entry: AuditedChange,
  subject: string,
  stored: Record<string, unknown>,
  audited: Record<string, unknown>,
): void {
  for (const [field, value] of Object.entries(stored)) {
    // Canonical: the same object written in another key order (a JSON column, an entry) is the same value.
    const want = canonicalJson(audited[field] ?? null);
    if (canonicalJson(value ?? null) !== want)
      problems.add(
        'differs',
        entry.seq,
        subject,
        `${field} is ${canonicalJson(value ?? null)} but its audit entry says ${want} (changed around the station)`,
        fieldChanged(subject, field, value, audited[field]),
      );
  }
}

/** Each record an entry made whose row is gone. */
function reportDeleted(problems: ProblemList, kind: string, made: Map<string, AuditedChange>, kept: Set<string>) {
  for (const [id, entry] of made)
    if (!kept.has(id))
      problems.add(
        'differs',
        entry.seq,
        `${kind} ${id}`,
        `it was made, but its record is gone (deleted)`,
        finding('record_deleted', `${kind} ${id}`),
      );
}

export function checkExaminationRecords(integrity: IntegrityRepo, problems: ProblemList): void {
  checkSnapshots(integrity, problems);
  checkAnnotations(integrity, problems);
  checkVerifications(integrity, problems);
  checkHits(integrity, problems);
}

function checkSnapshots(integrity: IntegrityRepo, problems: ProblemList): void {
  const made = createdBy(integrity.changesOf('snapshot'), ['snapshot.create']);
  const rows = integrity.snapshotRows();
  for (const row of rows) {
    const subject = `snapshot ${row.id}`;
    const entry = made.get(String(row.id));
    if (!entry) {
      problems.add('unaudited', null, subject, 'no audit entry took this snapshot', finding('no_entry', subject));
      continue;
    }
    const { id: _id, ...stored } = row;
    compareFields(problems, entry, subject, stored, entry.after ?? {});
  }
  reportDeleted(problems, 'snapshot', made, new Set(rows.map((r) => String(r.id))));
}

const summaryOf = (shape: string) => shapeSummary(JSON.parse(shape) as AnnotationShape);

/**
 * An annotation's creation fixes where it is (comparison, side, acquisition, frame, role); each revision (the
 * first, then every amendment or withdrawal) has an entry recording its layer, note, shape and withdrawal. The
 * annotation as it stands must be its last audited revision.
 */
function checkAnnotations(integrity: IntegrityRepo, problems: ProblemList): void {
  const changes = integrity.changesOf('annotation');
  const made = createdBy(changes, ['annotation.create']);
  // "id revision" → the entry that made that revision; id → the entry of its last audited revision.
  const revisions = new Map<string, AuditedChange>();
  const last = new Map<string, { revision: number; entry: AuditedChange }>();
  for (const change of changes) {
    if (change.entityId === null) continue;
    const revision =
      change.action === 'annotation.create'
        ? 1
        : ['annotation.amend', 'annotation.withdraw'].includes(change.action)
          ? Number(change.after?.revision)
          : NaN;
    if (Number.isNaN(revision)) continue;
    revisions.set(`${change.entityId} ${revision}`, change);
    if (revision > (last.get(change.entityId)?.revision ?? 0)) last.set(change.entityId, { revision, entry: change });
  }
  const content = (entry: AuditedChange) => ({
    layer: entry.after?.layer,
    note: entry.after?.note,
    shape: entry.after?.shape,
    withdrawn: entry.after?.withdrawn === true,
  });
  const stored = (row: { layer: string; note: string; shape: string; withdrawn: number }) => ({
    layer: row.layer,
    note: row.note,
    shape: summaryOf(row.shape),
    withdrawn: row.withdrawn === 1,
  });
  const kept = new Set<string>();
  for (const row of integrity.annotationRevisionRows()) {
    const key = `${row.annotationId} ${row.revision}`;
    kept.add(key);
    const subject = `annotation ${row.annotationId} revision ${row.revision}`;
    const entry = revisions.get(key);
    if (!entry)
      problems.add('unaudited', null, subject, 'no audit entry made this revision', finding('no_entry', subject));
    else compareFields(problems, entry, subject, stored(row), content(entry));
  }
  for (const [key, entry] of revisions)
    if (!kept.has(key))
      problems.add(
        'differs',
        entry.seq,
        `annotation ${key.replace(' ', ' revision ')}`,
        'its record is gone (deleted)',
        finding('record_deleted', `annotation ${key}`),
      );

  const rows = integrity.annotationRows();
  for (const row of rows) {
    const subject = `annotation ${row.id}`;
    const created = made.get(String(row.id));
    if (!created) {
      problems.add('unaudited', null, subject, 'no audit entry drew this annotation', finding('no_entry', subject));
      continue;
    }
    const { comparisonId, side, acquisitionId, frame, role } = row;
    compareFields(problems, created, subject, { comparisonId, side, acquisitionId, frame, role }, created.after ?? {});
    const audited = last.get(String(row.id))!;
    if (row.revision !== audited.revision)
      problems.add(
        'differs',
        created.seq,
        subject,
        `it is at revision ${row.revision}, but its audit entries reach revision ${audited.revision}`,
        finding('revision_behind', subject, { revision: row.revision, audited: audited.revision }),
      );
    else compareFields(problems, audited.entry, subject, stored(row), content(audited.entry));
  }
  reportDeleted(problems, 'annotation', made, new Set(rows.map((r) => String(r.id))));
}

/**
 * A verification is opened by an entry (blind or not, by policy or on request) and moved on by each later one
 * (assigned, arbiter named, agreed, disputed, arbitrated, canceled): its state, verifier and arbiter must be what
 * the last entries say.
 */
function checkVerifications(integrity: IntegrityRepo, problems: ProblemList): void {
  const changes = integrity.changesOf('verification').filter((c) => c.action.startsWith('verification.'));
  const opened = createdBy(changes, ['verification.open']);
  const audited = new Map<string, { seq: number; state: unknown; verifier: unknown; arbiter: unknown }>();
  for (const change of changes) {
    if (change.entityId === null) continue;
    const was = audited.get(change.entityId) ?? { seq: change.seq, state: 'unassigned', verifier: null, arbiter: null };
    audited.set(change.entityId, {
      seq: change.seq,
      state: change.action === 'verification.open' ? 'unassigned' : (change.after?.state ?? was.state),
      verifier: change.after && 'verifier' in change.after ? change.after.verifier : was.verifier,
      arbiter: change.after && 'arbiter' in change.after ? change.after.arbiter : was.arbiter,
    });
  }
  const rows = integrity.verificationRows();
  for (const row of rows) {
    const subject = `verification ${row.id}`;
    const open = opened.get(String(row.id));
    if (!open) {
      problems.add('unaudited', null, subject, 'no audit entry opened this verification', finding('no_entry', subject));
      continue;
    }
    compareFields(
      problems,
      open,
      subject,
      { comparisonId: row.comparisonId, blind: row.blind === 1, requestedBy: row.requestedBy },
      open.after ?? {},
    );
    const now = audited.get(String(row.id))!;
    compareFields(
      problems,
      { ...open, seq: now.seq },
      subject,
      { state: row.state, verifier: row.verifier, arbiter: row.arbiter },
      now,
    );
  }
  reportDeleted(problems, 'verification', opened, new Set(rows.map((r) => String(r.id))));
}

function checkHits(integrity: IntegrityRepo, problems: ProblemList): void {
  const made = createdBy(integrity.changesOf('hit'), ['hit.confirm']);
  const rows = integrity.hitRows();
  for (const row of rows) {
    const subject = `hit ${row.id}`;
    const entry = made.get(String(row.id));
    if (!entry) {
      problems.add('unaudited', null, subject, 'no audit entry confirmed this hit', finding('no_entry', subject));
      continue;
    }
    const refs = row.networkRefs === null ? null : (JSON.parse(row.networkRefs) as Record<string, unknown>);
    compareFields(
      problems,
      entry,
      subject,
      {
        comparisonId: row.comparisonId,
        conclusionId: row.conclusionId,
        cases: [row.caseA, row.caseB],
        network: refs ? { ...refs, leadId: row.networkLeadId, jobId: row.networkJobId } : null,
        reportJobId: row.reportJobId,
      },
      entry.after ?? {},
    );
  }
  reportDeleted(problems, 'hit', made, new Set(rows.map((r) => String(r.id))));
}

export function checkCalibrations(integrity: IntegrityRepo, problems: ProblemList): void {
  const made = createdBy(integrity.changesOf('calibration'), ['calibration.run']);
  const rows = integrity.calibrationRows();
  for (const row of rows) {
    const subject = `calibration ${row.id}`;
    const entry = made.get(String(row.id));
    if (!entry) {
      problems.add('unaudited', null, subject, 'no audit entry ran this calibration', finding('no_entry', subject));
      continue;
    }
    const results = JSON.parse(row.results) as Record<string, unknown>;
    const audited = entry.after ?? {};
    compareFields(
      problems,
      entry,
      subject,
      {
        kind: row.kind,
        rigProfile: row.rigProfile,
        deviceSerials: JSON.parse(row.deviceSerials) as unknown,
        passed: results.passed,
        messages: results.messages,
        expiresAt: row.expiresAt,
        reportSha256: row.reportSha256,
        // The lab reference a PDF handed out cites; entries written before references existed have none.
        ...('reference' in audited ? { reference: row.reference } : {}),
      },
      audited,
    );
  }
  reportDeleted(problems, 'calibration', made, new Set(rows.map((r) => String(r.id))));
}
