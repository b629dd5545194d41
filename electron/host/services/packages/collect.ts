// What goes into a case package, read from the station database in one read transaction: the case, the chosen
// items, their acquisitions and files, the calibrations those rest on, the analysis runs and the case's audit
// entries with their chain hashes. Personal data is left out here when the manager chooses so.
import { AppError, notFound } from '../../../contract/errors.ts';
import type { ExaminationRecords } from '../../../contract/examination.ts';
import type { Case, Item } from '../../../contract/cases.ts';
import type { Db } from '../../storage/database.ts';
import { CasesRepo } from '../../storage/repos/casesRepo.ts';
import { AcquisitionsRepo } from '../../storage/repos/acquisitionsRepo.ts';
import { CalibrationsRepo } from '../../storage/repos/calibrationsRepo.ts';
import { calibrationIdsUsed } from '../acquisition/originCalibrations.ts';
import { PackagesRepo, type AuditRow } from '../../storage/repos/packagesRepo.ts';
import { cmcParamsSchema, cmcPreprocessDefaults, resolvePreprocessParams } from '../../../analysis/index.ts';
import {
  extensionFor,
  personalDataFields,
  recordFormat,
  type AuditExtractEntry,
  type CaseRecord,
  type RecordAcquisition,
  type RecordCalibration,
  type RecordItem,
} from './format.ts';

export interface CollectOptions {
  caseId: number;
  /** Exhibit numbers to include; undefined = the whole case. */
  items?: string[];
  includePersonalData: boolean;
  softwareVersion: string;
  /** The case's examination records as the exporting user may read them (null: the station keeps none). */
  examination?: () => ExaminationRecords | null;
}

/** An evidence file the package carries unmodified. */
export interface EvidenceMember {
  sha256: string;
  size: number;
  mediaType: string;
  path: string;
}

export interface Collected {
  theCase: Case;
  items: Item[];
  record: CaseRecord;
  audit: AuditExtractEntry[];
  evidence: EvidenceMember[];
  /** Acquisitions whose topography needs an Open-FMC X3P written beside it (checked while exporting). */
  topographies: { acquisitionIndex: number; sha256: string }[];
  omitted: (typeof personalDataFields)[number][];
}

/** Keys whose values can name or describe people (see personalDataFields). */
const personalKeys = new Set(['offence', 'notes', 'description', 'recoveryPlace', 'displayName', 'comment']);

function holdsPersonalData(json: string | null): boolean {
  if (!json) return false;
  const walk = (value: unknown): boolean => {
    if (Array.isArray(value)) return value.some(walk);
    if (value && typeof value === 'object')
      return Object.entries(value).some(
        ([k, v]) => (personalKeys.has(k) && v !== null && v !== '' && v !== undefined) || walk(v),
      );
    return false;
  };
  return walk(JSON.parse(json));
}

export function evidencePath(sha256: string, mediaType: string): string {
  return `evidence/${sha256}${extensionFor(mediaType)}`;
}

export function collectCase(db: Db, options: CollectOptions): Collected {
  return db.transaction(() => collect(db, options))();
}

function collect(db: Db, options: CollectOptions): Collected {
  const cases = new CasesRepo(db);
  const acquisitionsRepo = new AcquisitionsRepo(db);
  const calibrationsRepo = new CalibrationsRepo(db);
  const repo = new PackagesRepo(db);
  const theCase = cases.get(options.caseId);
  if (!theCase) throw notFound('case', `no case ${options.caseId}`, { id: options.caseId });
  const allItems = cases.items(theCase.id);
  let items = allItems;
  if (options.items) {
    const wanted = new Set(options.items);
    items = allItems.filter((i) => wanted.has(i.exhibitNumber));
    const unknown = options.items.filter((e) => !allItems.some((i) => i.exhibitNumber === e));
    if (unknown.length)
      throw new AppError('invalid_input', `case ${theCase.labCaseNumber} has no item ${unknown.join(', ')}`, {
        field: 'items',
      });
    if (items.length === 0) throw new AppError('invalid_input', 'choose at least one item', { field: 'items' });
  }
  const personal = options.includePersonalData;
  const keep = <T>(value: T) => (personal ? value : null);
  const exhibitOf = new Map(allItems.map((i) => [i.id, i.exhibitNumber]));

  const recordItems: RecordItem[] = items.map((i) => ({
    originId: i.id,
    kind: i.kind,
    exhibitNumber: i.exhibitNumber,
    description: keep(i.description),
    calibre: i.calibre,
    origin: i.origin,
    brand: i.brand,
    headstamp: i.headstamp,
    primerMaterial: i.primerMaterial,
    caseMaterial: i.caseMaterial,
    firingPinShape: i.firingPinShape,
    breechFaceClass: i.breechFaceClass,
    recoveryPlace: keep(i.recoveryPlace),
    recoveryDate: i.recoveryDate,
    firearmExhibit: i.firearmItemId === null ? null : (exhibitOf.get(i.firearmItemId) ?? null),
    make: i.make,
    model: i.model,
    serialNumber: i.serialNumber,
    firearmType: i.firearmType,
    createdAt: i.createdAt,
  }));

  const evidence = new Map<string, EvidenceMember>();
  const addEvidence = (sha256: string, size: number, mediaType: string): string => {
    const path = evidencePath(sha256, mediaType);
    if (!evidence.has(sha256)) evidence.set(sha256, { sha256, size, mediaType, path });
    return path;
  };

  const acquisitions: RecordAcquisition[] = [];
  const topographies: Collected['topographies'] = [];
  const calibrationIds = new Set<number>();
  for (const item of items) {
    for (const summary of acquisitionsRepo.listByItem(item.id).reverse()) {
      const a = acquisitionsRepo.get(summary.id)!;
      const files = acquisitionsRepo.files(a.id).map((f) => ({
        role: f.role,
        sha256: f.sha256,
        size: f.size,
        mediaType: f.mediaType,
        settings: f.settings,
        path: addEvidence(f.sha256, f.size, f.mediaType),
      }));
      // Capture settings name the calibrations used; the record carries each of them. Only a capture made HERE
      // names this station's calibrations: an imported acquisition's ids are another lab's (a case package's
      // keeps its origin calibration as recorded in settings.provenance), so none of ours is added for it.
      if (a.source === 'capture') {
        if (a.calibrationId !== null) calibrationIds.add(a.calibrationId);
        for (const id of calibrationIdsUsed(a.settings)) calibrationIds.add(id);
      }
      const settings = { ...a.settings };
      if (!personal && 'notes' in settings) settings.notes = null;
      acquisitions.push({
        originId: a.id,
        exhibitNumber: item.exhibitNumber,
        source: a.source,
        region: a.region,
        operator: a.operator,
        startedAt: a.startedAt,
        completedAt: a.completedAt,
        rigProfile: a.rigProfile,
        devices: a.devices as unknown as Record<string, unknown>[],
        calibrationId: a.calibrationId,
        settings,
        quality: a.quality as unknown as Record<string, unknown> | null,
        topographySha256: a.topographySha256,
        lateralUm: a.lateralUm,
        width: a.width,
        height: a.height,
        unsuitableReason: a.unsuitableReason,
        regionsOverride: (acquisitionsRepo.regionsOverride(a.id) as Record<string, unknown> | null) ?? null,
        files,
        openFmcX3p: null,
      });
      if (a.topographySha256)
        topographies.push({ acquisitionIndex: acquisitions.length - 1, sha256: a.topographySha256 });
    }
  }

  const calibrations: RecordCalibration[] = [];
  for (const id of [...calibrationIds].sort((x, y) => x - y)) {
    const c = calibrationsRepo.get(id);
    if (!c) continue;
    const reportSize = c.reportSha256 ? repo.evidenceFile(c.reportSha256) : undefined;
    calibrations.push({
      originId: c.id,
      reference: c.reference,
      kind: c.kind,
      rigProfile: c.rigProfile,
      deviceSerials: c.deviceSerials,
      operator: c.operator,
      performedAt: c.performedAt,
      expiresAt: c.expiresAt,
      passed: c.passed,
      messages: c.messages,
      results: c.results,
      report:
        c.reportSha256 && reportSize
          ? {
              sha256: c.reportSha256,
              path: addEvidence(c.reportSha256, reportSize.size, reportSize.mediaType),
            }
          : null,
    });
  }

  // The case's audit entries. Those about items left out of the package, and (when personal data is left out)
  // those whose content holds it, keep their place in the chain with their content withheld.
  const acquisitionIds = new Set(acquisitions.map((a) => a.originId));
  const itemIds = new Set(items.map((i) => i.id));
  const examination = examinationOf(options.examination?.() ?? null, acquisitionIds, personal);
  for (const snapshot of examination?.snapshots ?? []) addEvidence(snapshot.sha256, snapshot.size, 'image/png');
  const comparisonIds = new Set(examination?.comparisons.map((c) => c.id) ?? []);
  const rows = repo.auditOfCase(theCase.id);
  const audit: AuditExtractEntry[] = rows.map((row) => {
    const selected = entrySelected(row, itemIds, acquisitionIds, comparisonIds, evidence);
    const withheld =
      !selected || (!personal && (holdsPersonalData(row.before_json) || holdsPersonalData(row.after_json)));
    return {
      seq: row.seq,
      at: row.at,
      userId: row.user_id,
      username: row.username,
      action: row.action,
      entityType: row.entity_type,
      entityId: withheld && !selected ? null : row.entity_id,
      caseId: row.case_id,
      beforeJson: withheld ? null : row.before_json,
      afterJson: withheld ? null : row.after_json,
      reason: withheld ? null : row.reason,
      prevHash: row.prev_hash,
      hash: row.hash,
      withheld,
    };
  });

  const analysisResults = rows
    .filter((row) => (row.action === 'compare.run' || row.action === 'search.run') && row.after_json)
    .filter((row) => acquisitionIds.has(Number(row.entity_id)))
    .map((row) => {
      const after = JSON.parse(row.after_json!) as Record<string, unknown>;
      const involved = [Number(row.entity_id)];
      if (typeof after.b === 'number') involved.push(after.b);
      return {
        auditSeq: row.seq,
        action: row.action,
        at: row.at,
        by: row.username,
        acquisitions: involved,
        outcome: after,
      };
    });

  const people = personal
    ? repo.people([
        theCase.createdBy,
        ...acquisitions.map((a) => a.operator),
        ...calibrations.map((c) => c.operator),
        ...rows.map((r) => r.username ?? ''),
      ])
    : [];

  const record: CaseRecord = {
    format: recordFormat,
    case: {
      originId: theCase.id,
      labCaseNumber: theCase.labCaseNumber,
      agency: theCase.agency,
      agencyCaseNumber: theCase.agencyCaseNumber,
      offence: keep(theCase.offence),
      offenceDate: theCase.offenceDate,
      receivedDate: theCase.receivedDate,
      status: theCase.status,
      notes: keep(theCase.notes),
      createdAt: theCase.createdAt,
      createdBy: theCase.createdBy,
    },
    items: recordItems,
    acquisitions,
    calibrations,
    analysis: {
      engine: { name: 'casebench-analysis', version: options.softwareVersion, scorer: 'cmc/casebench-analysis-1' },
      parameters: {
        cmc: cmcParamsSchema.parse({}),
        preprocess: resolvePreprocessParams({ ...cmcPreprocessDefaults }),
      },
      results: analysisResults,
    },
    examination,
    provenance: repo.provenanceOfCase(theCase.id),
    people,
  };
  return {
    theCase,
    items,
    record,
    audit,
    evidence: [...evidence.values()],
    topographies,
    omitted: personal ? [] : [...personalDataFields],
  };
}

/**
 * The examination records that concern the exported acquisitions: comparisons with at least one side among them,
 * and everything recorded on those comparisons. Without personal data, people keep their user names only.
 */
function examinationOf(
  records: ExaminationRecords | null,
  acquisitionIds: Set<number>,
  personal: boolean,
): ExaminationRecords | null {
  if (!records) return null;
  const comparisons = records.comparisons.filter(
    (c) => acquisitionIds.has(c.a.acquisitionId) || acquisitionIds.has(c.b.acquisitionId),
  );
  const kept = new Set(comparisons.map((c) => c.id));
  const of = <T extends { comparisonId: number }>(list: T[]) => list.filter((x) => kept.has(x.comparisonId));
  const selected: ExaminationRecords = {
    caseId: records.caseId,
    comparisons,
    analyses: of(records.analyses),
    annotations: of(records.annotations),
    snapshots: of(records.snapshots),
    conclusions: of(records.conclusions),
    verifications: of(records.verifications),
    hits: of(records.hits),
  };
  if (personal) return selected;
  // Display names are personal data; a person is { userId, username, displayName } wherever it appears, and an
  // empty display name means "left out" (the manifest lists person.displayName among the omitted fields).
  return JSON.parse(JSON.stringify(selected), (key, value: unknown) =>
    key === 'displayName' && typeof value === 'string' ? '' : value,
  ) as ExaminationRecords;
}

/** The comparison an examination audit entry is about (its before/after name it), if any. */
function comparisonOfEntry(row: AuditRow): number | null {
  for (const json of [row.after_json, row.before_json]) {
    if (!json) continue;
    const value = (JSON.parse(json) as Record<string, unknown>).comparisonId;
    if (typeof value === 'number') return value;
  }
  return null;
}

function entrySelected(
  row: AuditRow,
  itemIds: Set<number>,
  acquisitionIds: Set<number>,
  comparisonIds: Set<number>,
  evidence: Map<string, EvidenceMember>,
): boolean {
  const comparison = comparisonOfEntry(row);
  if (comparison !== null && !comparisonIds.has(comparison)) return false;
  switch (row.entity_type) {
    case 'case':
      return true;
    case 'item':
      return itemIds.has(Number(row.entity_id));
    case 'acquisition':
      return acquisitionIds.has(Number(row.entity_id));
    case 'evidence':
      return row.entity_id !== null && evidence.has(row.entity_id);
    default: {
      // Other case entries (network submissions, exports) are kept unless they name an acquisition left out.
      const after = row.after_json ? (JSON.parse(row.after_json) as Record<string, unknown>) : {};
      return typeof after.acquisitionId !== 'number' || acquisitionIds.has(after.acquisitionId);
    }
  }
}
