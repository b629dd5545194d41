// `casebench rig list | sim | snap`: what rig hardware this machine has, the demo rig's simulators for other
// programs (and for trying the drivers by hand), and one frame from the rig into a PNG.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ExitCode, UsageError, type Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import { encodePng } from '../../analysis/calibration/png.ts';
import { readX3PFile } from '../../analysis/x3p/index.ts';
import { DeviceError } from '../../../native/devices/errors.ts';
import type { LightSource } from '../../../native/devices/kinds.ts';
import { listProfiles, matchProfile, scanHardware, suggestProfile } from '../../../native/rig/discovery.ts';
import { loadRigProfile, RigProfileError } from '../../../native/rig/profile.ts';
import { startDemoRig } from '../../../native/sim/demoRig.ts';
import { usbId } from '../../../native/transport/usbDiscovery.ts';
import { defaultProfilesDir, demoProfileName, StationRig } from '../../host/services/rig/rigService.ts';
import { sharedDataDir } from '../../base/appRoot.ts';
import { frameView } from '../../host/services/rig/views.ts';

const fail = (message: string, exitCode: number) => Object.assign(new Error(message), { exitCode });

export const rigListCommand: Command = {
  name: ['rig', 'list'],
  summary: 'list USB devices, serial ports and rig profiles, and the profile that matches',
  help: `Usage: casebench rig list [--profiles DIR] [--json]

Lists the USB devices (node-usb) and serial ports of this machine (on Linux read from /sys/class/tty and
/dev/serial/by-id, so no udev is needed: containers and minimal installs list them too), the rig profiles in the
profiles folder with whether their devices are present, and the suggested profile: the one whose devices
are all present, else the demo rig. A machine without USB is a normal state, reported as such.

Options:
  --profiles DIR    rig profiles folder (default resources/rigs)
  --json            print as JSON`,
  async run({ argv, stdout }) {
    const { values } = parseCommandArgs(argv, { profiles: { type: 'string' }, json: { type: 'boolean' } });
    const dir = resolve(values.profiles ?? defaultProfilesDir);
    const [hardware, entries] = await Promise.all([scanHardware(), listProfiles(dir)]);
    const suggestion = suggestProfile(entries, hardware);
    const suggested =
      suggestion?.entry.path ?? entries.find((e) => e.path.endsWith(`/${demoProfileName}`))?.path ?? null;
    const profiles = entries.map((e) => ({
      path: e.path,
      name: e.profile?.name ?? null,
      simulated: e.simulated,
      error: e.error ?? null,
      devices: e.profile && !e.simulated ? matchProfile(e, hardware).devices : [],
    }));
    if (values.json) {
      stdout.write(
        `${JSON.stringify({
          usb: {
            available: hardware.usb.available,
            message: hardware.usb.message,
            devices: hardware.usb.devices.map((d) => ({
              id: usbId(d),
              manufacturer: d.manufacturerName ?? null,
              product: d.productName ?? null,
              serial: d.serialNumber ?? null,
            })),
          },
          serial: hardware.serial,
          profiles,
          suggested,
        })}\n`,
      );
      return ExitCode.ok;
    }
    stdout.write(`USB: ${hardware.usb.message}\n`);
    for (const d of hardware.usb.devices)
      stdout.write(
        `  ${usbId(d)}  ${[d.manufacturerName, d.productName, d.serialNumber].filter(Boolean).join(' · ')}\n`,
      );
    stdout.write(`Serial ports: ${hardware.serial.message}\n`);
    for (const p of hardware.serial.ports)
      stdout.write(
        `  ${p.path}${p.manufacturer ? `  ${p.manufacturer}` : ''}${p.vendorId ? `  ${p.vendorId}:${p.productId}` : ''}\n`,
      );
    stdout.write(`Rig profiles in ${dir}:\n`);
    if (profiles.length === 0) stdout.write('  (none)\n');
    for (const p of profiles) {
      if (p.error) {
        stdout.write(`  ${p.path}: INVALID\n    ${p.error.replace(/\n/g, '\n    ')}\n`);
        continue;
      }
      stdout.write(`  ${p.path}: ${p.name}${p.simulated ? ' (simulated)' : ''}\n`);
      for (const d of p.devices) stdout.write(`    ${d.found ? 'found  ' : 'missing'} ${d.label}: ${d.where}\n`);
    }
    stdout.write(`Suggested: ${suggested ?? '(none)'}${suggestion ? '' : ' (no rig hardware found)'}\n`);
    return ExitCode.ok;
  },
};

export const rigSimCommand: Command = {
  name: ['rig', 'sim'],
  summary: 'start the demo rig simulators and print their serial ports (until Ctrl-C)',
  help: `Usage: casebench rig sim [--profile FILE] [--json]

Starts every simulator of a simulated rig profile (default resources/rigs/demo.json): each serial device
(GRBL stage, Casebench ring light, CoolLED) as its own process behind a pseudo-terminal, printed as
"label  driver  port". Point a serial program (or a rig profile with "port": {"path": ...}) at those ports.
The USB3 Vision camera emulator lives in-process (no virtual USB exists in the kernel), so only this
station's own rig service can use it. Runs until Ctrl-C, then stops every simulator.

Options:
  --profile FILE    simulated rig profile (default the demo rig)
  --json            print the ports as one JSON line`,
  async run({ argv, stdout, stderr, signal }) {
    const { values } = parseCommandArgs(argv, { profile: { type: 'string' }, json: { type: 'boolean' } });
    const path = resolve(values.profile ?? join(defaultProfilesDir, demoProfileName));
    const profile = await loadProfile(path);
    if (!profile.specimen) throw fail(`${path} names no specimen for the simulated camera`, ExitCode.badInput);
    const specimen = join(sharedDataDir(), profile.specimen);
    const surface = await readX3PFile(specimen).then(
      (scan) => scan.surface,
      (error: Error) => {
        throw fail(`cannot read the specimen ${specimen}: ${error.message}`, ExitCode.badInput);
      },
    );
    const dir = mkdtempSync(join(tmpdir(), 'casebench-rig-sim-'));
    const demo = await startDemoRig({ profile, surface, dir }).catch((error: Error) => {
      rmSync(dir, { recursive: true, force: true });
      throw fail(`the simulators did not start: ${error.message}`, ExitCode.runtime);
    });
    try {
      const ports = profile.devices.flatMap((d) =>
        'port' in d && 'simulator' in d.port
          ? [{ label: d.label, driver: d.driver, port: demo.simulatorPorts[d.port.simulator] }]
          : [],
      );
      if (values.json) stdout.write(`${JSON.stringify({ profile: profile.name, ports })}\n`);
      else {
        stdout.write(`${profile.name}: simulators running\n`);
        for (const p of ports) stdout.write(`  ${p.label.padEnd(8)} ${p.driver.padEnd(16)} ${p.port}\n`);
        stdout.write('Press Ctrl-C to stop.\n');
      }
      await new Promise<void>((done) =>
        signal.aborted ? done() : signal.addEventListener('abort', () => done(), { once: true }),
      );
      stderr.write('stopping simulators…\n');
      return ExitCode.ok;
    } finally {
      await demo.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export const rigSnapCommand: Command = {
  name: ['rig', 'snap'],
  summary: 'connect the rig, take one frame and write it as PNG',
  help: `Usage: casebench rig snap --out FILE.png [options]

Connects the rig (the profile given, else the one matching the connected hardware, else the demo rig),
sets the lights and camera as asked, takes one frame and writes it as a grey PNG (16-bit for Mono16).

Options:
  --out FILE        PNG to write (required)
  --profile P       rig profile: auto (default), or the path of a rig profile JSON
  --exposure US     exposure time in microseconds
  --gain DB         analog gain in dB
  --light SPEC      light levels, repeatable: DEVICE:all (100 %), DEVICE:all=P, DEVICE:CH=P[,CH=P...]
                    e.g. --light ring:all --light coax:A=40
  --focus POS       home the focus stage and move it to POS (mm, machine coordinates); "best" for the
                    profile's best focus
  --json            print the frame's size and statistics as JSON

Exit codes: 0 written, 2 usage, 3 bad profile or light, 4 the rig failed.`,
  async run({ argv, stdout, stderr, signal }) {
    const { values } = parseCommandArgs(argv, {
      out: { type: 'string' },
      profile: { type: 'string' },
      exposure: { type: 'string' },
      gain: { type: 'string' },
      light: { type: 'string', multiple: true },
      focus: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (!values.out) throw new UsageError('--out FILE.png is required');
    const exposureUs = optionalNumber('--exposure', values.exposure);
    const gainDb = optionalNumber('--gain', values.gain);
    const lights = (values.light ?? []).map(parseLight);
    const focus =
      values.focus === undefined || values.focus === 'best' ? values.focus : optionalNumber('--focus', values.focus);
    if (values.profile && values.profile !== 'auto') await loadProfile(resolve(values.profile));

    const station = new StationRig({ rig: values.profile ?? 'auto', log: () => undefined, audit: () => undefined });
    try {
      await station.ready;
      const rig = station.current();
      if (!rig) throw fail(station.status().message, ExitCode.runtime);
      const status = station.status();
      stderr.write(`${status.profile?.name}: ${status.message}\n`);
      const down = status.devices.filter((d) => d.state !== 'ready');
      if (down.length)
        throw fail(
          `not connected: ${down.map((d) => `${d.label} (${d.lastError?.message ?? d.state})`).join('; ')}`,
          ExitCode.runtime,
        );
      const camera = rig.camera;
      if (!camera) throw fail(`rig "${rig.profile.name}" has no camera the station drives`, ExitCode.badInput);
      for (const { device, levels } of lights) {
        const light = rig.devices.find((d) => d.label === device);
        if (!light || light.kind !== 'light')
          throw fail(
            `--light: the rig has no light "${device}" (lights: ${rig.lights.map((l) => l.label).join(', ')})`,
            ExitCode.badInput,
          );
        const source = light as LightSource;
        await source.setLevels(
          levels === 'all'
            ? Object.fromEntries(source.channels().map((c) => [c.id, 100]))
            : typeof levels === 'number'
              ? Object.fromEntries(source.channels().map((c) => [c.id, levels]))
              : levels,
          signal,
        );
      }
      if (focus !== undefined) {
        if (!rig.focus) throw fail('--focus: the rig has no focus stage', ExitCode.badInput);
        await rig.focus.stage.home(signal);
        await rig.focus.stage.moveTo(
          rig.focus.axis,
          focus === 'best' ? rig.profile.geometry.bestFocus : (focus as number),
          signal,
        );
      }
      if (exposureUs !== undefined) await camera.setProperty('exposureUs', exposureUs, signal);
      if (gainDb !== undefined) await camera.setProperty('gainDb', gainDb, signal);
      const frame = await camera.snap(signal);
      const data =
        frame.pixelFormat === 'Mono16'
          ? new Uint16Array(
              frame.data.buffer.slice(frame.data.byteOffset, frame.data.byteOffset + frame.data.byteLength),
            )
          : frame.data;
      const out = resolve(values.out);
      writeFileSync(
        out,
        encodePng({
          width: frame.width,
          height: frame.height,
          bitDepth: frame.pixelFormat === 'Mono16' ? 16 : 8,
          colour: 'grey',
          data,
        }),
      );
      const stats = frameView(frame, 0, Date.now()).stats;
      if (values.json)
        stdout.write(
          `${JSON.stringify({ out, width: frame.width, height: frame.height, pixelFormat: frame.pixelFormat, exposureUs: frame.exposureUs, gainDb: frame.gainDb, focus: stats.focus, mean: stats.mean, saturatedFraction: stats.saturatedFraction })}\n`,
        );
      else
        stdout.write(
          `wrote ${out}: ${frame.width}×${frame.height} ${frame.pixelFormat}, exposure ${frame.exposureUs} µs, mean ${stats.mean.toFixed(1)}, saturated ${(stats.saturatedFraction * 100).toFixed(2)} %\n`,
        );
      return ExitCode.ok;
    } catch (error) {
      if (error instanceof DeviceError)
        throw fail(
          error.message,
          error.code === 'out-of-range' || error.code === 'unsupported' ? ExitCode.badInput : ExitCode.runtime,
        );
      throw error;
    } finally {
      await station.stop();
    }
  },
};

async function loadProfile(path: string) {
  try {
    return await loadRigProfile(path);
  } catch (error) {
    if (error instanceof RigProfileError) throw fail(error.message, ExitCode.badInput);
    throw error;
  }
}

function optionalNumber(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`${option} must be a number, not "${text}"`);
  return value;
}

/** DEVICE:all | DEVICE:all=P | DEVICE:CH=P[,CH=P...] */
export function parseLight(spec: string): { device: string; levels: 'all' | number | Record<string, number> } {
  const match = /^([a-z][a-z0-9-]*):(.+)$/.exec(spec);
  if (!match) throw new UsageError(`--light "${spec}": expected DEVICE:all, DEVICE:all=P or DEVICE:CH=P[,CH=P...]`);
  const [, device, rest] = match;
  if (rest === 'all') return { device, levels: 'all' };
  const levels: Record<string, number> = {};
  for (const part of rest.split(',')) {
    const [channel, level] = part.split('=');
    const value = Number(level);
    if (!channel || level === undefined || level.trim() === '' || !Number.isFinite(value))
      throw new UsageError(`--light "${spec}": "${part}" is not CH=PERCENT`);
    if (channel === 'all') return { device, levels: value };
    levels[channel] = value;
  }
  return { device, levels };
}
