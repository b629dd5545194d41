// The workspace's tools for the pointer and the keyboard crosshair: moving the stage, drawing a profile line across
// both surfaces, and drawing annotation shapes (polygons, brush strokes) on either side. A finished shape is handed
// to the page in the pixels of the file shown on its side, with the view it was drawn in.
import { useCallback, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { ViewStateInput } from '../../../../electron/contract/index.ts';
import { distance, type Point } from '../../../shared/field/geometry.ts';
import { sideScale, type SideIndex } from '../../../shared/field/fieldState.ts';
import type { FieldStore } from '../../../shared/field/fieldStore.ts';
import type { FieldPointer } from '../../../shared/field/Field.tsx';
import type { SideLayer } from '../../../shared/field/layers/sideLayers.ts';
import type { DrawnShape, Tool } from './workspaceTypes.ts';

/** Width of a brush stroke on the specimen. */
export const brushWidthUm = 30;

export type ProfileLine = { from: Point; to: Point } | null;
export interface Draft {
  side: SideIndex;
  kind: 'polygon' | 'stroke';
  points: Point[];
}

export function useDrawing({
  store,
  layers,
  roles,
  currentView,
  onShape,
  setProfileLine,
  crosshair,
  surfaces,
}: {
  store: FieldStore;
  layers: readonly [SideLayer | null, SideLayer | null];
  roles: [string | null, string | null];
  currentView: () => ViewStateInput | null;
  onShape: ((shape: DrawnShape) => void) | undefined;
  setProfileLine: Dispatch<SetStateAction<ProfileLine>>;
  crosshair: () => { side: SideIndex; own: Point; world: Point } | null;
  surfaces: boolean;
}) {
  const [tool, setTool] = useState<Tool>('pan');
  const [draft, setDraft] = useState<Draft | null>(null);
  const profileStart = useRef<Point | null>(null);

  const finishDraft = useCallback(() => {
    setDraft((d) => {
      const view = currentView();
      const layer = d ? layers[d.side] : null;
      if (d && layer && view) {
        const px = layer.filePixelUm;
        const points = d.points.map(([x, y]) => [x / px, y / px] as [number, number]);
        const frame = roles[d.side]!;
        if (d.kind === 'polygon' && points.length >= 3)
          onShape?.({ side: d.side, frame, shape: { kind: 'polygon', points }, view });
        if (d.kind === 'stroke' && points.length >= 1)
          onShape?.({ side: d.side, frame, shape: { kind: 'stroke', width: brushWidthUm / px, points }, view });
      }
      return null;
    });
  }, [onShape, currentView, layers, roles]);

  /** Picks a tool; moving the stage drops any shape being drawn. The profile needs both surfaces. */
  const selectTool = useCallback(
    (next: Tool) => {
      if (next === 'profile' && !surfaces) return;
      setTool(next);
      if (next === 'pan') {
        setDraft(null);
        profileStart.current = null;
      }
    },
    [surfaces],
  );

  /** Space: a point at the crosshair (the profile's ends, or the shape's next corner). */
  const addPoint = useCallback(() => {
    const c = crosshair();
    if (!c) return;
    if (tool === 'profile') {
      if (!profileStart.current) profileStart.current = c.world;
      else {
        setProfileLine({ from: profileStart.current, to: c.world });
        profileStart.current = null;
      }
    } else if (tool === 'polygon' || tool === 'brush') {
      const kind = tool === 'polygon' ? 'polygon' : 'stroke';
      setDraft((d) =>
        d && d.side === c.side ? { ...d, points: [...d.points, c.own] } : { side: c.side, kind, points: [c.own] },
      );
    }
  }, [crosshair, tool, setProfileLine]);

  const undoPoint = useCallback(
    () => setDraft((d) => (d && d.points.length > 1 ? { ...d, points: d.points.slice(0, -1) } : null)),
    [],
  );

  const onPointer = useCallback(
    (p: FieldPointer) => {
      if (tool === 'profile') {
        if (p.phase === 'down') profileStart.current = p.world;
        else if (profileStart.current) {
          const line = { from: profileStart.current, to: p.world };
          if (distance(line.from, line.to) > 0) setProfileLine(line);
          if (p.phase === 'up') profileStart.current = null;
        }
        return;
      }
      if (tool === 'brush') {
        if (p.phase === 'down') setDraft({ side: p.side, kind: 'stroke', points: [p.own] });
        else if (p.phase === 'move')
          setDraft((d) => {
            if (!d) return d;
            const last = d.points[d.points.length - 1]!;
            // A new point every couple of screen pixels keeps strokes light.
            return distance(last, p.own) * sideScale(store.get().field, d.side) > 2
              ? { ...d, points: [...d.points, p.own] }
              : d;
          });
        else finishDraft();
        return;
      }
      if (tool === 'polygon' && p.phase === 'down') {
        setDraft((d) => {
          if (!d || d.side !== p.side) return { side: p.side, kind: 'polygon', points: [p.own] };
          // A click on the first point closes the polygon.
          const first = d.points[0]!;
          if (d.points.length >= 3 && distance(first, p.own) * sideScale(store.get().field, d.side) < 8) {
            queueMicrotask(finishDraft);
            return d;
          }
          return { ...d, points: [...d.points, p.own] };
        });
      }
    },
    [tool, finishDraft, store, setProfileLine],
  );

  return { tool, selectTool, draft, finishDraft, addPoint, undoPoint, onPointer };
}
