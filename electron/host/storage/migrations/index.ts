import type { Migration } from './migration.ts';
import { migration as foundation } from './0001-foundation.ts';
import { migration as caseSearch } from './0002-case-search.ts';
import { migration as acquisitions } from './0030-acquisitions.ts';
import { migration as stationSettings } from './0031-station-settings.ts';
import { migration as analysisFeatures } from './0040-analysis-features.ts';
import { migration as outbox } from './0050-outbox.ts';
import { migration as outboxAcquisition } from './0051-outbox-acquisition.ts';
import { migration as outboxCorrelationNotes } from './0052-outbox-correlation-notes.ts';
import { migration as auditMac } from './0060-audit-mac.ts';
import { migration as outboxSignedResults } from './0061-outbox-signed-results.ts';
import { migration as examinations } from './0080-examinations.ts';
import { migration as hits } from './0081-hits.ts';
import { migration as outboxHitReports } from './0090-outbox-hit-reports.ts';
import { migration as casePackages } from './0100-case-packages.ts';
import { migration as userSettings } from './0110-user-settings.ts';
import { migration as passwordChangeDue } from './0111-password-change-due.ts';
import { migration as demoSpecimens } from './0112-demo-specimens.ts';
import { migration as calibrationReferences } from './0113-calibration-references.ts';
import { migration as calibrationReferenceCounters } from './0114-calibration-reference-counters.ts';

// In version order, append-only. A database records only its highest applied version (PRAGMA user_version), so
// a migration numbered below one that has already shipped would be skipped by every existing database: a new
// migration always takes a number higher than the last one here (index.test.ts pins the shipped list).
export const migrations: Migration[] = [
  foundation,
  caseSearch,
  acquisitions,
  stationSettings,
  analysisFeatures,
  outbox,
  outboxAcquisition,
  outboxCorrelationNotes,
  auditMac,
  outboxSignedResults,
  examinations,
  hits,
  outboxHitReports,
  casePackages,
  userSettings,
  passwordChangeDue,
  demoSpecimens,
  calibrationReferences,
  calibrationReferenceCounters,
];

for (let i = 1; i < migrations.length; i++) {
  if (migrations[i].version <= migrations[i - 1].version)
    throw new Error(`migrations out of order at ${migrations[i].name}`);
}
