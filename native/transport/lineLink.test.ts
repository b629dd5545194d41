// The line link on its own, over an in-memory pair with a scripted device end: replies matched to their command,
// unsolicited lines passed on, garbage reported and skipped, time-outs, late replies drained, the cable pulled.
import { afterEach, describe, expect, it } from 'vitest';
import { memoryPair, type MemoryTransport } from './byteTransport.ts';
import { LineLink, type LineVerdict } from './lineLink.ts';
import type { DeviceError } from '../devices/errors.ts';

const encoder = new TextEncoder();
const links: LineLink[] = [];

/** A link to a scripted device: `answer` maps each received command line to what the device sends back. */
async function scripted(
  answer: (command: string, device: MemoryTransport) => string | Uint8Array | undefined,
  timeoutMs = 200,
  drainMs = 20,
) {
  const [host, device] = memoryPair('line');
  await host.open();
  await device.open();
  const received: string[] = [];
  let pending = '';
  device.onData((bytes) => {
    pending += new TextDecoder().decode(bytes);
    for (let at = pending.indexOf('\n'); at >= 0; at = pending.indexOf('\n')) {
      const command = pending.slice(0, at);
      pending = pending.slice(at + 1);
      received.push(command);
      const reply = answer(command, device);
      if (reply !== undefined) void device.write(typeof reply === 'string' ? encoder.encode(reply) : reply);
    }
  });
  const link = new LineLink(host, { device: 'test', timeoutMs, drainMs });
  links.push(link);
  return { link, host, device, received };
}

afterEach(() => {
  for (const link of links.splice(0)) link.dispose();
});

const okReply = (line: string): LineVerdict<string> => (line === 'ok' ? { done: line } : 'skip');
const send = (device: MemoryTransport, text: string | Uint8Array) =>
  device.write(typeof text === 'string' ? encoder.encode(text) : text);

describe('line link', () => {
  it('matches each reply to its command, one exchange at a time, and passes other lines on', async () => {
    const { link, received } = await scripted((command) => (command === 'PING' ? '<Idle>\r\nok\r\n' : 'ok\r\n'));
    const unsolicited: string[] = [];
    link.onUnsolicited((line) => unsolicited.push(line));
    const results = await Promise.all([link.exchange('PING\n', okReply), link.exchange('G0\n', okReply)]);
    expect(results).toEqual(['ok', 'ok']);
    expect(received).toEqual(['PING', 'G0']);
    expect(unsolicited).toEqual(['<Idle>']);
  });

  it('collects a multi-line reply with "more" until the last line', async () => {
    const { link } = await scripted(() => 'A=1\r\nB=2\r\nEND\r\n');
    const lines: string[] = [];
    const done = await link.exchange('LIST\n', (line) => {
      if (line === 'END') return { done: lines };
      lines.push(line);
      return 'more';
    });
    expect(done).toEqual(['A=1', 'B=2']);
  });

  it('reports garbage, skips it up to the line end and still takes the reply that follows', async () => {
    const { link, device } = await scripted((command) => (command === 'Q' ? 'ok\r\n' : undefined));
    const garbage: DeviceError[] = [];
    link.onGarbage((error) => garbage.push(error));
    await send(device, Uint8Array.from([0x6f, 0x6b, 0x81, 0xfe, 0x0d, 0x0a])); // "ok" damaged by two bytes
    await send(device, `${'x'.repeat(300)}\r\n`); // longer than a line may be
    await new Promise((r) => setTimeout(r, 10));
    expect(garbage.map((e) => e.message)).toEqual([
      expect.stringContaining('non-printable byte 0x81 after "ok"'),
      expect.stringContaining('line longer than 256 characters'),
    ]);
    expect(await link.exchange('Q\n', okReply)).toBe('ok');
  });

  it('times out a command nobody answers; a garbled answer is said to be garbled', async () => {
    const { link } = await scripted((command) => (command === 'BAD' ? Uint8Array.from([0x9f, 0x0a]) : undefined), 80);
    await expect(link.exchange('SILENT\n', okReply)).rejects.toMatchObject({
      code: 'timeout',
      message: expect.stringContaining('no reply to "SILENT" within 80 ms'),
    });
    await expect(link.exchange('BAD\n', okReply)).rejects.toMatchObject({
      code: 'protocol',
      message: expect.stringContaining('garbled reply to "BAD"'),
    });
  });

  it('waits for a late reply to a failed command to end before sending the next one', async () => {
    // The link waits for 300 ms of quiet after a failure: far longer than the 5 ms pause inside the late reply.
    const { link, device } = await scripted(
      (command, deviceEnd) => {
        // A slow device: its answer to the next command comes 30 ms after it.
        if (command === 'NEXT') setTimeout(() => void send(deviceEnd, 'NEXT-ok\r\n'), 30);
        return undefined;
      },
      60,
      300,
    );
    await expect(link.exchange('SLOW\n', (line) => ({ done: line }))).rejects.toMatchObject({ code: 'timeout' });
    // Its answer to the timed-out command comes after all: a piece now, the rest a moment later.
    await send(device, 'SLOW-');
    await new Promise((r) => setImmediate(r));
    setTimeout(() => void send(device, 'ok\r\n'), 5);
    expect(await link.exchange('NEXT\n', (line) => ({ done: line }))).toBe('NEXT-ok');
  });

  it('fails the waiting exchange when the cable is pulled, and refuses to write until reopened', async () => {
    const { link, host } = await scripted(() => undefined, 5_000);
    const waiting = link.exchange('WAIT\n', okReply);
    await new Promise((r) => setTimeout(r, 5));
    host.unplug();
    await expect(waiting).rejects.toMatchObject({
      code: 'disconnected',
      message: expect.stringContaining('disconnected'),
    });
    await expect(link.exchange('AGAIN\n', okReply)).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('an aborted exchange fails as aborted and the next one goes ahead', async () => {
    const { link } = await scripted((command) => (command === 'GO' ? 'ok\r\n' : undefined), 5_000);
    const controller = new AbortController();
    const waiting = link.exchange('HANG\n', okReply, { signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'aborted' });
    expect(await link.exchange('GO\n', okReply)).toBe('ok');
  });
});
