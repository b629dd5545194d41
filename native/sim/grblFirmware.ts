// A model of GRBL 1.1 firmware for the focus/rotation stage simulator: line protocol, real-time bytes, alarm
// lock at power-up (homing enabled), homing, jogs and G0/G1 moves at finite speed, feed hold/resume, soft
// limits (error:15 for jogs, ALARM:2 for G-code), soft reset. Pure: bytes in via receive(), time via tick(),
// bytes out through `send`. Axes travel from -max_travel to 0 in machine coordinates, as on a homed GRBL.
import { grblRealtime } from '../protocols/grbl.ts';

const axisLetters = ['X', 'Y', 'Z'] as const;
type Axis = 0 | 1 | 2;

export interface GrblFirmwareConfig {
  /** $130..$132 mm */
  maxTravel: [number, number, number];
  /** $110..$112 mm/min */
  maxRate: [number, number, number];
  /** $27 mm */
  homingPullOff: number;
  /** $25 mm/min */
  homingSeekRate: number;
  softLimits: boolean;
  homingEnabled: boolean;
}

export const defaultGrblConfig: GrblFirmwareConfig = {
  maxTravel: [360, 360, 10],
  maxRate: [3600, 3600, 300],
  homingPullOff: 1,
  homingSeekRate: 600,
  softLimits: true,
  homingEnabled: true,
};

interface Motion {
  target: number[];
  /** mm/min along the path */
  feed: number;
  kind: 'jog' | 'run' | 'home';
}

export class GrblFirmware {
  readonly config: GrblFirmwareConfig;
  position = [0, 0, 0];
  state: 'Idle' | 'Run' | 'Hold' | 'Jog' | 'Alarm' | 'Home' = 'Alarm';
  private holdComplete = false;
  private motions: Motion[] = [];
  private lastTick = 0;
  private line = '';
  private absolute = true;
  private feed = 0;
  /** A pending reply withheld until motion completes ($H answers ok only when homed). */
  private okWhenIdle = false;
  private readonly send: (text: string) => void;

  constructor(send: (text: string) => void, config: GrblFirmwareConfig = defaultGrblConfig, now = 0) {
    this.send = send;
    this.config = config;
    this.lastTick = now;
    if (!config.homingEnabled) this.state = 'Idle';
  }

  /** Power-up / reset greeting. */
  boot(): void {
    this.send("\r\nGrbl 1.1h ['$' for help]\r\n");
    if (this.state === 'Alarm') this.send("[MSG:'$H'|'$X' to unlock]\r\n");
  }

  get moving(): boolean {
    return this.motions.length > 0 && this.state !== 'Hold';
  }

  receive(bytes: Uint8Array, now: number): void {
    this.tick(now);
    for (const byte of bytes) {
      if (byte === grblRealtime.statusQuery) this.send(this.statusReport() + '\r\n');
      else if (byte === grblRealtime.softReset) this.softReset();
      else if (byte === grblRealtime.feedHold) this.feedHold();
      else if (byte === grblRealtime.cycleStart) this.cycleStart();
      else if (byte === grblRealtime.jogCancel) this.jogCancel();
      else if (byte === 0x0a || byte === 0x0d) {
        const text = this.line;
        this.line = '';
        if (byte === 0x0a || text.length > 0) this.executeLine(text.trim());
      } else if (this.line.length >= 80) {
        this.line = '';
        this.send('error:11\r\n');
      } else {
        this.line += String.fromCharCode(byte);
      }
    }
  }

  /** Hard limit switch hit (fault injection): immediate halt, ALARM:1. */
  triggerHardLimit(): void {
    this.motions = [];
    this.okWhenIdle = false;
    this.state = 'Alarm';
    this.send('ALARM:1\r\n');
  }

  tick(now: number): void {
    let dt = (now - this.lastTick) / 60000; // minutes
    this.lastTick = now;
    while (dt > 0 && this.motions.length > 0 && this.state !== 'Hold' && this.state !== 'Alarm') {
      const motion = this.motions[0];
      const delta = motion.target.map((t, i) => t - this.position[i]);
      const distance = Math.hypot(...delta);
      const step = motion.feed * dt;
      if (step >= distance) {
        this.position = [...motion.target];
        dt -= distance / motion.feed;
        this.motions.shift();
        if (motion.kind === 'home') this.position = this.position.map(() => -this.config.homingPullOff);
      } else {
        this.position = this.position.map((p, i) => p + (delta[i] / distance) * step);
        dt = 0;
      }
    }
    if (this.motions.length === 0 && (this.state === 'Run' || this.state === 'Jog' || this.state === 'Home')) {
      this.state = 'Idle';
      if (this.okWhenIdle) {
        this.okWhenIdle = false;
        this.send('ok\r\n');
      }
    }
  }

  statusReport(): string {
    const mpos = this.position.map((p) => p.toFixed(3)).join(',');
    const state = this.state === 'Hold' ? `Hold:${this.holdComplete ? 0 : 1}` : this.state;
    const feed = this.moving ? Math.round(this.motions[0].feed) : 0;
    return `<${state}|MPos:${mpos}|FS:${feed},0>`;
  }

  private softReset(): void {
    const wasMoving = this.moving || this.state === 'Hold';
    this.motions = [];
    this.okWhenIdle = false;
    this.line = '';
    if (wasMoving) {
      this.state = 'Alarm';
      this.send('ALARM:3\r\n');
    } else if (this.state !== 'Alarm') {
      this.state = 'Idle';
    }
    this.boot();
  }

  private feedHold(): void {
    if (this.state === 'Jog') return this.jogCancel(); // GRBL cancels a jog on feed hold
    if (this.state === 'Run') {
      this.state = 'Hold';
      this.holdComplete = true;
    }
  }

  private cycleStart(): void {
    if (this.state === 'Hold') this.state = 'Run';
  }

  private jogCancel(): void {
    if (this.state !== 'Jog') return;
    this.motions = [];
    this.state = 'Idle';
  }

  private executeLine(text: string): void {
    const line = text.toUpperCase().replace(/\s+/g, '');
    if (line === '') return this.send('ok\r\n');
    if (line.startsWith('$')) return this.systemCommand(line);
    if (this.state === 'Alarm' || this.state === 'Jog') return this.send('error:9\r\n');
    this.gcode(line, false);
  }

  private systemCommand(line: string): void {
    if (line === '$$') {
      const c = this.config;
      const settings = [
        [20, c.softLimits ? 1 : 0],
        [22, c.homingEnabled ? 1 : 0],
        [25, c.homingSeekRate],
        [27, c.homingPullOff],
        [110, c.maxRate[0]],
        [111, c.maxRate[1]],
        [112, c.maxRate[2]],
        [130, c.maxTravel[0]],
        [131, c.maxTravel[1]],
        [132, c.maxTravel[2]],
      ];
      for (const [id, value] of settings) this.send(`$${id}=${Number(value).toFixed(id >= 25 ? 3 : 0)}\r\n`);
      return this.send('ok\r\n');
    }
    if (line === '$X') {
      if (this.state === 'Alarm') {
        this.state = 'Idle';
        this.send('[MSG:Caution: Unlocked]\r\n');
      }
      return this.send('ok\r\n');
    }
    if (line === '$H') {
      if (!this.config.homingEnabled) return this.send('error:5\r\n');
      if (this.state !== 'Idle' && this.state !== 'Alarm') return this.send('error:8\r\n');
      this.state = 'Home';
      // Seek towards the +end switch (0), then pull off.
      this.motions = [{ target: [0, 0, 0], feed: this.config.homingSeekRate, kind: 'home' }];
      this.okWhenIdle = true;
      return;
    }
    if (line.startsWith('$J=')) {
      if (this.state === 'Alarm') return this.send('error:9\r\n');
      if (this.state !== 'Idle' && this.state !== 'Jog') return this.send('error:8\r\n');
      return this.gcode(line.slice(3), true);
    }
    if (line.startsWith('$J')) return this.send('error:16\r\n');
    this.send('error:3\r\n');
  }

  private gcode(line: string, jog: boolean): void {
    const words = line.match(/[A-Z][-+]?[0-9]*\.?[0-9]*/g) ?? [];
    if (words.join('') !== line) return this.send('error:1\r\n');
    let absolute = this.absolute;
    let motion: 'G0' | 'G1' | undefined;
    let feed = jog ? undefined : this.feed;
    let machineFrame = false;
    const target: (number | undefined)[] = [undefined, undefined, undefined];
    for (const word of words) {
      const letter = word[0];
      const value = Number(word.slice(1));
      if (word.length < 2 || !Number.isFinite(value)) return this.send('error:2\r\n');
      if (letter === 'G') {
        if (value === 90) absolute = true;
        else if (value === 91) absolute = false;
        else if (value === 21) continue;
        else if (value === 53) machineFrame = true;
        else if (!jog && (value === 0 || value === 1)) motion = value === 0 ? 'G0' : 'G1';
        else return this.send(jog ? 'error:16\r\n' : 'error:20\r\n');
      } else if (letter === 'F') {
        if (value <= 0) return this.send('error:4\r\n');
        feed = value;
      } else if (letter === 'X' || letter === 'Y' || letter === 'Z') {
        target[axisLetters.indexOf(letter)] = value;
      } else {
        return this.send(jog ? 'error:16\r\n' : 'error:20\r\n');
      }
    }
    void machineFrame; // no work offsets in this model: machine and work frames coincide
    if (!jog) this.absolute = absolute;
    if (!jog && motion === undefined && target.every((t) => t === undefined)) {
      if (feed !== undefined) this.feed = feed;
      return this.send('ok\r\n');
    }
    if (target.every((t) => t === undefined)) return this.send(jog ? 'error:16\r\n' : 'error:33\r\n');
    const start = this.motions.length > 0 ? this.motions[this.motions.length - 1].target : this.position;
    const end = start.map((p, i) => {
      const t = target[i];
      return t === undefined ? p : absolute ? t : p + t;
    });
    const outside = end.some((p, i) => p > 0 + 1e-9 || p < -this.config.maxTravel[i as Axis] - 1e-9);
    if (this.config.softLimits && outside) {
      if (jog) return this.send('error:15\r\n');
      this.motions = [];
      this.state = 'Alarm';
      this.send('ALARM:2\r\n');
      return this.send('[MSG:Reset to continue]\r\n');
    }
    const limit = Math.min(...end.map((p, i) => (p !== start[i] ? this.config.maxRate[i as Axis] : Infinity)));
    const rate = motion === 'G0' ? limit : Math.min(feed ?? NaN, limit);
    if (!(rate > 0)) return this.send('error:22\r\n');
    if (!jog) this.feed = feed ?? this.feed;
    this.motions.push({ target: end, feed: rate, kind: jog ? 'jog' : 'run' });
    if (this.state === 'Idle') this.state = jog ? 'Jog' : 'Run';
    this.send('ok\r\n');
  }
}
