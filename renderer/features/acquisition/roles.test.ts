import { describe, expect, it } from 'vitest';
import { imageRoles } from './roles.ts';

const file = (role: string, mediaType = 'image/png') => ({ role, sha256: 'x', size: 1, mediaType, settings: null });

describe('image roles', () => {
  it('lists 2D images, lights first in channel order, and leaves out the topography and non-images', () => {
    const roles = imageRoles([
      file('topography', 'application/x-x3p'),
      file('coaxial'),
      file('light:ring/s10'),
      file('ring'),
      file('light:ring/s2'),
      file('original', 'application/x-x3p'),
      file('dark'),
    ]);
    expect(roles).toEqual(['light:ring/s2', 'light:ring/s10', 'ring', 'coaxial', 'dark']);
  });
});

describe('acquisition vocabularies', async () => {
  const { acquisitionEn } = await import('../../i18n/en.acquisition.ts');
  const contract = await import('../../../electron/contract/index.ts');
  const { stationWords } = await import('../../../electron/contract/words/index.ts');
  it('have English words for every region, source, calibration kind and quality check of the contract', () => {
    expect(Object.keys(stationWords.en.regionName).sort()).toEqual([...contract.acquisitionRegions].sort());
    expect(Object.keys(acquisitionEn.acquisition.sourceName).sort()).toEqual([...contract.acquisitionSources].sort());
    expect(Object.keys(stationWords.en.calibrationKind).sort()).toEqual([...contract.calibrationKinds].sort());
    expect(Object.keys(acquisitionEn.calibration.runKinds).sort()).toEqual([...contract.calibrationRunKinds].sort());
    expect(Object.keys(acquisitionEn.acquisition.check).sort()).toEqual(
      [...contract.qualityCheckSchema.shape.id.options].sort(),
    );
  });
});

describe('words shown as a value on their own', async () => {
  const { resources } = await import('../../i18n/index.ts');
  // "Source: capture" and a field named "unsuitable" read like codes; a value standing alone starts as a word does.
  it('start with a capital where the script has one', () => {
    for (const [language, messages] of Object.entries(resources)) {
      const acquisition = messages.acquisition as { sourceName: Record<string, string>; unsuitable: string };
      for (const word of [...Object.values(acquisition.sourceName), acquisition.unsuitable])
        expect(word[0], `${language}: ${word}`).toBe(word[0]!.toLocaleUpperCase(language));
    }
  });
});
