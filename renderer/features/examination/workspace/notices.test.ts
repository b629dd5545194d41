import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import type { SideLayer } from '../../../shared/field/layers/sideLayers.ts';
import type { SideSource } from '../../../shared/field/layers/sideSource.ts';
import { threeDReason, workspaceNotices } from './notices.ts';

// The words are checked by the translation test; here, which notice is given and with what.
const t = ((key: string, values?: Record<string, unknown>) => `${key} ${JSON.stringify(values ?? {})}`) as TFunction;

function source(label: string, extra: Partial<SideSource> = {}): SideSource {
  return {
    label,
    pixelUm: 3.125,
    unsuitableReason: null,
    topography: { sha256: 'a'.repeat(64), width: 100, height: 100 },
    images: [],
    ...extra,
  } as unknown as SideSource;
}

function surface(spacingUm: number | null, reduced = false): SideLayer {
  return {
    spacingUm,
    reduced,
    sourceSize: [4000, 4000],
    layer: { kind: 'surface', texels: { width: 2048, height: 2048 } },
  } as unknown as SideLayer;
}

describe('workspace notices', () => {
  it('say nothing about two equal, scaled, full surfaces', () => {
    expect(workspaceNotices(t, [source('Q1'), source('K1')], [surface(3.125), surface(3.125)])).toEqual([]);
    expect(threeDReason(t, [source('Q1'), source('K1')], [surface(3.125), surface(3.125)])).toBeNull();
  });

  it('say that two pixel sizes are resampled, naming the finer side and the common size', () => {
    const sides: [SideSource, SideSource] = [source('Q1', { pixelUm: 1.5625 }), source('K1', { pixelUm: 3.125 })];
    const [notice] = workspaceNotices(t, sides, [surface(1.5625), surface(3.125)]);
    // Said from the files' pixel sizes, also while reduced quick previews (other spacings) are shown.
    expect(workspaceNotices(t, sides, [surface(6.25, true), surface(6.25, true)]).map((n) => n.key)).toContain(
      'resampled',
    );
    expect(notice!.key).toBe('resampled');
    expect(notice!.text).toContain('"fine":"Q1"');
    expect(notice!.text).toContain('"coarse":"3.13"');
  });

  it('flag an unsuitable side, an unscaled side and a reduced preview', () => {
    const notices = workspaceNotices(
      t,
      [source('Q1', { unsuitableReason: 'smeared primer' } as Partial<SideSource>), source('K1')],
      [surface(3.125, true), surface(null)],
    );
    expect(notices.map((n) => n.key)).toEqual(['unsuitable-0', 'reduced-0', 'unscaled-1']);
    expect(notices[0]!.text).toContain('smeared primer');
    expect(notices[1]!.text).toContain('"shownWidth":2048');
  });

  it('turn the 3D tools off with the reason when one side has no topography', () => {
    const twoD = source('K1', { topography: null } as Partial<SideSource>);
    expect(threeDReason(t, [source('Q1'), twoD], [surface(3.125), null])).toMatch(/^exam\.notice\.twoD .*"K1"/);
  });
});
