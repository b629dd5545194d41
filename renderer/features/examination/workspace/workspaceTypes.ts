// What the workspace takes from the page that hosts it and gives back: the analysis it shows, annotations to draw,
// shapes the examiner finished drawing and snapshots taken (what happens to them is the examination's business).
import type { ReactNode } from 'react';
import type {
  AnnotationShape,
  StoredAnalysis,
  ViewState,
  ViewStateInput,
} from '../../../../electron/contract/index.ts';
import type { SideIndex } from '../../../shared/field/fieldState.ts';
import type { SideSource } from '../../../shared/field/layers/sideSource.ts';
import type { AnnotationLayerName } from './FieldOverlay.tsx';

export type Tool = 'pan' | 'profile' | 'polygon' | 'brush';

/** A shape the examiner finished drawing: in the pixels of the file shown on its side (`frame`). */
export interface DrawnShape {
  side: SideIndex;
  frame: string;
  shape: AnnotationShape;
  view: ViewStateInput;
}

export interface Snapshot {
  png: Uint8Array;
  width: number;
  height: number;
  view: ViewStateInput;
  caption: string;
}

/** A stored annotation to draw: its shape in the pixels of its side's files. */
export interface ShownAnnotation {
  key: string;
  side: SideIndex;
  layer: AnnotationLayerName;
  shape: AnnotationShape;
  highlighted?: boolean;
}

/** The analysis the workspace shows (registration for auto-align, the cells, the scores). */
export type WorkspaceAnalysis = Pick<
  StoredAnalysis,
  'cmc' | 'calibrated' | 'lr' | 'registration' | 'directions' | 'pixelUm'
> &
  Partial<Pick<StoredAnalysis, 'id' | 'algorithm' | 'ranAt'>>;

export interface WorkspaceProps {
  sources: [SideSource, SideSource];
  analysis: WorkspaceAnalysis | null;
  /** What to show while there is no analysis (running, failed, withheld…). */
  analysisStatus: ReactNode;
  /** Both pictures are drawn: the moment to start slow work (the analysis) without delaying the first view. */
  onReady?: () => void;
  annotations?: ShownAnnotation[];
  /** Layer a newly drawn shape is shown in before it is saved. */
  draftLayer?: AnnotationLayerName;
  onShape?: (shape: DrawnShape) => void;
  onSnapshot?: (snapshot: Snapshot) => Promise<void> | void;
  /** A recorded view to show (a snapshot's or an annotation's); `nonce` changes to apply the same view again. */
  restore?: { view: ViewState; nonce: number } | null;
  /** Tabs the host page adds beside the analysis (annotations, conclusion…). */
  tabs?: Array<{ value: string; label: string; content: ReactNode }>;
  defaultTab?: string;
  header?: ReactNode;
}
