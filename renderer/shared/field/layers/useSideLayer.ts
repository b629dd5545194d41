// React side of sideLayers.ts: the prepared picture of one side for the chosen file, with its loading state.
import { useEffect, useState } from 'react';
import { useStation } from '../../../api/hooks.tsx';
import { loadSideLayer, type SideLayer } from './sideLayers.ts';
import type { SideSource } from './sideSource.ts';

export interface SideLayerState {
  layer: SideLayer | null;
  error: unknown;
  loading: boolean;
}

export function useSideLayer(source: SideSource | undefined, role: string | null): SideLayerState {
  const station = useStation();
  const [state, setState] = useState<SideLayerState>({ layer: null, error: null, loading: false });
  useEffect(() => {
    if (!source || !role) {
      setState({ layer: null, error: null, loading: false });
      return;
    }
    let current = true;
    setState((s) => ({ layer: s.layer, error: null, loading: true }));
    // The load may be shared with another view of the same file, so it is not cancelled: this view stops waiting.
    loadSideLayer(station, source, role).then(
      (layer) => current && setState({ layer, error: null, loading: false }),
      (error: unknown) => current && setState({ layer: null, error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [station, source, role]);
  return state;
}
