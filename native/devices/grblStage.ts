// Stage driver for a GRBL 1.1 controller (focus Z, optional rotation): codec in protocols/grbl.ts, any
// ByteTransport underneath. Every move is a jog ($J=) so stop() is a clean jog cancel (0x85) that leaves no
// queued motion. Positions come from status reports polled with '?'; a status report that stops coming marks
// the device as not responding, a closed port as disconnected.
import { BaseDevice, type PropertySpec, type PropertyValue } from './device.ts';
import { DeviceError } from './errors.ts';
import { Listeners, type Unsubscribe } from '../../electron/base/listeners.ts';
import type { AxisInfo, PositionChange, Stage } from './kinds.ts';
import type { ByteTransport } from '../transport/byteTransport.ts';
import { LineLink, type LineVerdict } from '../transport/lineLink.ts';
import {
  encodeJog,
  GrblParseError,
  grblRealtime,
  parseGrblLine,
  type GrblLine,
  type GrblStatus,
} from '../protocols/grbl.ts';

/**
 * Time a move may take beyond distance ÷ feed (× 1.5) before it counts as stuck: acceleration, deceleration and the
 * status polls that see the stage idle again are not in that estimate, and a reply timeout alone (1 s) made short moves
 * on a busy computer fail as "did not finish" while the stage was merely being polled late.
 */
const motionSettleMs = 2000;

export interface GrblAxisConfig {
  name: string;
  letter: 'X' | 'Y' | 'Z';
  unit: 'mm' | 'deg';
  /** Narrower limits than the controller's travel, in machine coordinates. */
  min?: number;
  max?: number;
  /** Move speed in units per minute. */
  speed: number;
}

export interface GrblStageOptions {
  label: string;
  transport: ByteTransport;
  axes: GrblAxisConfig[];
  timeoutMs?: number;
  /** Status poll period while idle; moves poll faster. */
  pollMs?: number;
}

interface MotionWaiter {
  afterStatus: number;
  resolve(): void;
  reject(error: DeviceError): void;
}

const letterIndex = { X: 0, Y: 1, Z: 2 } as const;

export class GrblStage extends BaseDevice implements Stage {
  readonly kind = 'stage' as const;
  private readonly transport: ByteTransport;
  private readonly axisConfigs: GrblAxisConfig[];
  private readonly pollMs: number;
  private link: LineLink | undefined;
  private axisInfo: AxisInfo[] = [];
  private settings = new Map<number, number>();
  private status: GrblStatus | undefined;
  private statusCount = 0;
  private lastStatusAt = 0;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private waiters = new Set<MotionWaiter>();
  private readonly positionListeners = new Listeners<PositionChange>();
  private cleanup: Unsubscribe[] = [];
  private shuttingDown = false;
  private isHomed = false;

  constructor(options: GrblStageOptions) {
    super(options.label, options.timeoutMs ?? 1000);
    this.transport = options.transport;
    this.axisConfigs = options.axes;
    this.pollMs = options.pollMs ?? 100;
  }

  properties(): readonly PropertySpec[] {
    return [
      { name: 'machineState', type: 'string', readOnly: true },
      { name: 'firmware', type: 'string', readOnly: true },
      ...this.axisConfigs.flatMap((axis): PropertySpec[] => [
        { name: `${axis.name}.position`, type: 'number', unit: axis.unit, readOnly: true },
        {
          name: `${axis.name}.speed`,
          type: 'number',
          unit: `${axis.unit}/min`,
          min: 0.1,
          max: this.settings.get(110 + letterIndex[axis.letter]) ?? 10_000,
        },
      ]),
    ];
  }

  protected async applyProperty(name: string, value: PropertyValue): Promise<void> {
    const axis = this.axisConfigs.find((a) => name === `${a.name}.speed`);
    if (axis) axis.speed = value as number;
  }

  axes(): readonly AxisInfo[] {
    return this.axisInfo;
  }

  positions(): Record<string, number> {
    const mpos = this.status?.mpos ?? [0, 0, 0];
    return Object.fromEntries(this.axisConfigs.map((a) => [a.name, mpos[letterIndex[a.letter]]]));
  }

  busy(): boolean {
    const state = this.status?.state;
    return state === 'Run' || state === 'Jog' || state === 'Home' || this.waiters.size > 0;
  }

  onPositionChanged(listener: (change: PositionChange) => void): Unsubscribe {
    return this.positionListeners.add(listener);
  }

  async initialize(signal?: AbortSignal): Promise<void> {
    await this.shutdown();
    this.shuttingDown = false;
    this.isHomed = false; // the soft reset below forgets the machine position
    this.setState('connecting');
    try {
      await this.transport.open();
      const link = new LineLink(this.transport, { device: this.label, timeoutMs: this.timeoutMs });
      this.link = link;
      this.cleanup.push(
        () => link.dispose(),
        link.onUnsolicited((line) => this.observe(line)),
        this.transport.onClose((error) =>
          this.lost(new DeviceError('disconnected', this.label, error ? error.message : 'port closed')),
        ),
      );
      // Soft reset gives a known state and a banner that proves a GRBL is listening.
      const version = await link.exchange(
        '\x18',
        (line) => {
          const parsed = this.parse(line);
          return parsed?.kind === 'banner' ? { done: parsed.version } : 'skip';
        },
        { signal },
      );
      if (!version.startsWith('1.1'))
        throw new DeviceError('unsupported', this.label, `expected GRBL 1.1, found ${version}`);
      this.updateValue('firmware', `Grbl ${version}`);
      this.settings = new Map();
      await link.exchange(
        '$$\n',
        (line) => {
          const parsed = this.parse(line);
          if (parsed?.kind === 'setting') {
            this.settings.set(parsed.id, parsed.value);
            return 'more';
          }
          return this.okOrError(parsed, '$$');
        },
        { signal },
      );
      this.axisInfo = this.axisConfigs.map((axis) => this.limitsOf(axis));
      await link.exchange('?', (line) => (this.parse(line)?.kind === 'status' ? { done: undefined } : 'skip'), {
        signal,
      });
      this.observe(this.lastStatusLine!);
      this.startPolling();
      this.setState('ready');
    } catch (error) {
      throw await this.initializeFailed(error);
    }
  }

  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    for (const undo of this.cleanup.splice(0)) undo();
    this.rejectWaiters(new DeviceError('aborted', this.label, 'device shut down'));
    this.link = undefined;
    await this.transport.close().catch(() => undefined);
    if (this.state !== 'error') this.setState('disconnected');
  }

  async moveTo(axisName: string, position: number, signal?: AbortSignal): Promise<void> {
    const axis = this.axis(axisName);
    this.checkTarget(axis, position);
    await this.jog({ mode: 'absolute', axes: { [axis.letter]: position }, feed: axis.speed }, signal);
  }

  async moveBy(axisName: string, delta: number, signal?: AbortSignal): Promise<void> {
    const axis = this.axis(axisName);
    if (!Number.isFinite(delta))
      throw new DeviceError('out-of-range', this.label, `${axisName} step must be a finite number`);
    this.checkTarget(axis, this.positions()[axis.name] + delta);
    await this.jog({ mode: 'relative', axes: { [axis.letter]: delta }, feed: axis.speed }, signal);
  }

  async home(signal?: AbortSignal): Promise<void> {
    const link = this.readyLink();
    const seek = this.settings.get(25) ?? 500;
    const travel = Math.max(...[130, 131, 132].map((id) => this.settings.get(id) ?? 0));
    const timeoutMs = (travel / seek) * 60_000 * 1.5 + this.timeoutMs;
    this.isHomed = false;
    await link.exchange('$H\n', (line) => this.okOrError(this.parse(line), '$H'), { signal, timeoutMs });
    await this.waitIdle(signal, this.timeoutMs);
    this.isHomed = true;
    this.positionListeners.emit({ device: this.label, positions: this.positions(), moving: this.busy() });
  }

  homed(): boolean {
    return this.isHomed;
  }

  /** Clears an alarm without homing ($X); positions may be wrong afterwards, as GRBL warns. */
  async unlock(signal?: AbortSignal): Promise<void> {
    const link = this.readyLink();
    await link.exchange('$X\n', (line) => this.okOrError(this.parse(line), '$X'), { signal });
  }

  /** Sends one raw G-code or $ line (service console). Motion limits are the controller's own. */
  async command(line: string, signal?: AbortSignal): Promise<void> {
    if (!/^[\x20-\x7e]{1,70}$/.test(line))
      throw new DeviceError('out-of-range', this.label, 'a GRBL line is 1–70 printable ASCII characters');
    const link = this.readyLink();
    await link.exchange(`${line}\n`, (reply) => this.okOrError(this.parse(reply), line), { signal });
  }

  async stop(): Promise<void> {
    const link = this.link;
    if (!link || !this.transport.isOpen) return;
    await link.writeRaw(Uint8Array.of(grblRealtime.jogCancel));
  }

  private async jog(target: Parameters<typeof encodeJog>[0], signal?: AbortSignal): Promise<void> {
    const link = this.readyLink();
    if (this.status?.state === 'Alarm')
      throw new DeviceError(
        'alarm',
        this.label,
        'the controller is in alarm: home the stage (or unlock) before moving',
      );
    const line = encodeJog(target);
    await link.exchange(line, (reply) => this.okOrError(this.parse(reply), line.trim()), { signal });
    const mpos = this.status?.mpos ?? [0, 0, 0];
    const distance = Math.max(
      ...(Object.entries(target.axes) as [keyof typeof letterIndex, number][]).map(([letter, v]) =>
        Math.abs(target.mode === 'absolute' ? v - mpos[letterIndex[letter]] : v),
      ),
    );
    const estimateMs = (distance / target.feed) * 60_000 * 1.5;
    await this.waitIdle(signal, estimateMs + motionSettleMs + this.timeoutMs);
  }

  private waitIdle(signal: AbortSignal | undefined, timeoutMs: number): Promise<void> {
    this.schedulePoll(20);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => done(new DeviceError('timeout', this.label, `motion did not finish within ${Math.round(timeoutMs)} ms`)),
        timeoutMs,
      );
      const onAbort = () => {
        this.stop().catch(() => undefined);
        done(new DeviceError('aborted', this.label, 'move aborted; stage stopped'));
      };
      const done = (error?: DeviceError) => {
        if (!this.waiters.delete(waiter)) return;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (this.waiters.size === 0) this.schedulePoll(this.pollMs);
        if (error) reject(error);
        else resolve();
      };
      const waiter: MotionWaiter = {
        afterStatus: this.statusCount,
        resolve: () => done(),
        reject: (error) => done(error),
      };
      this.waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) onAbort();
    });
  }

  private lastStatusLine: string | undefined;

  private parse(line: string): GrblLine | undefined {
    try {
      const parsed = parseGrblLine(line);
      if (parsed.kind === 'status') this.lastStatusLine = line;
      return parsed;
    } catch (error) {
      if (error instanceof GrblParseError) return undefined; // printable garbage: skipped like any other
      throw error;
    }
  }

  private okOrError(parsed: GrblLine | undefined, command: string): LineVerdict<void> {
    if (parsed?.kind === 'ok') return { done: undefined };
    if (parsed?.kind === 'error')
      return {
        fail: new DeviceError(
          'device-error',
          this.label,
          `GRBL refused ${JSON.stringify(command)}: error:${parsed.code} ${parsed.message}`,
          { grblError: parsed.code },
        ),
      };
    if (parsed?.kind === 'alarm') {
      this.alarm(parsed);
      return { fail: this.alarmError(parsed) };
    }
    return 'skip';
  }

  private alarmError(parsed: { code: number; message: string }): DeviceError {
    return new DeviceError('alarm', this.label, `ALARM:${parsed.code} ${parsed.message}`, { grblAlarm: parsed.code });
  }

  private alarm(parsed: { code: number; message: string }): void {
    const error = this.alarmError(parsed);
    this.isHomed = false; // GRBL no longer trusts its position after an alarm
    this.rejectWaiters(error);
    this.updateValue('machineState', 'Alarm');
    this.setState(this.state, error);
  }

  private observe(line: string): void {
    const parsed = this.parse(line);
    if (parsed?.kind === 'alarm') return this.alarm(parsed);
    if (parsed?.kind !== 'status') return;
    const status = parsed.status;
    const previous = this.positions();
    const wasMoving = this.busy();
    this.status = status;
    this.statusCount++;
    this.lastStatusAt = Date.now();
    if (this.state === 'error' && !this.shuttingDown) this.setState('ready');
    this.updateValue('machineState', status.state);
    const positions = this.positions();
    for (const [axis, value] of Object.entries(positions)) this.updateValue(`${axis}.position`, value);
    if (status.state === 'Idle' || status.state === 'Alarm') {
      for (const waiter of [...this.waiters]) if (this.statusCount > waiter.afterStatus) waiter.resolve();
    }
    const moving = this.busy();
    if (moving !== wasMoving || Object.keys(positions).some((k) => positions[k] !== previous[k])) {
      this.positionListeners.emit({ device: this.label, positions, moving });
    }
  }

  private startPolling(): void {
    this.lastStatusAt = Date.now();
    this.schedulePoll(this.pollMs);
  }

  private schedulePoll(periodMs: number): void {
    if (!this.link || this.shuttingDown) return;
    clearInterval(this.pollTimer);
    let lastTickAt = Date.now();
    this.pollTimer = setInterval(() => {
      const link = this.link;
      if (!link) return;
      link.writeRaw(Uint8Array.of(grblRealtime.statusQuery)).catch(() => undefined);
      const now = Date.now();
      // If this process itself was stalled (busy event loop), the replies may still wait unread: our stall is
      // not the controller's silence, so it gets a fresh window instead of being declared dead.
      if (now - lastTickAt > Math.max(3 * periodMs, this.timeoutMs / 2)) this.lastStatusAt = now;
      lastTickAt = now;
      const silentMs = now - this.lastStatusAt;
      if (silentMs > Math.max(this.timeoutMs, 3 * this.pollMs) && this.state === 'ready') {
        const error = new DeviceError(
          'timeout',
          this.label,
          `no status report for ${silentMs} ms: controller not responding`,
        );
        this.rejectWaiters(error);
        this.setState('error', error);
      }
    }, periodMs);
  }

  private lost(error: DeviceError): void {
    if (this.shuttingDown) return;
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    this.rejectWaiters(error);
    this.setState('disconnected', error);
  }

  private rejectWaiters(error: DeviceError): void {
    for (const waiter of [...this.waiters]) waiter.reject(error);
  }

  private readyLink(): LineLink {
    this.requireReady();
    return this.link!;
  }

  private axis(name: string): GrblAxisConfig {
    const axis = this.axisConfigs.find((a) => a.name === name);
    if (!axis)
      throw new DeviceError(
        'unsupported',
        this.label,
        `has no axis "${name}" (axes: ${this.axisConfigs.map((a) => a.name).join(', ')})`,
      );
    return axis;
  }

  private limitsOf(axis: GrblAxisConfig): AxisInfo {
    const travel = this.settings.get(130 + letterIndex[axis.letter]);
    const softLimits = this.settings.get(20) === 1;
    let min = axis.min ?? -Infinity;
    let max = axis.max ?? Infinity;
    if (softLimits && travel !== undefined) {
      min = Math.max(min, -travel);
      max = Math.min(max, 0);
    }
    if (!Number.isFinite(min) || !Number.isFinite(max))
      throw new DeviceError(
        'unsupported',
        this.label,
        `axis ${axis.name} has no limits: enable soft limits ($20=1) or set min/max in the rig profile`,
      );
    return { name: axis.name, unit: axis.unit, min, max };
  }

  private checkTarget(axis: GrblAxisConfig, target: number): void {
    const info = this.axisInfo.find((a) => a.name === axis.name);
    if (!info)
      throw new DeviceError('not-initialized', this.label, 'limits are unknown until the stage is initialized');
    if (!Number.isFinite(target) || target < info.min - 1e-9 || target > info.max + 1e-9) {
      throw new DeviceError(
        'out-of-range',
        this.label,
        `${axis.name} target ${target} ${axis.unit} is outside ${info.min}..${info.max} ${axis.unit}`,
        { axis: axis.name, target, min: info.min, max: info.max },
      );
    }
  }
}
