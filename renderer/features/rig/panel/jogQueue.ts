// Jogs for one stage go out one at a time (a stage that is still travelling must not receive a pile of moves),
// but a key pressed meanwhile is not lost: presses during a move add up into one follow-up move, sent when the
// current one has finished and clamped to the limits as they stand then. A failed move drops what was queued.

export interface JogRequest {
  axis: string;
  delta: number;
}

export class JogQueue {
  private readonly send: (request: JogRequest) => Promise<boolean>;
  private readonly clamp: (request: JogRequest) => number;
  private busy = false;
  private queued: JogRequest | null = null;

  /** `clamp` turns a request into the delta actually sent (0 = nothing to do, e.g. already at the limit). */
  constructor(send: (request: JogRequest) => Promise<boolean>, clamp: (request: JogRequest) => number) {
    this.send = send;
    this.clamp = clamp;
  }

  get moving(): boolean {
    return this.busy;
  }

  async jog(request: JogRequest): Promise<void> {
    if (this.busy) {
      // Same axis: add up; another axis: the newest request wins (a move is along one axis).
      this.queued =
        this.queued && this.queued.axis === request.axis
          ? { axis: request.axis, delta: this.queued.delta + request.delta }
          : request;
      return;
    }
    this.busy = true;
    try {
      let next: JogRequest | null = request;
      while (next) {
        const delta = this.clamp(next);
        if (Math.abs(delta) > 1e-9 && !(await this.send({ axis: next.axis, delta }))) {
          this.queued = null;
          break;
        }
        next = this.queued;
        this.queued = null;
      }
    } finally {
      this.busy = false;
    }
  }

  /** Forget queued presses (Stop). */
  clear(): void {
    this.queued = null;
  }
}
