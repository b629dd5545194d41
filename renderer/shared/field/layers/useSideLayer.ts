// React side of sideLayers.ts: the prepared picture of one side for the chosen file. A quick preview about the
// size of the screen comes first, then the full-resolution one replaces it (unless the file is no larger than the
// quick one, or the full one is cached already).
import { useEffect, useState } from 'react';
import { useStation } from '../../../api/hooks.tsx';
import { cachedSideLayer, loadSideLayer, quickMaxSize, workspaceMaxSize, type SideLayer } from './sideLayers.ts';
import type { SideSource } from './sideSource.ts';

export interface SideLayerState {
  layer: SideLayer | null;
  error: unknown;
  loading: boolean;
  /** The layer shown is the quick preview; the full resolution is on its way. */
  refining: boolean;
}

export function useSideLayer(source: SideSource | undefined, role: string | null): SideLayerState {
  const station = useStation();
  const [state, setState] = useState<SideLayerState>({ layer: null, error: null, loading: false, refining: false });
  useEffect(() => {
    if (!source || !role) {
      setState({ layer: null, error: null, loading: false, refining: false });
      return;
    }
    let current = true;
    setState((s) => ({ ...s, error: null, loading: true }));
    const full = () =>
      loadSideLayer(station, source, role, workspaceMaxSize).then(
        (layer) => current && setState({ layer, error: null, loading: false, refining: false }),
        (error: unknown) => current && setState((s) => ({ ...s, error, loading: false, refining: false })),
      );
    const known = source.topography && role === 'topography' ? source.topography : null;
    const small = known?.width && known.height && Math.max(known.width, known.height) <= quickMaxSize;
    // Loads may be shared with another view of the same file, so none is cancelled: this view stops waiting.
    if (small || cachedSideLayer(source, role, workspaceMaxSize)) void full();
    else
      loadSideLayer(station, source, role, quickMaxSize).then(
        (layer) => {
          if (!current) return;
          setState({ layer, error: null, loading: true, refining: layer.reduced });
          if (layer.reduced) void full();
          else setState({ layer, error: null, loading: false, refining: false });
        },
        (error: unknown) => current && setState({ layer: null, error, loading: false, refining: false }),
      );
    return () => {
      current = false;
    };
  }, [station, source, role]);
  return state;
}
