// Request/reply over a line-oriented ASCII protocol (GRBL, CoolLED). One exchange at a time; each exchange
// decides which incoming lines belong to it, everything else goes to the unsolicited listeners (status
// reports, alarms, banners). Garbage (non-printable bytes, over-long lines) is reported and skipped up to the
// next line end, which is how the link resynchronises; after a failed exchange the link waits for a short
// quiet spell so a late reply is not taken as the answer to the next command.
import { DeviceError } from '../devices/errors.ts';
import { deviceTimer, type DeviceTimer } from './deviceTimer.ts';
import { Listeners, type Unsubscribe } from '../../electron/base/listeners.ts';
import type { ByteTransport } from './byteTransport.ts';

export interface LineLinkOptions {
  device: string;
  timeoutMs: number;
  maxLineLength?: number;
  /** Quiet time required after a failed exchange before the next one starts. */
  drainMs?: number;
}

/** What an exchange does with a line: finish with a value, fail, take it and keep waiting, or leave it. */
export type LineVerdict<T> = { done: T } | { fail: DeviceError } | 'more' | 'skip';

interface Pending {
  accept(line: string): boolean;
  fail(error: DeviceError): void;
  garbage: string | undefined;
}

const encoder = new TextEncoder();

export class LineLink {
  private readonly transport: ByteTransport;
  private readonly options: Required<LineLinkOptions>;
  private readonly lineListeners = new Listeners<string>();
  private readonly garbageListeners = new Listeners<DeviceError>();
  private buffer: number[] = [];
  private discarding = false;
  private inGarbage = false;
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private lastByteAt = 0;
  private needsDrain = false;
  private readonly unsubscribers: Unsubscribe[] = [];

  constructor(transport: ByteTransport, options: LineLinkOptions) {
    this.transport = transport;
    this.options = { maxLineLength: 256, drainMs: 30, ...options };
    this.unsubscribers.push(transport.onData((bytes) => this.receive(bytes)));
    this.unsubscribers.push(
      transport.onClose((error) => {
        this.buffer = [];
        this.pending?.fail(new DeviceError('disconnected', this.options.device, error ? error.message : 'port closed'));
      }),
    );
  }

  dispose(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
  }

  /** Lines no exchange claimed: status reports, alarms, banners. */
  onUnsolicited(listener: (line: string) => void): Unsubscribe {
    return this.lineListeners.add(listener);
  }

  /** Garbage skipped while resynchronising (reported even when no exchange is waiting). */
  onGarbage(listener: (error: DeviceError) => void): Unsubscribe {
    return this.garbageListeners.add(listener);
  }

  /** Writes bytes outside the exchange queue (GRBL real-time commands). */
  async writeRaw(bytes: Uint8Array): Promise<void> {
    if (!this.transport.isOpen)
      throw new DeviceError('disconnected', this.options.device, `${this.transport.address} is not open`);
    await this.transport.write(bytes);
  }

  /**
   * Sends `command` (terminator included by the caller) and feeds each following line to `judge` until it
   * returns done or fail, the timeout passes, the transport closes or the signal aborts.
   */
  exchange<T>(
    command: string,
    judge: (line: string) => LineVerdict<T>,
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<T> {
    const run = () => this.runExchange(command, judge, options);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runExchange<T>(
    command: string,
    judge: (line: string) => LineVerdict<T>,
    options: { signal?: AbortSignal; timeoutMs?: number },
  ): Promise<T> {
    const device = this.options.device;
    if (options.signal?.aborted)
      throw new DeviceError('aborted', device, `${command.trim()} aborted before it was sent`);
    if (this.needsDrain) await this.drain();
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    try {
      return await new Promise<T>((resolve, reject) => {
        // Assigned once below, but `finish` (declared first) must be able to clear it.
        // eslint-disable-next-line prefer-const
        let timer: DeviceTimer | undefined;
        const finish = (action: () => void) => {
          if (this.pending !== pending) return;
          this.pending = undefined;
          timer?.cancel();
          options.signal?.removeEventListener('abort', onAbort);
          action();
        };
        const pending: Pending = {
          garbage: undefined,
          accept: (line) => {
            const verdict = judge(line);
            if (verdict === 'skip') return false;
            if (verdict === 'more') return true;
            if ('done' in verdict) finish(() => resolve(verdict.done));
            else finish(() => reject(verdict.fail));
            return true;
          },
          fail: (error) => finish(() => reject(error)),
        };
        const onAbort = () => pending.fail(new DeviceError('aborted', device, `${command.trim()} aborted`));
        this.pending = pending;
        options.signal?.addEventListener('abort', onAbort, { once: true });
        timer = deviceTimer(timeoutMs, () => {
          pending.fail(
            pending.garbage !== undefined
              ? new DeviceError(
                  'protocol',
                  device,
                  `garbled reply to ${JSON.stringify(command.trim())}: ${JSON.stringify(pending.garbage)}`,
                  { garbage: pending.garbage },
                )
              : new DeviceError(
                  'timeout',
                  device,
                  `no reply to ${JSON.stringify(command.trim())} within ${timeoutMs} ms`,
                  { timeoutMs },
                ),
          );
        });
        this.writeRaw(encoder.encode(command)).catch((error: unknown) =>
          pending.fail(
            error instanceof DeviceError
              ? error
              : new DeviceError('disconnected', device, `write failed: ${(error as Error).message}`),
          ),
        );
      });
    } catch (error) {
      if (!(error instanceof DeviceError && error.code === 'disconnected')) this.needsDrain = true;
      throw error;
    }
  }

  private async drain(): Promise<void> {
    const { drainMs, timeoutMs } = this.options;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() - this.lastByteAt < drainMs && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, drainMs));
    this.buffer = [];
    this.discarding = false;
    this.needsDrain = false;
  }

  private receive(bytes: Uint8Array): void {
    this.lastByteAt = Date.now();
    for (const byte of bytes) {
      if (byte >= 0x20 && byte <= 0x7e) this.inGarbage = false;
      if (byte === 0x0a || byte === 0x0d) {
        if (this.discarding) this.discarding = false;
        else if (this.buffer.length > 0) this.line(this.buffer);
        this.buffer = [];
      } else if (this.discarding) {
        continue;
      } else if (byte < 0x20 || byte > 0x7e) {
        // Drop the damaged partial line and the byte, but keep reading: the next reply may follow at once.
        if (!this.inGarbage)
          this.reportGarbage(
            `non-printable byte 0x${byte.toString(16).padStart(2, '0')} after ${JSON.stringify(String.fromCharCode(...this.buffer))}`,
            false,
          );
        this.inGarbage = true;
        this.buffer = [];
        continue;
      } else if (this.buffer.length >= this.options.maxLineLength) {
        this.reportGarbage(`line longer than ${this.options.maxLineLength} characters`, true);
      } else {
        this.buffer.push(byte);
      }
    }
  }

  private reportGarbage(what: string, skipRestOfLine: boolean): void {
    this.buffer = [];
    this.discarding = skipRestOfLine;
    if (this.pending) this.pending.garbage = what;
    this.garbageListeners.emit(new DeviceError('protocol', this.options.device, `garbage on the line: ${what}`));
  }

  private line(bytes: number[]): void {
    const text = String.fromCharCode(...bytes);
    if (this.pending?.accept(text)) return;
    this.lineListeners.emit(text);
  }
}
