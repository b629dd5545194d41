// The real GRBL driver against the GRBL firmware simulator in its own process, over a socat pseudo-terminal
// with the real serialport binding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSerialSimulator, type RunningSimulator } from '../../../native/sim/ptyLauncher.ts';
import { SerialTransport } from '../../../native/transport/serialTransport.ts';
import { GrblStage } from '../../../native/devices/grblStage.ts';
import { isDeviceError } from '../../../native/devices/errors.ts';

describe('GRBL stage over a pty', () => {
  let sim: RunningSimulator;
  let stage: GrblStage;

  beforeAll(async () => {
    sim = await startSerialSimulator({ device: 'grbl', dir: mkdtempSync(join(tmpdir(), 'rig-grbl-')), name: 'grbl' });
    stage = new GrblStage({
      label: 'focus',
      transport: new SerialTransport({ path: sim.path, baudRate: 115200 }),
      axes: [
        { name: 'z', letter: 'Z', unit: 'mm', speed: 300 },
        { name: 'r', letter: 'Y', unit: 'deg', speed: 3600, min: -360 },
      ],
      timeoutMs: 500,
      pollMs: 50,
    });
  });

  afterAll(async () => {
    await stage?.shutdown();
    await sim?.stop();
  });

  it('initializes, reads limits from the controller and starts in alarm until homed', async () => {
    await stage.initialize();
    expect(stage.state).toBe('ready');
    expect(stage.getProperty('firmware')).toBe('Grbl 1.1h');
    expect(stage.axes()).toEqual([
      { name: 'z', unit: 'mm', min: -10, max: 0 },
      { name: 'r', unit: 'deg', min: -360, max: 0 },
    ]);
    expect(stage.getProperty('machineState')).toBe('Alarm');
    await expect(stage.moveTo('z', -1)).rejects.toMatchObject({ code: 'alarm' });
  });

  it('homes, then moves at finite speed with busy() true during the move', async () => {
    await stage.home();
    expect(stage.getProperty('machineState')).toBe('Idle');
    expect(stage.positions().z).toBeCloseTo(-1, 3);
    const seen: boolean[] = [];
    const off = stage.onPositionChanged((change) => seen.push(change.moving));
    const move = stage.moveTo('z', -2); // 1 mm at 300 mm/min ≈ 200 ms
    await new Promise((r) => setTimeout(r, 60));
    expect(stage.busy()).toBe(true);
    await move;
    off();
    expect(stage.busy()).toBe(false);
    expect(stage.positions().z).toBeCloseTo(-2, 3);
    expect(seen).toContain(true);
    await stage.moveBy('z', 0.5);
    expect(stage.positions().z).toBeCloseTo(-1.5, 3);
  });

  it('refuses out-of-range targets before anything reaches the controller', async () => {
    await expect(stage.moveTo('z', 0.5)).rejects.toMatchObject({ code: 'out-of-range' });
    await expect(stage.moveBy('z', -20)).rejects.toMatchObject({ code: 'out-of-range' });
    await expect(stage.moveTo('q', 0)).rejects.toMatchObject({ code: 'unsupported' });
    expect(stage.positions().z).toBeCloseTo(-1.5, 3);
  });

  it('stop() cancels a jog mid-way and the stage stays usable', async () => {
    const controller = new AbortController();
    const move = stage.moveTo('z', -9, controller.signal);
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    await expect(move).rejects.toMatchObject({ code: 'aborted' });
    await new Promise((r) => setTimeout(r, 100));
    const z = stage.positions().z;
    expect(z).toBeLessThan(-1.5);
    expect(z).toBeGreaterThan(-9);
    await stage.moveTo('z', -1.5);
  });

  it('reports GRBL error:N with its meaning and keeps working', async () => {
    const error = await stage.command('$Q').catch((e: unknown) => e);
    expect(isDeviceError(error, 'device-error')).toBe(true);
    expect((error as Error).message).toContain("error:3 Grbl '$' system command was not recognized");
    await stage.moveBy('z', -0.1);
  });

  it('turns a G-code soft-limit violation into ALARM:2 and recovers by homing', async () => {
    const error = await stage.command('G0 Z-50').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'alarm', details: { grblAlarm: 2 } });
    expect(stage.getProperty('machineState')).toBe('Alarm');
    await stage.home();
    await stage.moveTo('z', -3);
  });

  it('resynchronises after garbage on the line', async () => {
    sim.inject({ fault: 'garbage' });
    await new Promise((r) => setTimeout(r, 50));
    await stage.moveTo('z', -2.5);
    expect(stage.positions().z).toBeCloseTo(-2.5, 3);
  });

  it('a silent controller fails the command with a timeout and recovers when it talks again', async () => {
    sim.inject({ fault: 'silence', ms: 800 });
    await new Promise((r) => setTimeout(r, 20));
    await expect(stage.command('G4 P0')).rejects.toMatchObject({ code: 'timeout' });
    await new Promise((r) => setTimeout(r, 900));
    await stage.moveTo('z', -2);
    expect(stage.state).toBe('ready');
  });

  it('a stall of our own event loop is not taken for a silent controller', async () => {
    const states: string[] = [];
    const off = stage.onStateChanged((change) => states.push(change.state));
    const until = Date.now() + 1500; // three times the stage's timeout, with replies piling up unread
    while (Date.now() < until) {
      // busy: no timers, no I/O
    }
    await new Promise((r) => setTimeout(r, 300));
    off();
    expect(states).not.toContain('error');
    expect(stage.state).toBe('ready');
  });

  it('a hard limit during a move rejects the move with ALARM:1', async () => {
    const move = stage.moveTo('z', -8).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 80));
    sim.inject({ fault: 'hard-limit' });
    await expect(move.then((e) => Promise.reject(e))).rejects.toMatchObject({
      code: 'alarm',
      details: { grblAlarm: 1 },
    });
    await stage.home();
  });

  it('sees the controller vanish within 1 s and reconnects when it is back', async () => {
    const states: string[] = [];
    stage.onStateChanged((change) => states.push(change.state));
    const move = stage.moveTo('z', -9).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const killedAt = Date.now();
    await sim.kill();
    expect(await move).toMatchObject({ code: 'disconnected' });
    // The station sees it within about 1 s on an idle machine; 3 s here so a loaded CI machine cannot fail the test.
    expect(Date.now() - killedAt).toBeLessThan(3000);
    expect(stage.state).toBe('disconnected');
    await expect(stage.moveTo('z', -1)).rejects.toMatchObject({ code: 'disconnected' });
    await sim.restart();
    await stage.initialize();
    expect(stage.state).toBe('ready');
    expect(states).toContain('disconnected');
  });
});
