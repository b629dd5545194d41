// Shared part of light-source drivers: channel bookkeeping, `level.<id>` properties and range checks, so
// every controller only says how to send levels and read them back.
import { BaseDevice, checkPropertyValue, type PropertySpec, type PropertyValue } from './device.ts';
import { DeviceError } from './errors.ts';
import type { LightChannelInfo, LightSource } from './kinds.ts';

export abstract class LightSourceBase extends BaseDevice implements LightSource {
  readonly kind = 'light' as const;
  protected readonly channelList: LightChannelInfo[];
  /** Smallest level step the controller can represent, in percent. */
  protected abstract readonly levelStep: number;

  constructor(label: string, timeoutMs: number, channels: LightChannelInfo[]) {
    super(label, timeoutMs);
    if (channels.length === 0) throw new RangeError(`${label}: a light source needs at least one channel`);
    this.channelList = channels;
  }

  /** Sends levels (percent, already validated and rounded to the step) and returns what the device reports. */
  protected abstract sendLevels(levels: Record<string, number>, signal?: AbortSignal): Promise<Record<string, number>>;

  channels(): readonly LightChannelInfo[] {
    return this.channelList;
  }

  properties(): readonly PropertySpec[] {
    return this.channelList.map((c) => ({ name: `level.${c.id}`, type: 'number', unit: '%', min: 0, max: 100 }));
  }

  levels(): Record<string, number> {
    return Object.fromEntries(
      this.channelList.map((c) => [c.id, (this.values.get(`level.${c.id}`) as number | undefined) ?? 0]),
    );
  }

  protected async applyProperty(name: string, value: PropertyValue, signal?: AbortSignal): Promise<void> {
    await this.setLevels({ [name.slice('level.'.length)]: value as number }, signal);
  }

  setLevel(channel: string, percent: number, signal?: AbortSignal): Promise<void> {
    return this.setLevels({ [channel]: percent }, signal);
  }

  async setLevels(levels: Record<string, number>, signal?: AbortSignal): Promise<void> {
    const checked: Record<string, number> = {};
    for (const [channel, percent] of Object.entries(levels)) {
      if (!this.channelList.some((c) => c.id === channel))
        throw new DeviceError(
          'unsupported',
          this.label,
          `has no channel "${channel}" (channels: ${this.channelList.map((c) => c.id).join(', ')})`,
        );
      checkPropertyValue(this.label, this.spec(`level.${channel}`), percent);
      checked[channel] = Math.round(percent / this.levelStep) * this.levelStep;
    }
    this.requireReady();
    this.report(await this.sendLevels(checked, signal));
  }

  allOff(signal?: AbortSignal): Promise<void> {
    return this.setLevels(Object.fromEntries(this.channelList.map((c) => [c.id, 0])), signal);
  }

  protected report(levels: Record<string, number>): void {
    for (const [channel, percent] of Object.entries(levels)) {
      if (this.channelList.some((c) => c.id === channel)) this.updateValue(`level.${channel}`, percent);
    }
  }
}
