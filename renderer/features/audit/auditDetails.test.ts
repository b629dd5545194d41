import i18next from 'i18next';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../electron/contract/index.ts';
import { translator } from '../../../tests/fixtures/translator.ts';
import { detailRows } from './auditDetails.ts';
import { entityWords } from './auditWords.ts';

const sha = 'ab'.repeat(32);
const entry = (fields: Partial<AuditEntry>): AuditEntry => ({
  seq: 7,
  at: '2026-03-04T10:05:00.000Z',
  userId: 1,
  username: 'ada',
  action: 'acquisition.import',
  entityType: 'acquisition',
  entityId: '5',
  caseId: 2,
  before: null,
  after: null,
  reason: null,
  hash: 'f'.repeat(64),
  ...fields,
});

const imported = entry({
  after: {
    itemId: 12,
    region: 'breech_face',
    calibrationId: 4,
    topographySha256: sha,
    qualityPassed: true,
    files: ['topography ' + sha],
    registration: { thetaDeg: 12.3456, tx: -3.5 },
    measuredAt: '2026-03-04T10:05:00Z',
    mystery: 'x',
    notes: null,
  },
  references: { 'item:12': { label: 'LAB-2026-0042 / Q1' }, 'calibration:4': { label: 'CAL-2026-0004' } },
});

// Numbers and dates follow the station's language (app/format.ts reads it from i18next).
const speak = async (lng: string) => {
  await i18next.init({ lng, resources: {} });
  return translator(lng);
};
afterEach(() => void i18next.changeLanguage('en'));

describe('the values an audit entry recorded, in words', () => {
  it('labels each field, words codes, names records by the lab’s references and shortens digests', async () => {
    const rows = detailRows(await speak('en'), imported);
    const byKey = Object.fromEntries(rows.map((r) => [r.key, [r.label, r.after]]));
    expect(byKey.itemId).toEqual(['Item', 'LAB-2026-0042 / Q1']);
    expect(byKey.region).toEqual(['Region', 'Breech face']);
    expect(byKey.calibrationId).toEqual(['Calibration', 'CAL-2026-0004']); // its lab reference, not the id
    expect(byKey.topographySha256).toEqual(['Topography digest', 'abababababab…']);
    expect(byKey.qualityPassed).toEqual(['Quality checks passed', 'yes']);
    expect(byKey.registration).toEqual(['Registration', 'Rotation (°) 12.35 · Shift x (px) -3.50']);
    // A field with no words yet keeps its key (shown as a code), never hidden.
    expect(byKey.mystery).toEqual([null, 'x']);
    expect(rows.every((r) => r.before === null)).toBe(true);
    expect(byKey.notes).toBeUndefined(); // an empty field of a creation is left out
    expect(byKey.files).toEqual(['Files', 'topography abababababab…']);
    expect(byKey.measuredAt?.[0]).toBe('Measured');
    expect(byKey.measuredAt?.[1]).toMatch(/^2026-03-0[45] \d\d:\d5$/); // in the station's time zone
    expect(rows.map((r) => r.after).join(' ')).not.toMatch(/breech_face|\{|"/);
  });

  it('writes numbers and dates as the reader’s language does; an id with no reference is a number', async () => {
    const rows = detailRows(await speak('fr'), { ...imported, references: {} });
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r.after]));
    expect(byKey.registration).toBe('Rotation (°) 12,35 · Décalage x (px) -3,50');
    expect(byKey.itemId).toBe('n° 12');
    expect(byKey.qualityPassed).toBe('oui');
    expect(byKey.region).toBe('Tranche de culasse');
  });

  it('shows an amendment before and after, field by field', async () => {
    const amended = entry({
      action: 'case.update',
      before: { status: 'open', offenceDate: '2026-01-02' },
      after: { status: 'closed', offenceDate: null },
    });
    expect(detailRows(await speak('en'), amended)).toEqual([
      { key: 'status', label: 'Status', before: 'Open', after: 'Closed' },
      { key: 'offenceDate', label: 'Offence date', before: '2026-01-02', after: '—' },
    ]);
    expect(detailRows(await speak('fr'), amended)).toEqual([
      { key: 'status', label: 'État', before: 'Ouverte', after: 'Clôturée' },
      { key: 'offenceDate', label: 'Date des faits', before: '2 janv. 2026', after: '—' },
    ]);
  });

  it('names examination records by their comparison’s sides and shows nested values in words, bounded', async () => {
    const sides = [
      { label: 'LAB-1 / Q1', region: 'breech_face' as const },
      { label: 'LAB-2 / K1', region: 'firing_pin' as const },
    ];
    const pair = { label: 'LAB-1 / Q1 ↔ LAB-2 / K1', sides: sides as [(typeof sides)[0], (typeof sides)[1]] };
    const recorded = entry({
      action: 'conclusion.record',
      entityType: 'conclusion',
      entityId: '3',
      after: {
        conclusionId: 3,
        snapshotIds: [8, 9],
        annotationId: 4,
        regions: { breech_face: { cx: 10, cy: 20, r: 5.5 } },
        annotations: Array.from({ length: 12 }, () => ({ annotationId: 4, revision: 1 })),
      },
      references: { 'conclusion:3': pair, 'snapshot:8': pair, 'snapshot:9': pair, 'annotation:4': sides[1]! },
    });
    const rows = detailRows(await speak('en'), recorded);
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r.after]));
    expect(byKey.conclusionId).toBe('LAB-1 / Q1 · Breech face ↔ LAB-2 / K1 · Firing pin');
    expect(byKey.snapshotIds).toBe(
      'LAB-1 / Q1 · Breech face ↔ LAB-2 / K1 · Firing pin, LAB-1 / Q1 · Breech face ↔ LAB-2 / K1 · Firing pin',
    );
    expect(byKey.annotationId).toBe('LAB-2 / K1 · Firing pin');
    // Two levels deep, in words (the region key worded as a region), not "1 entry".
    expect(byKey.regions).toBe('Breech face (Centre x (px) 10 · Centre y (px) 20 · Radius (px) 5.50)');
    // A long list shows its first entries and says how many more there are.
    expect(byKey.annotations).toMatch(/^\(Annotation LAB-2 \/ K1 · Firing pin · Revision 1\); .* and 4 more$/);
    expect(rows.map((r) => r.after).join(' ')).not.toMatch(/entries|\{|no\. [389]\b/);
    expect(entityWords(await translator('en'), recorded)).toBe(
      'Conclusion LAB-1 / Q1 · Breech face ↔ LAB-2 / K1 · Firing pin',
    );
  });
});
