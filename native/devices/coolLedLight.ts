// Driver for a CoolLED pE-4000 (four channels A–D), codec in protocols/coolLed.ts. Every state-changing
// command is answered with the CSS status line, which is what the driver believes (not what it sent).
import { DeviceError } from './errors.ts';
import type { LightChannelInfo } from './kinds.ts';
import { LightSourceBase } from './lightSource.ts';
import type { ByteTransport } from '../transport/byteTransport.ts';
import { LineLink, type LineVerdict } from '../transport/lineLink.ts';
import {
  CoolLedParseError,
  coolLedModelQuery,
  coolLedStatusQuery,
  encodeSetIntensity,
  encodeSwitch,
  parseChannelStatus,
  type CoolLedChannelState,
} from '../protocols/coolLed.ts';
import type { Unsubscribe } from '../../electron/base/listeners.ts';

export interface CoolLedOptions {
  label: string;
  transport: ByteTransport;
  /** Channel letters in use with their names, e.g. [{ id: 'A', name: 'coaxial' }]. */
  channels: LightChannelInfo[];
  timeoutMs?: number;
}

export class CoolLedLight extends LightSourceBase {
  protected readonly levelStep = 1;
  private readonly transport: ByteTransport;
  private link: LineLink | undefined;
  private cleanup: Unsubscribe[] = [];
  private shuttingDown = false;
  private pendingCommands = 0;

  constructor(options: CoolLedOptions) {
    super(options.label, options.timeoutMs ?? 500, options.channels);
    for (const c of options.channels)
      if (!/^[A-D]$/.test(c.id)) throw new RangeError(`${options.label}: pE-4000 channels are A–D, not "${c.id}"`);
    this.transport = options.transport;
  }

  busy(): boolean {
    return this.pendingCommands > 0;
  }

  async initialize(signal?: AbortSignal): Promise<void> {
    await this.shutdown();
    this.shuttingDown = false;
    this.setState('connecting');
    try {
      await this.transport.open();
      const link = new LineLink(this.transport, { device: this.label, timeoutMs: this.timeoutMs });
      this.link = link;
      this.cleanup.push(
        () => link.dispose(),
        this.transport.onClose((error) => {
          if (!this.shuttingDown)
            this.setState(
              'disconnected',
              new DeviceError('disconnected', this.label, error ? error.message : 'port closed'),
            );
        }),
      );
      const model = await link.exchange(
        coolLedModelQuery,
        (line) => (line.startsWith('XMODEL') ? { done: line } : 'skip'),
        { signal },
      );
      if (!model.includes('pE-4000'))
        throw new DeviceError(
          'unsupported',
          this.label,
          `expected a CoolLED pE-4000, the controller says ${JSON.stringify(model)}`,
        );
      this.apply(await this.status(coolLedStatusQuery, signal));
      this.setState('ready');
    } catch (error) {
      throw await this.initializeFailed(error);
    }
  }

  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    for (const undo of this.cleanup.splice(0)) undo();
    this.link = undefined;
    await this.transport.close().catch(() => undefined);
    if (this.state !== 'error') this.setState('disconnected');
  }

  protected async sendLevels(levels: Record<string, number>, signal?: AbortSignal): Promise<Record<string, number>> {
    this.pendingCommands++;
    try {
      let states: CoolLedChannelState[] = [];
      for (const [channel, percent] of Object.entries(levels)) {
        if (percent > 0) states = await this.status(encodeSetIntensity(channel, percent), signal);
        states = await this.status(encodeSwitch(channel, percent > 0), signal);
        const reported = states.find((s) => s.channel === channel);
        if (
          !reported ||
          (percent > 0 && (reported.intensity !== percent || !reported.on)) ||
          (percent === 0 && reported.on)
        ) {
          throw new DeviceError(
            'protocol',
            this.label,
            `channel ${channel} reports ${JSON.stringify(reported)} after being set to ${percent} %`,
          );
        }
      }
      return this.toLevels(states);
    } finally {
      this.pendingCommands--;
    }
  }

  private apply(states: CoolLedChannelState[]): void {
    this.report(this.toLevels(states));
  }

  private toLevels(states: CoolLedChannelState[]): Record<string, number> {
    return Object.fromEntries(states.map((s) => [s.channel, s.on ? s.intensity : 0]));
  }

  private status(command: string, signal?: AbortSignal): Promise<CoolLedChannelState[]> {
    const link = this.link;
    if (!link) throw new DeviceError('disconnected', this.label, 'not connected');
    return link.exchange(
      command,
      (line): LineVerdict<CoolLedChannelState[]> => {
        if (line.startsWith('ERROR'))
          return {
            fail: new DeviceError(
              'device-error',
              this.label,
              `pE-4000 rejected ${JSON.stringify(command.trim())}: ${line}`,
            ),
          };
        if (!line.startsWith('CSS')) return 'skip';
        try {
          return { done: parseChannelStatus(line) };
        } catch (error) {
          if (error instanceof CoolLedParseError)
            return { fail: new DeviceError('protocol', this.label, error.message) };
          throw error;
        }
      },
      { signal },
    );
  }
}
