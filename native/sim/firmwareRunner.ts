// Runs a device's firmware model on the device end of a byte transport, with the faults a test may inject.
// The same code serves the simulator process behind a pty (serialSimulator.ts, for the real serialport binding)
// and the in-memory pair of the fast driver tests (startMemorySimulator), as node-serialport's mock binding
// stands in for a port with a device model behind it.
import { memoryPair, type ByteTransport, type MemoryTransport } from '../transport/byteTransport.ts';
import { GrblFirmware } from './grblFirmware.ts';
import { CoolLedFirmware } from './coolLedFirmware.ts';
import { RingFirmware } from './ringFirmware.ts';

export type SimulatedDevice = 'grbl' | 'coolled' | 'ring';
export type SimFault =
  | { fault: 'garbage' }
  | { fault: 'silence'; ms: number }
  | { fault: 'corrupt-next' }
  /** The next reply is held back and sent just before the reply to the following request (a slow controller). */
  | { fault: 'answer-late' }
  | { fault: 'hard-limit' }
  | { fault: 'over-temperature'; on: boolean };

export interface RunningFirmware {
  readonly firmware: GrblFirmware | CoolLedFirmware | RingFirmware;
  inject(fault: SimFault): void;
  /** Stops the firmware's clock and stops listening (the transport stays as it is). */
  stop(): void;
}

/** Starts `device`'s firmware on `port` (already open): it boots, keeps time, answers, and misbehaves on request. */
export function runFirmware(
  port: ByteTransport,
  device: SimulatedDevice,
  options: { segments?: number; onWriteError?: (error: unknown) => void } = {},
): RunningFirmware {
  let silentUntil = 0;
  let corruptNext = false;
  let holdNext = false;
  let held: Uint8Array | undefined;
  const write = (bytes: Uint8Array) => port.write(bytes).catch((error: unknown) => options.onWriteError?.(error));
  const send = (data: Uint8Array | string) => {
    if (Date.now() < silentUntil) return;
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data.slice();
    if (corruptNext && bytes.length > 0) {
      corruptNext = false;
      bytes[bytes.length >> 1] ^= 0x04;
    }
    if (holdNext) {
      holdNext = false;
      held = bytes;
      return;
    }
    void write(bytes);
  };
  const now = () => performance.now();
  const firmware =
    device === 'grbl'
      ? new GrblFirmware(send, undefined, now())
      : device === 'coolled'
        ? new CoolLedFirmware(send)
        : new RingFirmware(send, options.segments ?? 8);
  const stopListening = port.onData((bytes) => {
    if (Date.now() < silentUntil) return;
    if (held) void write(held);
    held = undefined;
    firmware.receive(bytes, now());
  });
  // Physics: the stage keeps moving between messages so completion (ok after $H, Idle) is reported on time.
  const clock = setInterval(() => firmware.tick(now()), 5);
  firmware.boot();
  return {
    firmware,
    inject(fault) {
      if (fault.fault === 'garbage')
        void write(Uint8Array.from({ length: 24 }, () => 0x80 | Math.floor(Math.random() * 0x7f)));
      else if (fault.fault === 'silence') silentUntil = Date.now() + fault.ms;
      else if (fault.fault === 'corrupt-next') corruptNext = true;
      else if (fault.fault === 'answer-late') holdNext = true;
      else if (fault.fault === 'hard-limit' && firmware instanceof GrblFirmware) firmware.triggerHardLimit();
      else if (fault.fault === 'over-temperature' && firmware instanceof RingFirmware)
        firmware.overTemperature = fault.on;
    },
    stop() {
      clearInterval(clock);
      stopListening();
    },
  };
}

export interface MemorySimulator extends RunningFirmware {
  /** The driver's end: give it to the driver as its transport. */
  readonly transport: MemoryTransport;
  /** Pulls the cable: the driver's end closes with an error (the device end stays, so a reopen reconnects). */
  unplug(): void;
}

/** A simulated device at the far end of an in-memory pair, in this process: fast driver tests without a pty. */
export async function startMemorySimulator(
  device: SimulatedDevice,
  options: { segments?: number } = {},
): Promise<MemorySimulator> {
  const [transport, deviceEnd] = memoryPair(device);
  await deviceEnd.open();
  const running = runFirmware(deviceEnd, device, options);
  return { ...running, transport, unplug: () => transport.unplug() };
}
