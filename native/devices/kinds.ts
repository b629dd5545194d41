// The three device kinds a casing rig needs. Units: stage axes in millimetres or degrees (per axis), light
// levels in percent of full output, exposure in microseconds, gain in dB.
import type { Device } from './device.ts';
import type { Unsubscribe } from '../../electron/base/listeners.ts';

export interface AxisInfo {
  /** Name used by the rig profile and the UI, e.g. "z" (focus) or "r" (rotation). */
  name: string;
  unit: 'mm' | 'deg';
  min: number;
  max: number;
}

export interface PositionChange {
  device: string;
  positions: Record<string, number>;
  moving: boolean;
}

export interface Stage extends Device {
  readonly kind: 'stage';
  axes(): readonly AxisInfo[];
  positions(): Record<string, number>;
  moveTo(axis: string, position: number, signal?: AbortSignal): Promise<void>;
  moveBy(axis: string, delta: number, signal?: AbortSignal): Promise<void>;
  home(signal?: AbortSignal): Promise<void>;
  /** Homed since the last initialize and no alarm since (positions are trustworthy). */
  homed(): boolean;
  /** Stops any motion at once; safe to call at any time. */
  stop(): Promise<void>;
  onPositionChanged(listener: (change: PositionChange) => void): Unsubscribe;
}

export interface LightChannelInfo {
  /** Stable id within the device, e.g. "A" or "3". */
  id: string;
  name: string;
}

export interface LightSource extends Device {
  readonly kind: 'light';
  channels(): readonly LightChannelInfo[];
  /** Current level per channel id, percent 0..100. */
  levels(): Record<string, number>;
  setLevel(channel: string, percent: number, signal?: AbortSignal): Promise<void>;
  setLevels(levels: Record<string, number>, signal?: AbortSignal): Promise<void>;
  allOff(signal?: AbortSignal): Promise<void>;
}

export interface Frame {
  width: number;
  height: number;
  pixelFormat: 'Mono8' | 'Mono16';
  /** Row-major pixels; Mono16 frames are little-endian pairs. */
  data: Uint8Array;
  /** Device block id: consecutive frames have consecutive ids, a gap means a dropped frame. */
  blockId: number;
  timestampNs: bigint;
  exposureUs: number;
  gainDb: number;
}

export interface Camera extends Device {
  readonly kind: 'camera';
  snap(signal?: AbortSignal): Promise<Frame>;
  /** Streams frames until the signal aborts or the device fails; resolves when the stream has stopped cleanly. */
  startSequence(onFrame: (frame: Frame) => void, signal: AbortSignal): Promise<void>;
}
