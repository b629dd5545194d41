// Live view: one camera stream shared by every subscribed connection. Frames are reduced to 8-bit with their
// statistics once and sent to each subscriber; a connection that acknowledges frames (rig.frameAck) is never
// more than two frames ahead, so a slow client skips frames instead of queueing a backlog. Live view pauses
// while someone holds the rig exclusively or changes settings that need the stream stopped.
import type { RigFrame } from '../../../contract/devices.ts';
import { DeviceError } from '../../../../native/devices/errors.ts';
import type { Camera } from '../../../../native/devices/kinds.ts';
import { frameView } from './views.ts';

interface Subscriber {
  connectionId: number;
  emit(frame: RigFrame): void;
}

const maxAhead = 2;
/**
 * When the last viewer goes (page left, tab closed), live view stops after this grace, so the camera is not left
 * streaming (BUSY for capture and snaps) with nobody watching; a reload that subscribes again within it keeps it.
 */
export const unwatchedStopMs = 3000;
// A camera that stopped answering takes a few of its 1 s exchange timeouts to wind down the stream.
const stopTimeoutMs = 8000;

export class LiveView {
  private readonly camera: () => Camera | undefined;
  private readonly changed: () => void;
  private readonly failed: (error: DeviceError) => void;
  private controller: AbortController | undefined;
  private stream: Promise<void> | undefined;
  /** Live view was asked for (and not stopped): it runs whenever it is not paused and the camera is ready. */
  private wanted = false;
  private pauses = 0;
  private maxFps = 30;
  private seq = 0;
  private lastEmitAt = 0;
  private emitted: number[] = [];
  private readonly subscribers = new Set<Subscriber>();
  private readonly acks = new Map<number, { acked: number; sent: number }>();
  private readonly frameWaiters = new Set<(frame: RigFrame) => void>();
  /** While streaming, the status (with its frames/s) goes out once a second even when nothing else changes. */
  private fpsTimer: ReturnType<typeof setInterval> | undefined;
  private unwatchedTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: {
    camera: () => Camera | undefined;
    changed: () => void;
    failed: (error: DeviceError) => void;
  }) {
    this.camera = options.camera;
    this.changed = options.changed;
    this.failed = options.failed;
  }

  status(): { running: boolean; paused: boolean; fps: number } {
    const now = performance.now();
    this.emitted = this.emitted.filter((t) => now - t <= 1000);
    return { running: this.stream !== undefined, paused: this.wanted && this.pauses > 0, fps: this.emitted.length };
  }

  get isWanted(): boolean {
    return this.wanted;
  }

  get maxFramesPerSecond(): number {
    return this.maxFps;
  }

  async start(maxFps: number): Promise<void> {
    this.maxFps = maxFps;
    this.wanted = true;
    if (this.pauses === 0 && !this.stream) this.run();
    this.changed();
  }

  async stop(): Promise<void> {
    clearTimeout(this.unwatchedTimer);
    this.wanted = false;
    await this.halt();
    this.changed();
  }

  /** Stops the stream until the returned resume() is called; pauses nest. */
  async pause(): Promise<() => void> {
    this.pauses++;
    await this.halt();
    this.changed();
    let resumed = false;
    return () => {
      if (resumed) return;
      resumed = true;
      this.pauses--;
      this.resumeIfWanted();
      this.changed();
    };
  }

  /** Restarts a wanted stream (after a pause, or when the camera is ready again after a reconnect). */
  resumeIfWanted(): void {
    if (this.wanted && this.pauses === 0 && !this.stream && this.camera()?.state === 'ready') this.run();
  }

  /** The next live frame (live view must be running). */
  nextFrame(signal: AbortSignal): Promise<RigFrame> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.frameWaiters.delete(take);
        reject(new DeviceError('aborted', this.camera()?.label ?? 'camera', 'snap aborted'));
      };
      const take = (frame: RigFrame) => {
        signal.removeEventListener('abort', onAbort);
        resolve(frame);
      };
      this.frameWaiters.add(take);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  subscribe(connectionId: number, emit: (frame: RigFrame) => void): () => void {
    const subscriber = { connectionId, emit };
    this.subscribers.add(subscriber);
    clearTimeout(this.unwatchedTimer);
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size > 0 || !this.wanted) return;
      clearTimeout(this.unwatchedTimer);
      this.unwatchedTimer = setTimeout(() => {
        if (this.subscribers.size === 0 && this.wanted) void this.stop();
      }, unwatchedStopMs);
      this.unwatchedTimer.unref();
    };
  }

  acknowledge(connectionId: number, seq: number): void {
    const entry = this.acks.get(connectionId);
    if (entry) entry.acked = Math.max(entry.acked, seq);
    else this.acks.set(connectionId, { acked: seq, sent: seq });
  }

  forgetConnection(connectionId: number): void {
    this.acks.delete(connectionId);
  }

  private run(): void {
    const camera = this.camera();
    if (!camera || camera.state !== 'ready') return;
    const controller = new AbortController();
    this.controller = controller;
    const stream = camera
      .startSequence((frame) => this.deliver(frame), controller.signal)
      .catch((error: unknown) => {
        if (!controller.signal.aborted)
          this.failed(
            error instanceof DeviceError
              ? error
              : new DeviceError('disconnected', camera.label, (error as Error).message),
          );
      })
      .finally(() => {
        if (this.stream === stream) {
          this.stream = undefined;
          this.controller = undefined;
          clearInterval(this.fpsTimer);
          this.changed();
        }
      });
    this.stream = stream;
    clearInterval(this.fpsTimer);
    this.fpsTimer = setInterval(() => (this.stream ? this.changed() : clearInterval(this.fpsTimer)), 1000);
    this.fpsTimer.unref();
  }

  /** Stops the stream; bounded, so a camera that never answers cannot hang the caller. */
  private async halt(): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    this.controller?.abort();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([stream, new Promise<void>((resolve) => (timer = setTimeout(resolve, stopTimeoutMs)))]);
    clearTimeout(timer);
    if (this.stream === stream) {
      this.stream = undefined;
      this.controller = undefined;
    }
    clearInterval(this.fpsTimer);
  }

  private deliver(frame: Parameters<Parameters<Camera['startSequence']>[0]>[0]): void {
    const now = performance.now();
    // A little slack so a camera running exactly at maxFps is not halved by jitter.
    if (now - this.lastEmitAt < 900 / this.maxFps) return;
    if (this.subscribers.size === 0 && this.frameWaiters.size === 0) return;
    this.lastEmitAt = now;
    this.emitted.push(now);
    const view = frameView(frame, ++this.seq, Date.now());
    for (const take of [...this.frameWaiters]) take(view);
    this.frameWaiters.clear();
    for (const subscriber of this.subscribers) {
      const flow = this.acks.get(subscriber.connectionId);
      if (flow) {
        if (flow.sent - flow.acked >= maxAhead) continue;
        flow.sent = view.seq;
      }
      try {
        subscriber.emit(view);
      } catch {
        // One connection's failure (closed mid-send) must not stop the others' frames.
      }
    }
  }
}
