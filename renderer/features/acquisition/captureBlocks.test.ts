import { describe, expect, it } from 'vitest';
import { translator } from '../../../tests/fixtures/translator.ts';
import type { CaptureBlock } from '../../../electron/contract/index.ts';
import { captureBlockText } from './captureBlocks.ts';

const blocks: CaptureBlock[] = [
  { kind: 'no_rig', said: 'no rig hardware was found' },
  { kind: 'no_calibration', calibrationKind: 'flat_dark' },
  { kind: 'calibration_failed', calibrationId: 4, reference: 'CAL-2026-0004' },
  { kind: 'calibration_expired', calibrationId: 7, reference: 'CAL-2026-0007', expiresAt: '2026-12-01T10:00:00.000Z' },
  { kind: 'calibration_other_rig', calibrationId: 7, reference: 'CAL-2026-0007', rigProfile: 'Bench B' },
  { kind: 'calibration_devices_changed', calibrationId: 7, reference: 'CAL-2026-0007', devices: ['camera', 'ring'] },
];

describe('why capture cannot start, in words', () => {
  it('says each reason in English from the data', async () => {
    const t = await translator('en');
    const words = blocks.map((b) => captureBlockText(t, b));
    expect(words[0]).toBe('This station has no rig to capture with.');
    expect(words[1]).toBe(
      'No calibration of this kind on record for this rig: Flat field and dark frame. Run the calibration first.',
    );
    // Named by the lab's reference, never the internal id.
    expect(words[2]).toBe('Calibration CAL-2026-0004 did not pass its checks.');
    expect(words[3]).toMatch(/^Calibration CAL-2026-0007 expired on \d{4}-\d{2}-\d{2} \d{2}:\d{2}\.$/);
    expect(words[4]).toBe('Calibration CAL-2026-0007 was made on another rig profile (Bench B).');
    // Without the rig's status at hand, the profile's labels are said to be devices' labels, never bare.
    expect(words[5]).toBe('Devices changed since calibration CAL-2026-0007: device “camera”, device “ring”.');
  });

  it('words changed devices as the rig panel does, in every language', async () => {
    const channel = (azimuthDeg: number) => ({
      id: String(azimuthDeg),
      name: String(azimuthDeg),
      level: 0,
      azimuthDeg,
      elevationDeg: 30,
      coaxial: false,
    });
    const rig = [
      { label: 'camera', kind: 'camera' as const, channels: [], axes: [] },
      { label: 'ring', kind: 'light' as const, channels: [0, 90, 180, 270].map(channel), axes: [] },
    ];
    const changed = blocks[5]!;
    const expected: Record<string, string> = {
      en: 'Devices changed since calibration CAL-2026-0007: Camera, Ring light.',
      fr: 'Appareils changés depuis l’étalonnage CAL-2026-0007 : Caméra, Éclairage annulaire.',
    };
    for (const language of ['en', 'fr', 'es', 'ar']) {
      const t = await translator(language);
      const words = captureBlockText(t, changed, rig);
      expect(words).toContain(t('rig.deviceName.camera'));
      expect(words).toContain(t('rig.deviceName.ringLight'));
      expect(words).not.toMatch(/\bcamera\b|\bring\b/);
      if (expected[language]) expect(words).toBe(expected[language]);
    }
  });

  it('says them in French, Spanish and Arabic too', async () => {
    const english = await translator('en');
    for (const language of ['fr', 'es', 'ar']) {
      const t = await translator(language);
      for (const block of blocks) {
        const words = captureBlockText(t, block);
        expect(words).not.toMatch(/\{\{|capture\.block/);
        expect(words).not.toBe(captureBlockText(english, block));
      }
    }
  });
});
