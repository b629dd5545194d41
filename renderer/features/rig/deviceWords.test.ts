import { describe, expect, it } from 'vitest';
import type { RigDeviceView } from '../../../electron/contract/index.ts';
import { translator } from '../../../tests/fixtures/translator.ts';
import {
  axisWords,
  deviceWords,
  driverWords,
  lastErrorWords,
  profileName,
  recordedProfileName,
} from './deviceWords.ts';

type Shape = Pick<RigDeviceView, 'label' | 'kind' | 'channels' | 'axes'>;
const channel = (id: string, azimuthDeg: number | null) => ({
  id,
  name: id,
  level: 0,
  azimuthDeg,
  elevationDeg: azimuthDeg === null ? null : 30,
  coaxial: azimuthDeg === null,
});
const axis = (name: string, role: 'focus' | 'rotation' | 'x' | 'y') => ({
  name,
  unit: role === 'rotation' ? ('deg' as const) : ('mm' as const),
  role,
  min: null,
  max: null,
  position: null,
});
// The demo rig's devices, labelled as its profile labels them.
const demo: Shape[] = [
  { label: 'camera', kind: 'camera', channels: [], axes: [] },
  { label: 'stage', kind: 'stage', channels: [], axes: [axis('z', 'focus'), axis('r', 'rotation')] },
  { label: 'ring', kind: 'light', channels: [0, 45, 90, 135].map((a) => channel(String(a), a)), axes: [] },
  { label: 'coax', kind: 'light', channels: [channel('A', null)], axes: [] },
];

describe('rig devices in words', () => {
  it('names each device by what it is, not by its profile label', async () => {
    const t = await translator('en');
    expect(demo.map((d) => deviceWords(t, d, demo))).toEqual([
      'Camera',
      'Focus and rotation stage',
      'Ring light',
      'Coaxial light',
    ]);
    expect(axisWords(t, { role: 'focus' })).toBe('Focus');
    expect(axisWords(t, { role: 'rotation' })).toBe('Rotation');
  });

  it('adds the label only to tell two alike devices apart', async () => {
    const t = await translator('en');
    const twoRings = [...demo, { ...demo[2]!, label: 'ring-left' }];
    expect(deviceWords(t, twoRings[2]!, twoRings)).toBe('Ring light (ring)');
    expect(deviceWords(t, twoRings[4]!, twoRings)).toBe('Ring light (ring-left)');
    expect(deviceWords(t, twoRings[0]!, twoRings)).toBe('Camera');
  });

  it('speaks French, Spanish and Arabic', async () => {
    expect(deviceWords(await translator('fr'), demo[2]!, demo)).toBe('Éclairage annulaire');
    expect(deviceWords(await translator('es'), demo[1]!, demo)).toBe('Platina de enfoque y rotación');
    expect(deviceWords(await translator('ar'), demo[3]!, demo)).toBe('الإضاءة المحورية');
    expect(axisWords(await translator('fr'), { role: 'focus' })).toBe('Mise au point');
  });

  it('names the protocol a driver speaks', () => {
    expect(driverWords('u3v')).toBe('USB3 Vision');
    expect(driverWords('some-new-driver')).toBe('some-new-driver');
  });

  it('words a device’s last error from the driver’s code, never its English sentence', async () => {
    const failed = (code: string) => ({
      ...demo[0]!,
      lastError: { code, message: 'GenCP read timed out after 1000 ms', at: '2026-03-02T10:00:00Z' },
    });
    const fr = await translator('fr');
    const timeout = lastErrorWords(fr, failed('timeout'), demo)!;
    expect(timeout).toBe(fr('errors.deviceProblem.timeout', { device: 'Caméra' }));
    expect(timeout).toContain('Caméra');
    expect(timeout).not.toMatch(/GenCP|timed out/);
    const ar = await translator('ar');
    expect(lastErrorWords(ar, failed('alarm'), demo)).toBe(ar('errors.deviceProblem.alarm', { device: 'الكاميرا' }));
    expect(lastErrorWords(fr, failed('something-new'), demo)).toBe(fr('errors.device'));
    expect(lastErrorWords(fr, { ...demo[0]!, lastError: null }, demo)).toBeNull();
  });
});

describe('profileName', () => {
  const demo = { name: 'Demo rig (simulated devices)', names: { fr: 'Banc de démonstration', ar: 'منصة العرض' } };
  it('reads the name in the language the profile gives, by the base language of a regional one', () => {
    expect(profileName(demo, 'fr')).toBe('Banc de démonstration');
    expect(profileName(demo, 'fr-CA')).toBe('Banc de démonstration');
    expect(profileName(demo, 'ar')).toBe('منصة العرض');
  });
  it('keeps the name as written for a language the profile does not name itself in', () => {
    expect(profileName(demo, 'es')).toBe('Demo rig (simulated devices)');
    expect(profileName({ name: 'Banc du labo 2', names: {} }, 'en')).toBe('Banc du labo 2');
  });
});

describe('recordedProfileName', () => {
  const demo = { name: 'Demo rig (simulated devices)', names: { ar: 'منصة العرض' } };
  it('words a recorded name in the language when it is the profile the station runs', () => {
    expect(recordedProfileName('Demo rig (simulated devices)', demo, 'ar')).toBe('منصة العرض');
  });
  it('keeps a name recorded under another profile, or with no rig, as recorded', () => {
    expect(recordedProfileName('Bench 2', demo, 'ar')).toBe('Bench 2');
    expect(recordedProfileName('Demo rig (simulated devices)', null, 'ar')).toBe('Demo rig (simulated devices)');
  });
  it('translates only the same profile: a recorded id must match; provenance without one keeps the name', () => {
    const current = { ...demo, id: 'demo' };
    const named = 'Demo rig (simulated devices)';
    expect(recordedProfileName(named, current, 'ar', { recordedId: 'demo' })).toBe('منصة العرض');
    // Another lab's profile that happens to share the name.
    expect(recordedProfileName(named, current, 'ar', { recordedId: 'bench-7' })).toBe(named);
    expect(recordedProfileName(named, current, 'ar', { needsId: true })).toBe(named);
    expect(recordedProfileName(named, current, 'ar', { needsId: true, recordedId: 'demo' })).toBe('منصة العرض');
  });
});
