// The Casebench ring driver with its binary codec against the ring controller model over an in-memory pair: fast,
// no pty (over a socat pty with the real serialport binding: tests/integration/rig/lights.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMemorySimulator, type MemorySimulator } from '../sim/firmwareRunner.ts';
import { RingLight } from './ringLight.ts';

describe('Casebench ring light over the memory transport', () => {
  let sim: MemorySimulator;
  let ring: RingLight;
  beforeAll(async () => {
    sim = await startMemorySimulator('ring', { segments: 8 });
    ring = new RingLight({ label: 'ring', transport: sim.transport, segments: 8, timeoutMs: 200 });
  });
  afterAll(async () => {
    await ring?.shutdown();
    sim?.stop();
  });

  it('says hello, sets segments in one frame and reads them back', async () => {
    await ring.initialize();
    expect(ring.getProperty('firmware')).toBe('casebench-ring-sim 1.0');
    await ring.setLevels({ 2: 50, 3: 12.5 });
    expect(ring.levels()).toMatchObject({ 0: 0, 2: 50, 3: 12.5 });
    await ring.allOff();
    expect(Object.values(ring.levels()).every((v) => v === 0)).toBe(true);
  });

  it('refuses a segment it does not have and out-of-range values before sending', async () => {
    await expect(ring.setLevel('8', 10)).rejects.toMatchObject({ code: 'unsupported' });
    await expect(ring.setLevel('0', 100.5)).rejects.toMatchObject({ code: 'out-of-range' });
  });

  it('retries after a damaged reply and counts the resynchronisation', async () => {
    const before = ring.resyncCount;
    sim.inject({ fault: 'corrupt-next' });
    await ring.setLevel('1', 75);
    expect(ring.levels()['1']).toBe(75);
    expect(ring.resyncCount).toBeGreaterThan(before);
  });

  it('sends a command once more when its reply is late, and takes only the reply to the second sending', async () => {
    const before = ring.retryCount;
    sim.inject({ fault: 'answer-late' });
    // The controller answers the first sending only when the second arrives: the driver drops that late reply (its
    // sequence number is the first's) and takes the answer to the second.
    await ring.setLevel('4', 40);
    await ring.setLevel('5', 60);
    expect(ring.levels()).toMatchObject({ 4: 40, 5: 60 });
    expect(ring.retryCount).toBe(before + 1);
  });

  it('reports the controller refusing (over-temperature) as a device error', async () => {
    sim.inject({ fault: 'over-temperature', on: true });
    await expect(ring.setLevel('1', 10)).rejects.toMatchObject({ code: 'device-error', details: { ringError: 5 } });
    sim.inject({ fault: 'over-temperature', on: false });
    await ring.setLevel('1', 10);
  });

  it('times out on silence (after its one retry), then works again; a pulled plug disconnects it until initialized', async () => {
    sim.inject({ fault: 'silence', ms: 700 });
    await expect(ring.setLevel('1', 20)).rejects.toMatchObject({ code: 'timeout' });
    await new Promise((r) => setTimeout(r, 800));
    await ring.setLevel('1', 20);
    sim.unplug();
    expect(ring.state).toBe('disconnected');
    await expect(ring.setLevel('1', 30)).rejects.toMatchObject({ code: 'disconnected' });
    await ring.initialize();
    await ring.setLevel('1', 30);
  });
});
