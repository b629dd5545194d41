// The GRBL driver with its codec against the GRBL firmware model over an in-memory pair: fast, no pty (the same
// scenarios over a socat pty with the real serialport binding: tests/integration/rig/grblStage.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMemorySimulator, type MemorySimulator } from '../sim/firmwareRunner.ts';
import { GrblStage } from './grblStage.ts';
import { isDeviceError } from './errors.ts';

describe('GRBL stage over the memory transport', () => {
  let sim: MemorySimulator;
  let stage: GrblStage;

  beforeAll(async () => {
    sim = await startMemorySimulator('grbl');
    stage = new GrblStage({
      label: 'focus',
      transport: sim.transport,
      axes: [
        { name: 'z', letter: 'Z', unit: 'mm', speed: 300 },
        { name: 'r', letter: 'Y', unit: 'deg', speed: 3600, min: -360 },
      ],
      timeoutMs: 300,
      pollMs: 20,
    });
  });

  afterAll(async () => {
    await stage?.shutdown();
    sim?.stop();
  });

  it('initializes from the controller (firmware, travel limits) and refuses to move until homed', async () => {
    await stage.initialize();
    expect(stage.state).toBe('ready');
    expect(stage.getProperty('firmware')).toBe('Grbl 1.1h');
    expect(stage.axes()).toEqual([
      { name: 'z', unit: 'mm', min: -10, max: 0 },
      { name: 'r', unit: 'deg', min: -360, max: 0 },
    ]);
    await expect(stage.moveTo('z', -1)).rejects.toMatchObject({ code: 'alarm' });
  });

  it('homes and moves; refuses out-of-range targets before sending', async () => {
    await stage.home();
    expect(stage.getProperty('machineState')).toBe('Idle');
    await stage.moveTo('z', -1.25);
    expect(stage.positions().z).toBeCloseTo(-1.25, 3);
    await expect(stage.moveTo('z', 0.5)).rejects.toMatchObject({ code: 'out-of-range' });
    await expect(stage.moveTo('q', 0)).rejects.toMatchObject({ code: 'unsupported' });
  });

  it("reports GRBL's error:N and ALARM:N with their meaning, and recovers", async () => {
    const error = await stage.command('$Q').catch((e: unknown) => e);
    expect(isDeviceError(error, 'device-error')).toBe(true);
    expect((error as Error).message).toContain("error:3 Grbl '$' system command was not recognized");
    await expect(stage.command('G0 Z-50')).rejects.toMatchObject({ code: 'alarm', details: { grblAlarm: 2 } });
    await stage.home();
    const move = stage.moveTo('z', -8).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 40));
    sim.inject({ fault: 'hard-limit' });
    expect(await move).toMatchObject({ code: 'alarm', details: { grblAlarm: 1 } });
    await stage.home();
  });

  it('resynchronises after garbage, times out on silence and works once the controller talks again', async () => {
    sim.inject({ fault: 'garbage' });
    await stage.moveTo('z', -2);
    expect(stage.positions().z).toBeCloseTo(-2, 3);
    sim.inject({ fault: 'silence', ms: 600 });
    await expect(stage.command('G4 P0')).rejects.toMatchObject({ code: 'timeout' });
    await new Promise((r) => setTimeout(r, 700));
    await stage.moveTo('z', -1.5);
    expect(stage.state).toBe('ready');
  });

  it('sees the cable pulled mid-move, then works again once initialized', async () => {
    const move = stage.moveTo('z', -9).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    sim.unplug();
    expect(await move).toMatchObject({ code: 'disconnected' });
    expect(stage.state).toBe('disconnected');
    await expect(stage.moveTo('z', -1)).rejects.toMatchObject({ code: 'disconnected' });
    await stage.initialize();
    expect(stage.state).toBe('ready');
  });
});
