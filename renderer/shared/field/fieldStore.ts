// The field's view (stage, placements, mode) and look (light, relief, colour) in one small store outside React:
// the renderer subscribes and redraws on the next animation frame without a React render, and only the parts
// of the page that show a value (overlays, toolbar) re-render through useFieldView.
import { useSyncExternalStore } from 'react';
import type { FieldState } from './fieldState.ts';
import type { Look } from './renderer.ts';

export interface FieldView {
  field: FieldState;
  look: Look;
}

export interface FieldStore {
  get(): FieldView;
  set(update: FieldView | ((view: FieldView) => FieldView)): void;
  setField(update: (field: FieldState) => FieldState): void;
  setLook(update: Partial<Look> | ((look: Look) => Look)): void;
  subscribe(listener: () => void): () => void;
}

export const defaultLook: Look = {
  azimuthDeg: 315,
  elevationDeg: 35,
  exaggeration: 3,
  falseColour: false,
  contrast: false,
};

export function createFieldStore(initial: FieldView): FieldStore {
  let view = initial;
  const listeners = new Set<() => void>();
  const set: FieldStore['set'] = (update) => {
    const next = typeof update === 'function' ? update(view) : update;
    if (next === view) return;
    view = next;
    listeners.forEach((l) => l());
  };
  return {
    get: () => view,
    set,
    setField: (update) => set((v) => ({ ...v, field: update(v.field) })),
    setLook: (update) =>
      set((v) => ({ ...v, look: typeof update === 'function' ? update(v.look) : { ...v.look, ...update } })),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** A slice of the view; the component re-renders only when the slice changes (compare primitives or stable refs). */
export function useFieldView<T>(store: FieldStore, select: (view: FieldView) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}
