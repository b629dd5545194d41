import i18next from 'i18next';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../electron/contract/index.ts';
import { translator } from '../../../tests/fixtures/translator.ts';
import { detailRows } from './auditDetails.ts';

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
});
