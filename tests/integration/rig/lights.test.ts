// Light-source drivers (CoolLED pE-4000 and the Casebench ring) against their firmware simulators in separate
// processes over socat pseudo-terminals with the real serialport binding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSerialSimulator, type RunningSimulator } from '../../../native/sim/ptyLauncher.ts';
import { SerialTransport } from '../../../native/transport/serialTransport.ts';
import { CoolLedLight } from '../../../native/devices/coolLedLight.ts';
import { RingLight } from '../../../native/devices/ringLight.ts';

const dir = mkdtempSync(join(tmpdir(), 'rig-lights-'));
const serial = (path: string) => new SerialTransport({ path, baudRate: 115200 });

describe('CoolLED pE-4000 over a pty', () => {
  let sim: RunningSimulator;
  let light: CoolLedLight;
  beforeAll(async () => {
    sim = await startSerialSimulator({ device: 'coolled', dir, name: 'coolled' });
    light = new CoolLedLight({
      label: 'coax',
      transport: serial(sim.path),
      channels: [
        { id: 'A', name: 'coaxial' },
        { id: 'B', name: 'side' },
      ],
    });
  });
  afterAll(async () => {
    await light?.shutdown();
    await sim?.stop();
  });

  it('connects after the greeting, sets and reads back levels, emits property changes', async () => {
    await light.initialize();
    expect(light.levels()).toEqual({ A: 0, B: 0 });
    const changes: unknown[] = [];
    light.onPropertyChanged((c) => changes.push(c));
    await light.setLevel('A', 40);
    await light.setProperty('level.B', 100);
    expect(light.levels()).toEqual({ A: 40, B: 100 });
    expect(changes).toContainEqual({ device: 'coax', name: 'level.A', value: 40 });
    await light.setLevel('A', 0);
    expect(light.levels().A).toBe(0);
  });

  it('a reply waiting unread after a busy spell of our own process is taken, not timed out', async () => {
    for (let i = 0; i < 3; i++) {
      const request = light.setLevel('A', 10 * (i + 1));
      await new Promise((r) => setTimeout(r, 2)); // the request is on the wire and its timer running
      const until = Date.now() + 2 * light.timeoutMs;
      while (Date.now() < until) {
        // busy: no timers, no I/O
      }
      await request;
      expect(light.levels().A).toBe(10 * (i + 1));
    }
    await light.setLevel('A', 0);
  });

  it('refuses out-of-range levels and unknown channels without sending', async () => {
    await expect(light.setLevel('A', 101)).rejects.toMatchObject({ code: 'out-of-range' });
    await expect(light.setLevel('A', -1)).rejects.toMatchObject({ code: 'out-of-range' });
    await expect(light.setLevel('A', Number.NaN)).rejects.toMatchObject({ code: 'out-of-range' });
    await expect(light.setLevel('C', 10)).rejects.toMatchObject({ code: 'unsupported' });
    expect(light.levels()).toEqual({ A: 0, B: 100 });
  });

  it('recovers from garbage and from silence', async () => {
    sim.inject({ fault: 'garbage' });
    await new Promise((r) => setTimeout(r, 30));
    await light.setLevel('A', 20);
    sim.inject({ fault: 'silence', ms: 700 });
    await new Promise((r) => setTimeout(r, 20));
    await expect(light.setLevel('A', 30)).rejects.toMatchObject({ code: 'timeout' });
    await new Promise((r) => setTimeout(r, 800));
    await light.setLevel('A', 30);
    expect(light.levels().A).toBe(30);
  });

  it('reports the pull of the plug and reconnects', async () => {
    const at = Date.now();
    await sim.kill();
    // Seen within about 1 s on an idle machine; the wait is longer so a loaded CI machine cannot fail it.
    while (light.state !== 'disconnected' && Date.now() - at < 3000) await new Promise((r) => setTimeout(r, 10));
    expect(light.state).toBe('disconnected');
    await expect(light.setLevel('A', 10)).rejects.toMatchObject({ code: 'disconnected' });
    await sim.restart();
    await light.initialize();
    await light.setLevel('A', 10);
  });
});

describe('Casebench ring light over a pty', () => {
  let sim: RunningSimulator;
  let ring: RingLight;
  const logged: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  beforeAll(async () => {
    sim = await startSerialSimulator({ device: 'ring', dir, name: 'ring', segments: 8 });
    ring = new RingLight({
      label: 'ring',
      transport: serial(sim.path),
      segments: 8,
      log: (level, message, fields) => logged.push({ level, message, fields }),
    });
  });
  afterAll(async () => {
    await ring?.shutdown();
    await sim?.stop();
  });

  it('says hello, sets segments in one frame and reads them back', async () => {
    await ring.initialize();
    expect(ring.getProperty('firmware')).toBe('casebench-ring-sim 1.0');
    await ring.setLevels({ 2: 50, 3: 12.5 });
    expect(ring.levels()).toMatchObject({ 0: 0, 2: 50, 3: 12.5 });
    await ring.allOff();
    expect(Object.values(ring.levels()).every((v) => v === 0)).toBe(true);
  });

  it('a reply waiting unread after a busy spell of our own process is taken, not timed out', async () => {
    for (let i = 0; i < 3; i++) {
      const request = ring.setLevels({ 1: 10 * (i + 1) });
      await new Promise((r) => setTimeout(r, 2)); // the request is on the wire and its timer running
      const until = Date.now() + 2 * ring.timeoutMs; // the reply arrives while we are busy
      while (Date.now() < until) {
        // busy: no timers, no I/O
      }
      await request;
      expect(ring.levels()['1']).toBeCloseTo(10 * (i + 1), 0);
    }
  });

  it('refuses out-of-range values before sending', async () => {
    await expect(ring.setLevel('8', 10)).rejects.toMatchObject({ code: 'unsupported' });
    await expect(ring.setLevel('0', 100.5)).rejects.toMatchObject({ code: 'out-of-range' });
  });

  it('retries after a damaged reply and counts the resynchronisation', async () => {
    const before = ring.resyncCount;
    sim.inject({ fault: 'corrupt-next' });
    await new Promise((r) => setTimeout(r, 20));
    await ring.setLevel('1', 75);
    expect(ring.levels()['1']).toBe(75);
    expect(ring.resyncCount).toBeGreaterThan(before);
  });

  it('reports the controller refusing (over-temperature) as a device error', async () => {
    sim.inject({ fault: 'over-temperature', on: true });
    await new Promise((r) => setTimeout(r, 20));
    await expect(ring.setLevel('1', 10)).rejects.toMatchObject({ code: 'device-error', details: { ringError: 5 } });
    sim.inject({ fault: 'over-temperature', on: false });
    await new Promise((r) => setTimeout(r, 20));
    await ring.setLevel('1', 10);
  });

  it('sends a command once more when its reply comes late, takes only the second reply, and logs the retry', async () => {
    const before = ring.retryCount;
    logged.length = 0;
    sim.inject({ fault: 'answer-late' });
    await new Promise((r) => setTimeout(r, 20));
    // The controller's reply to the first sending comes only after the driver gave up waiting for it (as under load):
    // the driver sends SET_LEVELS again with a new sequence number, drops the late reply and takes the second.
    await ring.setLevel('4', 40);
    await ring.setLevel('5', 60);
    expect(ring.levels()).toMatchObject({ 4: 40, 5: 60 });
    expect(ring.retryCount).toBe(before + 1);
    expect(logged).toEqual([
      {
        level: 'warn',
        message: 'ring: no reply to command 0x2 within 300 ms; sending the command once more',
        fields: { device: 'ring', command: 2, failure: 'timeout', retries: before + 1 },
      },
    ]);
  });

  it('times out on silence after its one retry, then works again', async () => {
    sim.inject({ fault: 'silence', ms: 900 });
    await new Promise((r) => setTimeout(r, 20));
    await expect(ring.setLevel('1', 20)).rejects.toMatchObject({ code: 'timeout' });
    await new Promise((r) => setTimeout(r, 1000));
    await ring.setLevel('1', 20);
  });
});
