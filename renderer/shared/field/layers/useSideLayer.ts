// React side of sideLayers.ts: the prepared picture of one side for the chosen file. A quick preview about the
// size of the screen comes first, then the full-resolution one replaces it (unless the file is no larger than the
// quick one, or the full one is cached already). A view of two sides asks for the full resolution only once both
// quick previews are in (`refine`), so reading two large files does not hold up the first picture of the pair.
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
  /** Which file the state is of (acquisition and role), so a refinement never starts for another one. */
  of: string | null;
}

const keyOf = (source: SideSource | undefined, role: string | null) =>
  source && role ? `${source.acquisitionId}:${role}` : null;

export function useSideLayer(source: SideSource | undefined, role: string | null, refine = true): SideLayerState {
  const station = useStation();
  const [state, setState] = useState<SideLayerState>(() => ({
    layer: null,
    error: null,
    loading: keyOf(source, role) !== null,
    refining: false,
    of: keyOf(source, role),
  }));
  useEffect(() => {
    const of = keyOf(source, role);
    if (!source || !role) {
      setState({ layer: null, error: null, loading: false, refining: false, of });
      return;
    }
    let current = true;
    setState((s) => ({ ...s, error: null, loading: true, refining: false, of }));
    const known = source.topography && role === 'topography' ? source.topography : null;
    const small = known?.width && known.height && Math.max(known.width, known.height) <= quickMaxSize;
    const size = small || cachedSideLayer(source, role, workspaceMaxSize) ? workspaceMaxSize : quickMaxSize;
    // Loads may be shared with another view of the same file, so none is cancelled: this view stops waiting.
    loadSideLayer(station, source, role, size).then(
      (layer) => {
        const more = size === quickMaxSize && layer.reduced;
        if (current) setState({ layer, error: null, loading: more, refining: more, of });
      },
      (error: unknown) => current && setState({ layer: null, error, loading: false, refining: false, of }),
    );
    return () => {
      current = false;
    };
  }, [station, source, role]);

  // The full resolution, once the quick preview of this very file is shown and the view lets it come.
  const waiting = state.refining && state.of === keyOf(source, role);
  useEffect(() => {
    if (!waiting || !refine || !source || !role) return;
    let current = true;
    const of = keyOf(source, role);
    loadSideLayer(station, source, role, workspaceMaxSize).then(
      (layer) => current && setState({ layer, error: null, loading: false, refining: false, of }),
      (error: unknown) => current && setState((s) => ({ ...s, error, loading: false, refining: false })),
    );
    return () => {
      current = false;
    };
  }, [station, source, role, waiting, refine]);
  return state;
}
