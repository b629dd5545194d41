// What the live view draws: 8-bit grey frames from any source (the rig's camera through the host, or a UVC
// microscope grabbed in the browser). Frames go through a tiny publisher instead of React state, so a
// megapixel buffer never passes through a render.
import { frameStats } from './frameStats.ts';

export interface LiveFrame {
  width: number;
  height: number;
  /** Row-major 8-bit grey, width × height bytes. */
  pixels: Uint8Array;
  /** When the source computed them already (the host does); otherwise the live view does. */
  focus?: number;
  /** Any number of bins over 0..255 (the host sends 64, the browser's own statistics 256). */
  histogram?: ArrayLike<number>;
  saturatedFraction?: number;
  /** Mean grey level, 0..255. */
  mean?: number;
  /** The source's frame number, handed back to `onFrameDrawn` (the rig acknowledges drawn frames). */
  seq?: number;
  /** Capture time in ms since the epoch, for the camera → screen latency readout. */
  capturedAt?: number;
}

export interface FrameFeed {
  subscribe(listener: (frame: LiveFrame) => void): () => void;
}

export interface FramePublisher extends FrameFeed {
  push(frame: LiveFrame): void;
}

export function createFramePublisher(): FramePublisher {
  const listeners = new Set<(frame: LiveFrame) => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    push(frame) {
      for (const listener of listeners) listener(frame);
    },
  };
}

type Stats = Required<Pick<LiveFrame, 'focus' | 'histogram' | 'saturatedFraction' | 'mean'>>;

/** Fills in focus, histogram, saturation and mean when the source did not send them (every 2nd pixel: ~1 ms at 1024²). */
export function withStats(frame: LiveFrame): LiveFrame & Stats {
  if (
    frame.focus !== undefined &&
    frame.histogram !== undefined &&
    frame.saturatedFraction !== undefined &&
    frame.mean !== undefined
  ) {
    return frame as LiveFrame & Stats;
  }
  const stats = frameStats(frame.pixels, frame.width, frame.height, 2);
  return {
    ...frame,
    focus: frame.focus ?? stats.focus,
    histogram: frame.histogram ?? stats.histogram,
    saturatedFraction: frame.saturatedFraction ?? stats.saturatedFraction,
    mean: frame.mean ?? stats.mean,
  };
}
