// What the examiner draws or asks to see over the specimens, in SVG over the WebGL field: CMC cells, annotations,
// the shape being drawn, the profile line and the keyboard crosshair. Shapes are kept in each side's own frame
// (micrometres) and mapped to the screen here, so they follow their specimen wherever it is moved; in split mode
// each side's shapes show only on its side of the line, as the specimen itself does.
import { Fragment } from 'react';
import { apply, type Affine, type Point } from '../../../shared/field/geometry.ts';
import type { SideIndex } from '../../../shared/field/fieldState.ts';
import type { FieldGeometry } from '../../../shared/field/Field.tsx';
import type { CellShape } from './cells.ts';

export const layerColours = { similar: '#40c057', dissimilar: '#fa5252', subclass: '#fab005' } as const;
export type AnnotationLayerName = keyof typeof layerColours;

export interface OverlayShape {
  key: string;
  side: SideIndex;
  kind: 'polygon' | 'stroke';
  layer: AnnotationLayerName;
  points: Point[];
  /** Brush width, micrometres (strokes). */
  widthUm: number;
  highlighted?: boolean;
}

export interface OverlayContent {
  cells: [CellShape[], CellShape[]] | null;
  showAllCells: boolean;
  selectedCell: number | null;
  onHoverCell?: (cell: { side: SideIndex; cell: CellShape } | null) => void;
  shapes: OverlayShape[];
  draft: OverlayShape | null;
  profile: { from: Point; to: Point } | null;
  crosshair: boolean;
}

const path = (m: Affine, points: Point[], close: boolean) =>
  points
    .map(
      (p, i) =>
        `${i === 0 ? 'M' : 'L'}${apply(m, p)
          .map((v) => v.toFixed(1))
          .join(' ')}`,
    )
    .join(' ') + (close ? ' Z' : '');

function scaleOf(m: Affine): number {
  return Math.hypot(m.a, m.b);
}

function Shape({ shape, m }: { shape: OverlayShape; m: Affine }) {
  const colour = layerColours[shape.layer];
  if (shape.kind === 'stroke')
    return (
      <path
        d={path(m, shape.points, false)}
        fill="none"
        stroke={colour}
        strokeOpacity={shape.highlighted ? 0.75 : 0.45}
        strokeWidth={Math.max(2, shape.widthUm * scaleOf(m))}
        strokeLinecap="round"
        strokeLinejoin="round"
        data-shape={shape.key}
      />
    );
  return (
    <path
      d={path(m, shape.points, shape.points.length > 2)}
      fill={colour}
      fillOpacity={shape.highlighted ? 0.3 : 0.15}
      stroke={colour}
      strokeWidth={shape.highlighted ? 3 : 2}
      data-shape={shape.key}
    />
  );
}

export function FieldOverlay({ geometry, content }: { geometry: FieldGeometry; content: OverlayContent }) {
  const { panels, state } = geometry;
  const clipFor = (panel: number, side: SideIndex) => {
    if (state.mode !== 'split') return `panel-${panel}`;
    return side === 0 ? 'split-left' : 'split-right';
  };
  const splitX = panels[0]!.x + panels[0]!.width * state.split;
  return (
    <>
      <defs>
        {panels.map((p, i) => (
          <clipPath id={`panel-${i}`} key={i}>
            <rect x={p.x} y={p.y} width={p.width} height={p.height} />
          </clipPath>
        ))}
        <clipPath id="split-left">
          <rect x={0} y={0} width={Math.max(0, splitX)} height={geometry.height} />
        </clipPath>
        <clipPath id="split-right">
          <rect x={splitX} y={0} width={Math.max(0, geometry.width - splitX)} height={geometry.height} />
        </clipPath>
      </defs>
      {panels.map((panel, pi) => (
        <Fragment key={pi}>
          {panel.sides.map((side) => {
            const m = geometry.screenFromOwn(pi, side);
            const cells = content.cells?.[side] ?? [];
            return (
              <g key={side} clipPath={`url(#${clipFor(pi, side)})`}>
                {cells
                  .filter((c) => c.congruent || content.showAllCells || c.index === content.selectedCell)
                  .map((cell) => {
                    const selected = cell.index === content.selectedCell;
                    return (
                      <path
                        key={`${cell.role}-${cell.index}`}
                        d={path(m, cell.polygon, true)}
                        fill={selected ? 'rgba(255,255,255,0.12)' : 'rgba(0,0,0,0.001)'}
                        stroke={selected ? '#ffffff' : cell.congruent ? '#40c057' : 'rgba(200,200,200,0.7)'}
                        strokeWidth={selected ? 3 : cell.congruent ? 2 : 1.2}
                        strokeDasharray={cell.role === 'target' && !selected ? '6 3' : undefined}
                        style={{ pointerEvents: 'visiblePainted' }}
                        data-cell={cell.index}
                        data-cell-side={side}
                        onPointerEnter={() => content.onHoverCell?.({ side, cell })}
                        onPointerLeave={() => content.onHoverCell?.(null)}
                      />
                    );
                  })}
                {content.shapes
                  .filter((s) => s.side === side)
                  .map((shape) => (
                    <Shape key={shape.key} shape={shape} m={m} />
                  ))}
                {content.draft?.side === side ? <Shape shape={{ ...content.draft, highlighted: true }} m={m} /> : null}
              </g>
            );
          })}
          {content.profile ? (
            <g clipPath={`url(#panel-${pi})`} data-shape="profile">
              {(() => {
                const m = geometry.screenFromWorld(pi);
                const [a, b] = [apply(m, content.profile.from), apply(m, content.profile.to)];
                return (
                  <>
                    <line x1={a[0]} y1={a[1]} x2={b[0]} y2={b[1]} stroke="black" strokeWidth={4} opacity={0.5} />
                    <line x1={a[0]} y1={a[1]} x2={b[0]} y2={b[1]} stroke="#22b8cf" strokeWidth={2} />
                    <circle cx={a[0]} cy={a[1]} r={4} fill="#22b8cf" />
                    <circle cx={b[0]} cy={b[1]} r={4} fill="none" stroke="#22b8cf" strokeWidth={2} />
                  </>
                );
              })()}
            </g>
          ) : null}
          {content.crosshair ? (
            <g stroke="white" strokeWidth={1} opacity={0.8}>
              <line
                x1={panel.x + panel.width / 2 - 12}
                x2={panel.x + panel.width / 2 + 12}
                y1={panel.y + panel.height / 2}
                y2={panel.y + panel.height / 2}
              />
              <line
                y1={panel.y + panel.height / 2 - 12}
                y2={panel.y + panel.height / 2 + 12}
                x1={panel.x + panel.width / 2}
                x2={panel.x + panel.width / 2}
              />
            </g>
          ) : null}
        </Fragment>
      ))}
    </>
  );
}
