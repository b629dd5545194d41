// A case record that does not hang together is refused with what exactly is wrong as a code and values
// (problem.detail), named as the lab knows it (exhibit, region, file, calibration reference) — never by the
// sending station's internal ids — for the verification card to word in the reader's language.
import { describe, expect, it } from 'vitest';
import type { CaseRecord, PackageManifest } from './format.ts';
import { checkRecordConsistency } from './verifyPackage.ts';

const sha = (c: string) => c.repeat(64);
const item = (exhibitNumber: string, more: Partial<CaseRecord['items'][number]> = {}) =>
  ({
    originId: 7,
    kind: 'cartridge_case',
    exhibitNumber,
    firearmExhibit: null,
    ...more,
  }) as CaseRecord['items'][number];
const acquisition = (more: Partial<CaseRecord['acquisitions'][number]> = {}) =>
  ({
    originId: 5501,
    exhibitNumber: 'Q1',
    region: 'breech_face',
    files: [],
    topographySha256: null,
    openFmcX3p: null,
    ...more,
  }) as CaseRecord['acquisitions'][number];
const record = (more: Partial<CaseRecord>) =>
  ({ items: [item('Q1')], acquisitions: [], calibrations: [], examination: null, ...more }) as CaseRecord;
const manifest = { members: [{ path: 'evidence/a.x3p', sha256: sha('a'), size: 1 }] } as PackageManifest;

function problemOf(r: CaseRecord) {
  try {
    checkRecordConsistency(r, manifest);
    return null;
  } catch (error) {
    return (error as { problem?: { detail?: unknown; message: string } }).problem;
  }
}

describe('a case record that does not hang together', () => {
  it('says what is wrong as a code with the lab’s names, not the sender’s ids', () => {
    expect(problemOf(record({ items: [item('Q1'), item('Q1')] }))?.detail).toEqual({
      code: 'exhibit_twice',
      values: { exhibit: 'Q1' },
    });
    expect(problemOf(record({ items: [item('Q1', { firearmExhibit: 'F9' })] }))?.detail).toEqual({
      code: 'firearm_missing',
      values: { exhibit: 'Q1', firearm: 'F9' },
    });
    const missingFile = problemOf(
      record({
        acquisitions: [
          acquisition({
            files: [{ path: 'evidence/b.x3p', sha256: sha('b') }] as CaseRecord['acquisitions'][0]['files'],
          }),
        ],
      }),
    );
    expect(missingFile?.detail).toEqual({
      code: 'acquisition_file_missing',
      values: { exhibit: 'Q1', region: 'breech_face', file: 'evidence/b.x3p' },
    });
    expect(JSON.stringify(missingFile?.detail)).not.toContain('5501');
    const calibration = problemOf(
      record({
        calibrations: [
          { originId: 6601, reference: 'CAL-2026-0003', report: { path: 'evidence/r.png', sha256: sha('c') } },
        ] as CaseRecord['calibrations'],
      }),
    );
    expect(calibration?.detail).toEqual({
      code: 'calibration_report_missing',
      values: { calibration: 'CAL-2026-0003' },
    });
    // The CLI keeps its English sentence.
    expect(calibration?.message).toMatch(/report of calibration CAL-2026-0003 is not in the package/);
  });
});
