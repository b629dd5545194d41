// `audit verify`: everything the station can check about its own records without trusting the database file.
// The hash chain and the station key's MAC of every entry (AuditRepo), the database's protective triggers, the
// checkpoints kept outside the log (the checkpoints file, network submissions, any given from a case package),
// and that every case, item, evidence record, acquisition, conclusion, snapshot, annotation, verification, hit and
// calibration was made, and last changed, by an audited action (auditedRecords.ts for the last five).
// docs/security.md says what this can and cannot detect.
import type { AuditVerifyResult } from '../../contract/audit.ts';
import { auditCheckpointSchema, type AuditCheckpoint } from '../storage/auditKey.ts';
import { expectedTriggers, schemaVersion, type Db } from '../storage/database.ts';
import { fieldChanged, finding, ProblemList, shownValue } from '../storage/problemList.ts';
import type { AuditRepo } from '../storage/repos/auditRepo.ts';
import { CasesRepo } from '../storage/repos/casesRepo.ts';
import { auditLabels } from '../storage/repos/auditLabelsRepo.ts';
import { IntegrityRepo, type AuditedChange } from '../storage/repos/integrityRepo.ts';
import { checkCalibrations, checkExaminationRecords, compareFields, createdBy } from './auditedRecords.ts';
import { technicalRecordSha256 } from './examination/conclusions.ts';

export interface AuditVerifyOptions {
  /** Checkpoints from outside the station (a case package, a printed report), each with where it came from. */
  checkpoints?: { source: string; checkpoint: unknown }[];
}

export function verifyAuditTrail(db: Db, audit: AuditRepo, options: AuditVerifyOptions = {}): AuditVerifyResult {
  const started = performance.now();
  const problems = new ProblemList();
  const integrity = new IntegrityRepo(db);
  const { checked, firstBroken } = audit.verifyChain(problems);
  checkTriggers(db, integrity, problems);

  let latest: { checkpoint: AuditCheckpoint; source: string } | undefined;
  const consider = (checkpoint: AuditCheckpoint, source: string) => {
    if (audit.checkCheckpoint(checkpoint, source, problems) && checkpoint.seq > (latest?.checkpoint.seq ?? 0))
      latest = { checkpoint, source };
  };
  const fromFile = audit.checkCheckpointFile(problems);
  if (fromFile) latest = { checkpoint: fromFile, source: 'checkpoints file' };
  for (const { jobId, checkpoint } of integrity.outboxCheckpoints()) {
    const parsed = auditCheckpointSchema.safeParse(checkpoint);
    // Submissions relayed for another station of the lab carry that station's checkpoints.
    if (parsed.success && parsed.data.keyId === audit.keyId) consider(parsed.data, `network submission (job ${jobId})`);
  }
  for (const { source, checkpoint } of options.checkpoints ?? []) {
    const parsed = auditCheckpointSchema.safeParse(checkpoint);
    if (!parsed.success)
      problems.add('checkpoint', null, source, 'this is not an audit checkpoint', finding('checkpoint_unreadable'));
    else consider(parsed.data, source);
  }
  if (audit.keyId) checkRecordsAgainstAudit(db, integrity, problems);

  return {
    ok: problems.empty,
    checked,
    firstBroken,
    tookMs: performance.now() - started,
    keyId: audit.keyId,
    latestCheckpoint: latest ? { seq: latest.checkpoint.seq, at: latest.checkpoint.at, source: latest.source } : null,
    problems: problems.items,
    moreProblems: problems.more,
  };
}

/** A trigger that aborts UPDATE or DELETE is what keeps a record write-once; one dropped or defanged is reported. */
function checkTriggers(db: Db, integrity: IntegrityRepo, problems: ProblemList): void {
  const expected = expectedTriggers(schemaVersion(db));
  const normal = (sql: string) => sql.replace(/\s+/g, ' ').trim();
  const present = new Map(integrity.triggers().map((t) => [t.name, t]));
  for (const [name, want] of expected) {
    const have = present.get(name);
    if (!have)
      problems.add(
        'trigger',
        null,
        `trigger ${name}`,
        `the trigger on ${want.table} is missing (dropped)`,
        finding('trigger_missing', null, { name }),
      );
    else if (normal(have.sql) !== normal(want.sql))
      problems.add(
        'trigger',
        null,
        `trigger ${name}`,
        `the trigger on ${want.table} was altered`,
        finding('trigger_altered', null, { name }),
      );
  }
  for (const [name, have] of present)
    if (!expected.has(name))
      problems.add(
        'trigger',
        null,
        `trigger ${name}`,
        `an unexpected trigger on ${have.table} was added`,
        finding('trigger_added', null, { name }),
      );
}

/**
 * Each case and item must have been created by its audited action, and its fields must be what the creation and
 * the later amendments (entries with before and after values) say. Each evidence record and acquisition, and
 * each file of an acquisition, must have been recorded by the audited action that made it.
 */
function checkRecordsAgainstAudit(db: Db, integrity: IntegrityRepo, problems: ProblemList): void {
  const cases = new CasesRepo(db);
  const caseChanges = integrity.changesOf('case');
  const items = cases.everyItemFields();
  const imported = packageImports(caseChanges, items);
  const caseRows = cases.everyCaseFields();
  const auditedCases = checkFieldRecords('case', caseRows, caseChanges, imported.cases, problems);
  const auditedItems = checkFieldRecords('item', items, integrity.changesOf('item'), imported.items, problems);

  const stored = createdBy(integrity.changesOf('evidence'), ['evidence.store']);
  const evidenceRows = integrity.evidenceRows();
  for (const row of evidenceRows) {
    const entry = stored.get(row.sha256);
    if (!entry)
      problems.add(
        'unaudited',
        null,
        `evidence ${row.sha256}`,
        'no audit entry stored this evidence record',
        finding('no_entry', `evidence ${row.sha256}`),
      );
    else if (entry.after?.size !== row.size || entry.after?.mediaType !== row.mediaType)
      problems.add(
        'differs',
        entry.seq,
        `evidence ${row.sha256}`,
        'its size or media type differs from when it was stored',
        finding('size_changed', `evidence ${row.sha256}`),
      );
  }
  const evidenceKept = new Set(evidenceRows.map((r) => r.sha256));
  for (const [sha256, entry] of stored)
    if (!evidenceKept.has(sha256))
      problems.add(
        'differs',
        entry.seq,
        `evidence ${sha256}`,
        'it was stored, but its record is gone (deleted)',
        finding('record_deleted', `evidence ${sha256}`),
      );

  const made = createdBy(integrity.changesOf('acquisition'), ['acquisition.import', 'acquisition.capture']);
  const files = new Map<number, { role: string; sha256: string }[]>();
  for (const file of integrity.acquisitionFileRows())
    files.set(file.acquisitionId, [...(files.get(file.acquisitionId) ?? []), file]);
  const acquisitionRows = integrity.acquisitionRows();
  const importedAcquisitions = new Map<number, number>(); // package.import entry → acquisitions found
  for (const row of acquisitionRows) {
    const subject = `acquisition ${row.id}`;
    const importedBy = imported.items.get(row.itemId);
    if (importedBy !== undefined) {
      importedAcquisitions.set(importedBy, (importedAcquisitions.get(importedBy) ?? 0) + 1);
      continue;
    }
    const entry = made.get(String(row.id));
    if (!entry) {
      problems.add('unaudited', null, subject, 'no audit entry made this acquisition', finding('no_entry', subject));
      continue;
    }
    if (entry.after?.itemId !== row.itemId || entry.after?.region !== row.region)
      problems.add(
        'differs',
        entry.seq,
        subject,
        'its item or region differs from when it was made',
        finding('item_or_region_changed', subject),
      );
    // A capture lists "role sha256" per file; an import stored one file, its sha256.
    const recorded = Array.isArray(entry.after?.files) ? new Set(entry.after.files.map(String)) : undefined;
    const own = files.get(row.id) ?? [];
    for (const file of own) {
      const listed = recorded ? recorded.has(`${file.role} ${file.sha256}`) : file.sha256 === entry.after?.sha256;
      if (!listed)
        problems.add(
          'differs',
          entry.seq,
          subject,
          `its ${file.role} file was not among the files it was made with`,
          finding('file_not_recorded', subject),
        );
    }
    if (recorded)
      for (const listed of recorded)
        if (!own.some((f) => `${f.role} ${f.sha256}` === listed))
          problems.add(
            'differs',
            entry.seq,
            subject,
            `its ${listed.split(' ')[0]} file is gone`,
            finding('file_gone', subject),
          );
    if (!recorded && typeof entry.after?.sha256 === 'string' && own.length === 0)
      problems.add('differs', entry.seq, subject, 'its imported file is gone', finding('file_gone', subject));
  }
  for (const [seq, count] of imported.acquisitionCounts)
    if ((importedAcquisitions.get(seq) ?? 0) !== count)
      problems.add(
        'differs',
        seq,
        `package import ${seq}`,
        `the import made ${count} acquisitions; ${importedAcquisitions.get(seq) ?? 0} are there`,
        finding('import_count', null, { made: count, present: importedAcquisitions.get(seq) ?? 0 }),
      );
  const acquisitionIds = new Set(acquisitionRows.map((r) => String(r.id)));
  for (const [id, entry] of made)
    if (!acquisitionIds.has(id))
      problems.add(
        'differs',
        entry.seq,
        `acquisition ${id}`,
        'it was made, but its record is gone (deleted)',
        finding('record_deleted', `acquisition ${id}`),
      );
  checkConclusions(integrity, problems);
  checkExaminationRecords(integrity, problems);
  checkCalibrations(integrity, problems);

  // Each case, item and acquisition a problem concerns, by the lab's reference the audit trail last recorded: a
  // tamperer who renamed Q1 to Q9 must not have the screen call it Q9 (the handler adds the current one beside it).
  const audited = (fields: Map<string, Record<string, unknown>>, id: number, field: string, current: unknown) => {
    const known = fields.get(String(id));
    return shownValue(known && field in known ? known[field] : current);
  };
  // A record deleted around the station is named by what its audit entries last said it was.
  const caseRow = new Map(caseRows.map((r) => [r.id, r]));
  const itemRow = new Map(items.map((r) => [r.id, r]));
  const itemCase = new Map(
    integrity
      .changesOf('item')
      .flatMap((c) => (c.action === 'item.create' && c.caseId !== null ? [[Number(c.entityId), c.caseId]] : [])),
  );
  const caseLabel = (id: number) =>
    caseRow.has(id) || auditedCases.has(String(id))
      ? audited(auditedCases, id, 'labCaseNumber', caseRow.get(id)?.fields.labCaseNumber)
      : undefined;
  const itemLabel = (id: number) => {
    const item = itemRow.get(id);
    const caseId = item?.caseId ?? itemCase.get(id);
    const number = caseId === undefined ? undefined : caseLabel(caseId);
    return number !== undefined && (item || auditedItems.has(String(id)))
      ? `${number} / ${audited(auditedItems, id, 'exhibitNumber', item?.fields.exhibitNumber)}`
      : undefined;
  };
  const acquisitionItem = new Map(acquisitionRows.map((r) => [String(r.id), r.itemId]));
  const acquisitionLabel = (id: string) => {
    const madeFor = made.get(id)?.after?.itemId;
    const itemId = typeof madeFor === 'number' ? madeFor : acquisitionItem.get(id);
    return itemId === undefined ? undefined : itemLabel(itemId);
  };
  const calibrationRun = createdBy(integrity.changesOf('calibration'), ['calibration.run']);
  const calibrationLabel = (id: string) => {
    const reference = calibrationRun.get(id)?.after?.reference;
    return typeof reference === 'string' ? shownValue(reference) : undefined;
  };
  // An examination record (or an annotation) by its comparison's two sides (the acquisition it is on), from the
  // entry that made it: every examination entry names its comparison (examination/context.ts).
  const examinationLabel = (type: string, id: string) => {
    const made = integrity.changesOf(type).find((c) => c.entityId === id && c.after);
    const annotationOn = made?.after?.acquisitionId;
    if (type === 'annotation' && typeof annotationOn === 'number')
      return auditLabels(db, [{ caseId: null, entityType: 'acquisition', entityId: String(annotationOn) }]).entity(
        'acquisition',
        String(annotationOn),
      );
    const comparisonId = made?.after?.comparisonId;
    if (typeof comparisonId !== 'number') return null;
    const labels = auditLabels(db, [{ caseId: null, entityType: 'comparison', entityId: String(comparisonId) }]);
    return labels.entity('comparison', String(comparisonId));
  };
  const examinationTypes = new Set([
    'conclusion',
    'annotation',
    'snapshot',
    'verification',
    'hit',
    'comparison_analysis',
  ]);
  for (const { finding: found } of problems.items) {
    const record = found?.record;
    if (!record || !/^\d+$/.test(record.id)) continue;
    if (examinationTypes.has(record.type)) {
      const label = examinationLabel(record.type, record.id);
      if (label) record.label = shownValue(label);
      continue;
    }
    const label =
      record.type === 'case'
        ? caseLabel(Number(record.id))
        : record.type === 'item'
          ? itemLabel(Number(record.id))
          : record.type === 'acquisition'
            ? acquisitionLabel(record.id)
            : record.type === 'calibration'
              ? calibrationLabel(record.id)
              : undefined;
    if (label !== undefined) record.label = label;
  }
}

/**
 * Conclusions are write-once (triggers), but a person with the file can lift a trigger, rewrite a finding and put
 * the trigger back: each record must say what the keyed entry that recorded or amended it says.
 */
function checkConclusions(integrity: IntegrityRepo, problems: ProblemList): void {
  const recorded = createdBy(integrity.changesOf('conclusion'), ['conclusion.record', 'conclusion.amend']);
  const rows = integrity.conclusionRows();
  for (const row of rows) {
    const subject = `conclusion ${row.id}`;
    const entry = recorded.get(String(row.id));
    if (!entry) {
      problems.add('unaudited', null, subject, 'no audit entry recorded this conclusion', finding('no_entry', subject));
      continue;
    }
    const amendment = entry.action === 'conclusion.amend';
    // Who recorded it, on which comparison, what it links to and why it was amended are the record too.
    const { id: _id, record, ...fields } = row;
    // The technical record (what was compared, the scores shown, the policy) by its digest; entries written before
    // the digest was recorded cannot vouch for it.
    const recordAudited = typeof entry.after?.recordSha256 === 'string';
    const stored = recordAudited ? { ...fields, recordSha256: technicalRecordSha256(record) } : fields;
    compareFields(problems, entry, subject, stored, {
      recordSha256: entry.after?.recordSha256,
      comparisonId: entry.after?.comparisonId,
      role: entry.after?.role,
      conclusion: entry.after?.conclusion,
      basis: entry.after?.basis,
      examiner: entry.username,
      snapshotIds: entry.after?.snapshotIds,
      annotations: entry.after?.annotations,
      amends: amendment ? entry.before?.conclusionId : null,
      reason: amendment ? entry.reason : null,
    });
  }
  const kept = new Set(rows.map((r) => String(r.id)));
  for (const [id, entry] of recorded)
    if (!kept.has(id))
      problems.add(
        'differs',
        entry.seq,
        `conclusion ${id}`,
        'it was recorded, but its record is gone (deleted)',
        finding('record_deleted', `conclusion ${id}`),
      );
}

/**
 * A case package import (`package.import` on the case) makes the case, the items it names and their acquisitions
 * in one audited action; their field values are in the package's record (kept as evidence), not in the entry.
 */
function packageImports(
  caseChanges: AuditedChange[],
  items: { id: number; caseId: number; fields: Record<string, unknown> }[],
): { cases: Map<number, number>; items: Map<number, number>; acquisitionCounts: Map<number, number> } {
  const cases = new Map<number, number>();
  const importedItems = new Map<number, number>();
  const acquisitionCounts = new Map<number, number>();
  for (const change of caseChanges) {
    if (change.action !== 'package.import' || change.entityId === null || cases.has(Number(change.entityId))) continue;
    const caseId = Number(change.entityId);
    cases.set(caseId, change.seq);
    const exhibits = new Set(Array.isArray(change.after?.items) ? change.after.items.map(String) : []);
    for (const item of items)
      if (item.caseId === caseId && exhibits.has(String(item.fields.exhibitNumber)))
        importedItems.set(item.id, change.seq);
    if (typeof change.after?.acquisitions === 'number') acquisitionCounts.set(change.seq, change.after.acquisitions);
  }
  return { cases, items: importedItems, acquisitionCounts };
}

function checkFieldRecords(
  kind: 'case' | 'item',
  rows: { id: number; fields: Record<string, unknown> }[],
  changes: AuditedChange[],
  importedBy: Map<number, number>,
  problems: ProblemList,
): Map<string, Record<string, unknown>> {
  // `complete`: the creating entry holds every field; after a package import only amended fields are known.
  const expected = new Map<string, { seq: number; fields: Record<string, unknown>; complete: boolean }>();
  for (const [id, seq] of importedBy) expected.set(String(id), { seq, fields: {}, complete: false });
  for (const change of changes) {
    if (change.entityId === null || !change.after) continue;
    const state = expected.get(change.entityId);
    if (change.action === `${kind}.create` && !state)
      expected.set(change.entityId, { seq: change.seq, fields: { ...change.after }, complete: true });
    // An amendment keeps the old and the new value of each field it changed.
    else if (state && change.before)
      expected.set(change.entityId, { ...state, seq: change.seq, fields: { ...state.fields, ...change.after } });
  }
  const seen = new Set<string>();
  for (const row of rows) {
    const subject = `${kind} ${row.id}`;
    const state = expected.get(String(row.id));
    seen.add(String(row.id));
    if (!state) {
      problems.add('unaudited', null, subject, `no audit entry created this ${kind}`, finding('no_entry', subject));
      continue;
    }
    for (const [field, value] of Object.entries(row.fields)) {
      if (!state.complete && !(field in state.fields)) continue;
      const audited = state.fields[field] ?? null;
      if (JSON.stringify(value ?? null) !== JSON.stringify(audited))
        problems.add(
          'differs',
          state.seq,
          subject,
          `${field} is ${JSON.stringify(value ?? null)} but its audit entries say ${JSON.stringify(audited)} (changed around the station)`,
          fieldChanged(subject, field, value, audited),
        );
    }
  }
  for (const [id, state] of expected)
    if (!seen.has(id))
      problems.add(
        'differs',
        state.seq,
        `${kind} ${id}`,
        `the ${kind} was created, but its record is gone (deleted)`,
        finding('record_deleted', `${kind} ${id}`),
      );
  // What the audit trail says each record's fields are (for an imported record, only those amended since).
  return new Map([...expected].map(([id, state]) => [id, state.fields]));
}
