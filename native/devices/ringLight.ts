// Driver for the Casebench ring-light controller (docs/protocols/casebench-ring.md). Requests carry a sequence
// number and replies are matched by it, so a late or duplicated reply can never be taken for another. A frame
// damaged on the way in either direction (checksum), or a reply that does not come in time, is retried once, as
// serial drivers for lab controllers do: every command sets or reads absolute state, so sending it again is safe,
// and the retry's new sequence number keeps a late answer to the first from being taken for the second. Each retry
// is written to the host's log and counted, so a controller that often needs one is seen.
import { DeviceError } from './errors.ts';
import type { Unsubscribe } from '../../electron/base/listeners.ts';
import type { Log } from '../../electron/base/log.ts';
import { LightSourceBase } from './lightSource.ts';
import type { ByteTransport } from '../transport/byteTransport.ts';
import { deviceTimer } from '../transport/deviceTimer.ts';
import {
  RingDecoder,
  decodeHello,
  decodeLevels,
  encodeRingFrame,
  encodeSetLevels,
  ringCommands,
  ringErrorCodes,
  ringMaxLevel,
  type RingFrame,
} from '../protocols/casebenchRing.ts';

export interface RingLightOptions {
  label: string;
  transport: ByteTransport;
  /** Names of the segments, index 0 first; must match the controller's segment count. */
  segmentNames?: string[];
  segments: number;
  timeoutMs?: number;
  /** Where retries are reported (the host's log); silent when absent. */
  log?: Log;
}

interface Pending {
  seq: number;
  /** Bytes were dropped while this request waited: its reply was probably damaged. */
  garbled: boolean;
  resolve(frame: RingFrame): void;
  reject(error: DeviceError): void;
}

export class RingLight extends LightSourceBase {
  protected readonly levelStep = 100 / ringMaxLevel;
  private readonly transport: ByteTransport;
  private readonly decoder = new RingDecoder();
  private seq = 0;
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private cleanup: Unsubscribe[] = [];
  private shuttingDown = false;
  private readonly log: Log;
  /** Resynchronisation events since initialize (bad checksums, stray bytes); shown as a diagnostic. */
  resyncCount = 0;
  /** Commands sent a second time (damaged or missing reply) since the driver was made. */
  retryCount = 0;

  constructor(options: RingLightOptions) {
    super(
      options.label,
      options.timeoutMs ?? 300,
      Array.from({ length: options.segments }, (_, i) => ({
        id: String(i),
        name: options.segmentNames?.[i] ?? `segment ${i + 1}`,
      })),
    );
    this.transport = options.transport;
    this.log = options.log ?? (() => undefined);
  }

  busy(): boolean {
    return this.pending !== undefined;
  }

  async initialize(signal?: AbortSignal): Promise<void> {
    await this.shutdown();
    this.shuttingDown = false;
    this.setState('connecting');
    try {
      await this.transport.open();
      this.decoder.reset();
      this.cleanup.push(
        this.transport.onData((bytes) => this.receive(bytes)),
        this.transport.onClose((error) => {
          const failure = new DeviceError('disconnected', this.label, error ? error.message : 'port closed');
          this.pending?.reject(failure);
          if (!this.shuttingDown) this.setState('disconnected', failure);
        }),
      );
      const hello = decodeHello((await this.request(ringCommands.hello, new Uint8Array(0), signal)).payload);
      if (hello.protocolVersion !== 1)
        throw new DeviceError(
          'unsupported',
          this.label,
          `ring protocol version ${hello.protocolVersion} is not supported (expected 1)`,
        );
      if (hello.segments !== this.channelList.length)
        throw new DeviceError(
          'unsupported',
          this.label,
          `controller has ${hello.segments} segments, the rig profile says ${this.channelList.length}`,
        );
      this.report(
        this.toPercent(decodeLevels((await this.request(ringCommands.getLevels, new Uint8Array(0), signal)).payload)),
      );
      this.updateValue('firmware', hello.firmware);
      this.setState('ready');
    } catch (error) {
      throw await this.initializeFailed(error);
    }
  }

  override properties() {
    return [...super.properties(), { name: 'firmware', type: 'string' as const, readOnly: true }];
  }

  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    for (const undo of this.cleanup.splice(0)) undo();
    this.pending?.reject(new DeviceError('aborted', this.label, 'device shut down'));
    await this.transport.close().catch(() => undefined);
    if (this.state !== 'error') this.setState('disconnected');
  }

  protected async sendLevels(levels: Record<string, number>, signal?: AbortSignal): Promise<Record<string, number>> {
    // One SET_LEVELS frame for the contiguous span that changes; others keep their current level.
    const indices = Object.keys(levels).map(Number);
    const first = Math.min(...indices);
    const last = Math.max(...indices);
    const current = this.levels();
    const span = Array.from({ length: last - first + 1 }, (_, k) =>
      Math.round(((levels[String(first + k)] ?? current[String(first + k)]) * ringMaxLevel) / 100),
    );
    const reply = await this.request(ringCommands.setLevels, encodeSetLevels(first, span), signal);
    return this.toPercent(decodeLevels(reply.payload));
  }

  private toPercent(levels: number[]): Record<string, number> {
    return Object.fromEntries(levels.map((level, i) => [String(i), (level * 100) / ringMaxLevel]));
  }

  private request(cmd: number, payload: Uint8Array, signal?: AbortSignal): Promise<RingFrame> {
    const run = async () => {
      try {
        return await this.attempt(cmd, payload, signal);
      } catch (error) {
        if (!(error instanceof DeviceError) || (error.code !== 'protocol' && error.code !== 'timeout')) throw error;
        this.retryCount++;
        this.log('warn', `${error.message}; sending the command once more`, {
          device: this.label,
          command: cmd,
          failure: error.code,
          retries: this.retryCount,
        });
        return this.attempt(cmd, payload, signal);
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private attempt(cmd: number, payload: Uint8Array, signal?: AbortSignal): Promise<RingFrame> {
    if (signal?.aborted) return Promise.reject(new DeviceError('aborted', this.label, 'aborted before sending'));
    if (!this.transport.isOpen)
      return Promise.reject(new DeviceError('disconnected', this.label, `${this.transport.address} is not open`));
    this.seq = (this.seq + 1) & 0xff;
    const seq = this.seq;
    return new Promise<RingFrame>((resolve, reject) => {
      const timer = deviceTimer(this.timeoutMs, () =>
        finish(
          entry.garbled
            ? new DeviceError('protocol', this.label, `reply to command 0x${cmd.toString(16)} arrived damaged`)
            : new DeviceError(
                'timeout',
                this.label,
                `no reply to command 0x${cmd.toString(16)} within ${this.timeoutMs} ms`,
              ),
        ),
      );
      const onAbort = () => finish(new DeviceError('aborted', this.label, 'aborted'));
      const finish = (outcome: RingFrame | DeviceError) => {
        if (this.pending !== entry) return;
        this.pending = undefined;
        timer.cancel();
        signal?.removeEventListener('abort', onAbort);
        if (outcome instanceof DeviceError) reject(outcome);
        else if (outcome.cmd === (ringCommands.error | 0x80)) {
          const code = outcome.payload[0];
          const message = ringErrorCodes[code] ?? `error ${code}`;
          reject(
            new DeviceError(
              code === 1 ? 'protocol' : 'device-error',
              this.label,
              `ring controller refused command 0x${cmd.toString(16)}: ${message}`,
              { ringError: code },
            ),
          );
        } else if (outcome.cmd !== (cmd | 0x80))
          reject(
            new DeviceError(
              'protocol',
              this.label,
              `reply 0x${outcome.cmd.toString(16)} does not answer command 0x${cmd.toString(16)}`,
            ),
          );
        else resolve(outcome);
      };
      const entry: Pending = {
        seq,
        garbled: false,
        resolve: (frame) => finish(frame),
        reject: (error) => finish(error),
      };
      this.pending = entry;
      signal?.addEventListener('abort', onAbort, { once: true });
      this.transport
        .write(encodeRingFrame({ seq, cmd, payload }))
        .catch((error: Error) => finish(new DeviceError('disconnected', this.label, `write failed: ${error.message}`)));
    });
  }

  private receive(bytes: Uint8Array): void {
    for (const event of this.decoder.push(bytes)) {
      if ('error' in event) {
        this.resyncCount++;
        if (this.pending) {
          this.pending.garbled = true;
          if (event.error.startsWith('checksum'))
            this.pending.reject(new DeviceError('protocol', this.label, `damaged reply: ${event.error}`));
        }
        continue;
      }
      const frame = event.frame;
      // The controller answers a frame it could not read with seq 0 and "bad checksum": our request was damaged.
      if (frame.seq === 0 && frame.cmd === (ringCommands.error | 0x80) && frame.payload[0] === 1) {
        this.pending?.reject(
          new DeviceError('protocol', this.label, 'controller received a damaged frame (bad checksum)'),
        );
      } else if (this.pending && frame.seq === this.pending.seq) {
        this.pending.resolve(frame);
      } // else: a late reply to a request that already timed out; dropped.
    }
  }
}
