import type { Migration } from './migration.ts';
import { migration as foundation } from './0001-foundation.ts';
import { migration as caseSearch } from './0002-case-search.ts';
import { migration as acquisitions } from './0030-acquisitions.ts';
import { migration as stationSettings } from './0031-station-settings.ts';
import { migration as analysisFeatures } from './0040-analysis-features.ts';
import { migration as outbox } from './0050-outbox.ts';
import { migration as outboxAcquisition } from './0051-outbox-acquisition.ts';

// In version order. A new migration takes a number higher than every existing one.
// (This session's engineers reserved ranges: foundation 1–19, devices 20–29, acquisition 30–39,
// analysis 40–49, network 50–59.)
export const migrations: Migration[] = [foundation, caseSearch, acquisitions, stationSettings, analysisFeatures, outbox, outboxAcquisition];

for (let i = 1; i < migrations.length; i++) {
  if (migrations[i].version <= migrations[i - 1].version) throw new Error(`migrations out of order at ${migrations[i].name}`);
}
