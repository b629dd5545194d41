import i18next from 'i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../../tests/fixtures/translator.ts';
import { settingLines } from './settingsWords.ts';

// Settings as the capture and import services record them (captureService.ts, acquisitionService.ts).
const captured = {
  focus: { zMm: -4.997070979518968, score: 0.039461808406803835, manual: false, frames: 21 },
  exposureUs: 7457,
  lights: ['ring/0', 'coax/A'],
  calibrations: { scale: 2, flatDark: 2, lights: 2 },
  notes: null,
  seconds: { autofocus: 3.25, lights: 6.5, stereo: 1.1 },
  simulatedSpecimen: 'fadul:1-1',
};
const imported = {
  format: 'x3p',
  originalName: 'fadul_1-1.x3p',
  notes: 'from the \u202eregul box',
  layout: 'matrix',
  source: 'binary',
  validPoints: 297025,
  instrument: { manufacturer: 'Sensofar', model: 'S neox', serial: '', version: '' },
  measuredAt: '2011-06-01T10:00:00Z',
  forensic: null,
};
const light = (key: string) => ({ 'ring/0': 'Light from 0° (right)', 'coax/A': 'Coaxial light' })[key] ?? key;
const asText = (lines: ReturnType<typeof settingLines>) => lines.map((l) => `${l.label}: ${l.value}`);

// Numbers and dates follow the station's current language (app/format.ts), as on screen.
beforeAll(async () => void (await i18next.init({ lng: 'en', resources: {} })));
afterEach(() => void i18next.changeLanguage('en'));

describe('recorded settings in words', () => {
  it('words a capture: focus, exposure, lights by name, calibrations, time — no keys, no JSON', async () => {
    const lines = asText(settingLines(await translator('en'), captured, light, { 2: 'CAL-2026-0002' }));
    expect(lines).toEqual([
      'Focus position: -4.997 mm (autofocus, 21 frames)',
      // Grouped from five digits up (format.ts), so four-digit figures read alike in every language.
      'Exposure: 7457 µs',
      'Lights, one image each: Light from 0° (right), Coaxial light',
      'Calibrations used: calibration CAL-2026-0002',
      'Time taken: 10.9 s',
    ]);
    expect(lines.join(' ')).not.toMatch(/zMm|exposureUs|ring\/0|[{}[\]]/);
  });

  it('words an import, keeping typed text apart to be shown isolated', async () => {
    const lines = settingLines(await translator('en'), imported, light);
    expect(asText(lines)).toEqual([
      'File format: X3P',
      'Original file name: fadul_1-1.x3p',
      'Data layout: grid of heights',
      'Measured points: 297,025',
      'Instrument: Sensofar · S neox',
      expect.stringMatching(/^Measured: 2011-06-01 \d\d:\d\d$/),
      'Notes: from the \u202eregul box',
    ]);
    expect(lines.filter((l) => l.typed).map((l) => l.label)).toEqual(['Original file name', 'Instrument', 'Notes']);
  });

  it('uses the reader’s language and decimal sign', async () => {
    await i18next.changeLanguage('fr');
    const lines = asText(settingLines(await translator('fr'), captured, light));
    expect(lines[0]).toBe('Position de mise au point: -4,997 mm (mise au point automatique, 21 images)');
    expect(lines).toContain('Durée: 10,9 s');
  });

  it('names a case package’s calibrations as the capturing lab’s, never as a bare id of this station', async () => {
    // The sending lab's ids (2, 3): the host gives references only from what the package carried.
    const fromPackage = { ...captured, calibrations: { scale: 2, flatDark: 3, lights: 3 }, format: 'case-package' };
    const named = asText(settingLines(await translator('en'), fromPackage, light, { 2: 'CAL-2026-0002' }));
    expect(named).toContain(
      'Calibrations used: calibration CAL-2026-0002 of the lab that captured it, a calibration of the lab that captured it (the package gave no reference)',
    );
    for (const lng of ['fr', 'es', 'ar']) {
      const t = await translator(lng);
      const line = settingLines(t, fromPackage, light, {}).find(
        (l) => l.label === t('acquisition.setting.calibrations'),
      );
      // One phrase for both unnamed ones, in the reader's language: no id, no key.
      expect(line?.value).toBe(t('acquisition.setting.calibrationOfCapturingLabUnnamed'));
      expect(line?.value).not.toMatch(/\d|acquisition\./);
    }
  });

  it('shows nothing for settings it does not know (they stay in the record, one click away)', async () => {
    expect(settingLines(await translator('en'), { somethingNew: { a: 1 } }, light)).toEqual([]);
  });
});
