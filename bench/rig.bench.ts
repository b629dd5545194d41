// Issue 3 figures: serial command round trip p50/p99 over a pty (real serialport on both ends, simulator in its
// own process); live view of the demo rig's 1024×1024 8-bit camera over the WebSocket of `casebench serve`
// (frames/s, camera → client latency, host CPU during live view). The client decodes frames and acknowledges
// each one, as the UI does; target ≥ 15 frames/s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import {
  createClient,
  decodeFrame,
  encodeFrame,
  type ClientMessage,
  type HostMessage,
  type MessagePipe,
} from '../electron/contract/rpc.ts';
import type { Calls, Events, RigFrame } from '../electron/contract/index.ts';
import { createHost } from '../electron/host/createHost.ts';
import { startServer } from '../electron/host/server.ts';
import type { LightSource } from '../native/devices/kinds.ts';
import { GrblStage } from '../native/devices/grblStage.ts';
import { percentile, writeBenchReport, type BenchRow } from './report.ts';

const rows: BenchRow[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'casebench-rig-bench-'));
const host = createHost({ dataDir, log: () => {}, rig: 'auto' });
try {
  await host.rig.ready;
  const rig = host.rig.current();
  if (!rig || host.rig.simulation() === undefined) throw new Error('the demo rig did not start');
  const failed = rig.devices.filter((d) => d.state !== 'ready').map((d) => d.label);
  if (failed.length) throw new Error(`devices not ready: ${failed.join(', ')}`);

  // ---- serial round trips ----
  const roundTrips = async (what: string, runs: number, fn: (i: number) => Promise<void>) => {
    const times: number[] = [];
    for (let i = 0; i < 20; i++) await fn(i); // warm-up
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await fn(i);
      times.push(performance.now() - t);
    }
    rows.push({ metric: `${what} round trip p50`, value: percentile(times, 50), unit: 'ms' });
    rows.push({ metric: `${what} round trip p99`, value: percentile(times, 99), unit: 'ms' });
  };
  const ring = rig.device('ring') as LightSource;
  const coax = rig.device('coax') as LightSource;
  const stage = rig.device('stage') as GrblStage;
  await roundTrips('ring light set level (Casebench ring, pty)', 300, (i) => ring.setLevel('0', i % 100));
  await roundTrips('CoolLED pE-4000 set level (pty)', 300, (i) => coax.setLevel('A', i % 100));
  await stage.home(); // GRBL boots locked in alarm until homed
  await roundTrips('GRBL command → ok (pty)', 300, () => stage.command('G90'));

  // ---- live view over the WebSocket ----
  const server = await startServer({ host, rendererDir: dataDir, port: 0 });
  try {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const pipe: MessagePipe<HostMessage, ClientMessage> = {
      send: (message) => ws.send(encodeFrame(message)),
      onMessage: (listener) =>
        ws.on('message', (data: Buffer, isBinary: boolean) =>
          listener(
            decodeFrame(
              isBinary ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : data.toString('utf8'),
            ) as HostMessage,
          ),
        ),
      onClose: (listener) => ws.on('close', listener),
      close: () => ws.close(),
    };
    const client = createClient<Calls, Events>(pipe);
    await client.call('auth.setupAdmin', { username: 'bench', displayName: 'Bench', password: 'bench password 1' });
    await client.call('rig.stage.home', {});
    await client.call('rig.stage.moveTo', { axis: 'z', position: rig.profile.geometry.bestFocus });
    await client.call('rig.setLights', {
      device: 'ring',
      levels: Object.fromEntries(ring.channels().map((c) => [c.id, 100])),
    });
    await client.call('rig.setCameraProperty', { exposureUs: 4000 });

    const latencies: number[] = [];
    let frames = 0;
    let bytes = 0;
    let measuring = false;
    const stop = client.subscribe('rig.onFrame', {}, (frame: RigFrame) => {
      void client.call('rig.frameAck', { seq: frame.seq });
      if (!measuring) return;
      frames++;
      bytes += frame.pixels.byteLength;
      latencies.push(Date.now() - frame.capturedAt);
      if (frame.width !== 1024 || frame.height !== 1024 || frame.pixels.byteLength !== 1024 * 1024)
        throw new Error('unexpected frame size');
    });
    await client.call('rig.liveStart', { maxFps: 60 });
    await new Promise((r) => setTimeout(r, 1500)); // warm-up
    measuring = true;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 8000));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    measuring = false;
    await client.call('rig.liveStop', {});
    stop();
    const fps = frames / seconds;
    rows.push({
      metric: 'live view 1024×1024 8-bit over WebSocket',
      value: fps,
      unit: 'frames/s',
      target: '≥ 15 frames/s',
      pass: fps >= 15,
    });
    rows.push({ metric: 'live view camera → client latency p50', value: percentile(latencies, 50), unit: 'ms' });
    rows.push({ metric: 'live view camera → client latency p95', value: percentile(latencies, 95), unit: 'ms' });
    rows.push({ metric: 'live view throughput', value: bytes / seconds / 1e6, unit: 'MB/s' });
    rows.push({
      metric: 'host process CPU during live view (incl. camera emulator rendering and the bench client)',
      value: ((cpu.user + cpu.system) / 1e6 / seconds) * 100,
      unit: '% of one core',
    });
    client.close();
  } finally {
    await server.close();
  }
} finally {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
}
writeBenchReport('rig', rows);
