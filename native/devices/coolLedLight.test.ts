// The CoolLED pE-4000 driver with its codec against the controller model over an in-memory pair: fast, no pty
// (over a socat pty with the real serialport binding: tests/integration/rig/lights.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMemorySimulator, type MemorySimulator } from '../sim/firmwareRunner.ts';
import { CoolLedLight } from './coolLedLight.ts';

describe('CoolLED pE-4000 over the memory transport', () => {
  let sim: MemorySimulator;
  let light: CoolLedLight;
  beforeAll(async () => {
    sim = await startMemorySimulator('coolled');
    light = new CoolLedLight({
      label: 'coax',
      transport: sim.transport,
      channels: [
        { id: 'A', name: 'coaxial' },
        { id: 'B', name: 'side' },
      ],
      timeoutMs: 200,
    });
  });
  afterAll(async () => {
    await light?.shutdown();
    sim?.stop();
  });

  it('identifies the controller, sets and reads back levels, and emits the changes', async () => {
    await light.initialize();
    expect(light.levels()).toEqual({ A: 0, B: 0 });
    const changes: unknown[] = [];
    light.onPropertyChanged((c) => changes.push(c));
    await light.setLevel('A', 40);
    await light.setProperty('level.B', 100);
    expect(light.levels()).toEqual({ A: 40, B: 100 });
    expect(changes).toContainEqual({ device: 'coax', name: 'level.A', value: 40 });
    expect(sim.firmware).toMatchObject({
      channels: expect.arrayContaining([expect.objectContaining({ intensity: 40 })]),
    });
  });

  it('refuses out-of-range levels and unknown channels without sending', async () => {
    await expect(light.setLevel('A', 101)).rejects.toMatchObject({ code: 'out-of-range' });
    await expect(light.setLevel('A', Number.NaN)).rejects.toMatchObject({ code: 'out-of-range' });
    await expect(light.setLevel('C', 10)).rejects.toMatchObject({ code: 'unsupported' });
    expect(light.levels()).toEqual({ A: 40, B: 100 });
  });

  it('recovers from garbage and from silence', async () => {
    sim.inject({ fault: 'garbage' });
    await light.setLevel('A', 20);
    sim.inject({ fault: 'silence', ms: 500 });
    await expect(light.setLevel('A', 30)).rejects.toMatchObject({ code: 'timeout' });
    await new Promise((r) => setTimeout(r, 600));
    await light.setLevel('A', 30);
    expect(light.levels().A).toBe(30);
  });

  it('reports the pull of the plug and works again once initialized', async () => {
    sim.unplug();
    expect(light.state).toBe('disconnected');
    await expect(light.setLevel('A', 10)).rejects.toMatchObject({ code: 'disconnected' });
    await light.initialize();
    await light.setLevel('A', 10);
    expect(light.levels().A).toBe(10);
  });
});
