// Frames per second over a sliding window of frame times, so the readout settles within a second and does
// not jump with each frame's jitter.
export class FpsMeter {
  private readonly times: number[] = [];
  private readonly windowMs: number;

  constructor(windowMs = 1000) {
    this.windowMs = windowMs;
  }

  tick(now: number): void {
    this.times.push(now);
    while (this.times.length > 0 && now - this.times[0]! > this.windowMs) this.times.shift();
  }

  /** Frames per second at `now`; 0 when fewer than two frames fell in the window. */
  rate(now: number): number {
    while (this.times.length > 0 && now - this.times[0]! > this.windowMs) this.times.shift();
    if (this.times.length < 2) return 0;
    const span = this.times[this.times.length - 1]! - this.times[0]!;
    return span > 0 ? ((this.times.length - 1) * 1000) / span : 0;
  }
}
