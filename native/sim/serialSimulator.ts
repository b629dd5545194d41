// Entry point of one serial device simulator process: opens the device end of a pseudo-terminal pair with the
// real serialport binding and runs a firmware model on it. Faults are injected through stdin, one JSON object
// per line, so a test can make the device misbehave without a back door in the protocol:
//   {"fault":"garbage"}            send random non-protocol bytes
//   {"fault":"silence","ms":1500}  ignore input and send nothing for a while
//   {"fault":"corrupt-next"}       flip one bit in the next reply
//   {"fault":"answer-late"}        hold the next reply back until the following request arrives
//   {"fault":"hard-limit"}         GRBL only: a limit switch trips (ALARM:1)
//   {"fault":"over-temperature"}   ring light only: outputs refuse new levels
// Usage: node serialSimulator.ts --device grbl|coolled|ring --path /dev/pts/N [--segments 8] [--companion-pid N]
// --companion-pid names the socat process of the pty pair: when our parent dies without stopping us (its stdin
// pipe closes), we stop socat too, so no pty pair outlives the station.
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { SerialTransport } from '../transport/serialTransport.ts';
import { runFirmware, type SimFault, type SimulatedDevice } from './firmwareRunner.ts';

export type { SimFault, SimulatedDevice };

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      device: { type: 'string' },
      path: { type: 'string' },
      segments: { type: 'string' },
      'companion-pid': { type: 'string' },
    },
  });
  const device = values.device as SimulatedDevice;
  if (!values.path || !['grbl', 'coolled', 'ring'].includes(device))
    throw new Error('usage: --device grbl|coolled|ring --path PTY');
  const port = new SerialTransport({ path: values.path, baudRate: 115200 });
  await port.open();

  const running = runFirmware(port, device, {
    segments: Number(values.segments ?? 8),
    onWriteError: () => process.exit(0),
  });
  port.onClose(() => process.exit(0));

  createInterface({ input: process.stdin }).on('line', (line) => {
    let fault: SimFault;
    try {
      fault = JSON.parse(line) as SimFault;
    } catch {
      return;
    }
    running.inject(fault);
  });
  process.stdin.on('end', () => {
    const companion = Number(values['companion-pid']);
    if (Number.isInteger(companion) && companion > 0) {
      try {
        process.kill(companion, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    process.exit(0);
  });
  process.stdout.write('ready\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`simulator failed: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
