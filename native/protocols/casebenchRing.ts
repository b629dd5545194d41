// Casebench ring-light protocol codec (pure): an open binary protocol for a home-built N-segment LED ring
// controller. Specification: docs/protocols/casebench-ring.md. Frame layout (all integers big-endian):
//   0xA5 | LEN | SEQ | CMD | PAYLOAD (LEN-2 bytes) | CRC16 hi | CRC16 lo
// LEN counts SEQ + CMD + PAYLOAD (2..66). CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no
// final xor) over LEN, SEQ, CMD and PAYLOAD. A reply carries the request's SEQ and CMD | 0x80.

export const ringSof = 0xa5;
export const ringMaxPayload = 64;
/** Levels are in tenths of a percent: 0..1000. */
export const ringMaxLevel = 1000;

export const ringCommands = { hello: 0x01, setLevels: 0x02, getLevels: 0x03, allOff: 0x04, error: 0x7f } as const;

export const ringErrorCodes: Record<number, string> = {
  1: 'bad checksum',
  2: 'unknown command',
  3: 'bad payload length',
  4: 'segment or level out of range',
  5: 'over-temperature: outputs switched off',
};

export interface RingFrame {
  seq: number;
  cmd: number;
  payload: Uint8Array;
}

export function crc16CcittFalse(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) {
    crc ^= bytes[i] << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

export function encodeRingFrame(frame: RingFrame): Uint8Array {
  if (frame.payload.length > ringMaxPayload)
    throw new RangeError(`payload of ${frame.payload.length} bytes exceeds ${ringMaxPayload}`);
  const length = frame.payload.length + 2;
  const bytes = new Uint8Array(length + 4);
  bytes[0] = ringSof;
  bytes[1] = length;
  bytes[2] = frame.seq & 0xff;
  bytes[3] = frame.cmd & 0xff;
  bytes.set(frame.payload, 4);
  const crc = crc16CcittFalse(bytes, 1, length + 2);
  bytes[length + 2] = crc >> 8;
  bytes[length + 3] = crc & 0xff;
  return bytes;
}

export type RingDecodeEvent = { frame: RingFrame } | { error: string; skipped: number };

/**
 * Incremental decoder: feed it bytes as they arrive, get frames and resynchronisation reports back. On a bad
 * length or checksum it drops the start byte and scans for the next 0xA5, so one damaged frame costs one frame.
 */
export class RingDecoder {
  private buffer = new Uint8Array(0);

  push(bytes: Uint8Array): RingDecodeEvent[] {
    const joined = new Uint8Array(this.buffer.length + bytes.length);
    joined.set(this.buffer);
    joined.set(bytes, this.buffer.length);
    const events: RingDecodeEvent[] = [];
    let offset = 0;
    while (offset < joined.length) {
      if (joined[offset] !== ringSof) {
        let next = joined.indexOf(ringSof, offset);
        if (next < 0) next = joined.length;
        events.push({ error: `${next - offset} byte(s) outside any frame`, skipped: next - offset });
        offset = next;
        continue;
      }
      if (joined.length - offset < 2) break;
      const length = joined[offset + 1];
      if (length < 2 || length > ringMaxPayload + 2) {
        events.push({ error: `impossible frame length ${length}`, skipped: 1 });
        offset += 1;
        continue;
      }
      if (joined.length - offset < length + 4) break;
      const crc = (joined[offset + length + 2] << 8) | joined[offset + length + 3];
      const expected = crc16CcittFalse(joined, offset + 1, offset + length + 2);
      if (crc !== expected) {
        events.push({
          error: `checksum 0x${crc.toString(16).padStart(4, '0')} does not match 0x${expected.toString(16).padStart(4, '0')}`,
          skipped: 1,
        });
        offset += 1;
        continue;
      }
      events.push({
        frame: {
          seq: joined[offset + 2],
          cmd: joined[offset + 3],
          payload: joined.slice(offset + 4, offset + length + 2),
        },
      });
      offset += length + 4;
    }
    this.buffer = joined.slice(offset);
    return events;
  }

  /** Bytes of an incomplete frame waiting for the rest (a truncated frame stays here until the next resync). */
  get pendingBytes(): number {
    return this.buffer.length;
  }

  reset(): void {
    this.buffer = new Uint8Array(0);
  }
}

/** SET_LEVELS payload: first segment, count, then one u16 level per segment. */
export function encodeSetLevels(first: number, levels: readonly number[]): Uint8Array {
  const payload = new Uint8Array(2 + levels.length * 2);
  payload[0] = first;
  payload[1] = levels.length;
  levels.forEach((level, i) => {
    if (!Number.isInteger(level) || level < 0 || level > ringMaxLevel)
      throw new RangeError(`ring level must be an integer 0..${ringMaxLevel}, got ${level}`);
    payload[2 + i * 2] = level >> 8;
    payload[3 + i * 2] = level & 0xff;
  });
  return payload;
}

/** Levels payload of SET_LEVELS / GET_LEVELS replies: count, then u16 per segment from segment 0. */
export function decodeLevels(payload: Uint8Array): number[] {
  if (payload.length < 1 || payload.length !== 1 + payload[0] * 2)
    throw new RangeError(`levels payload of ${payload.length} bytes does not match its count`);
  return Array.from({ length: payload[0] }, (_, i) => (payload[1 + i * 2] << 8) | payload[2 + i * 2]);
}

export function encodeLevels(levels: readonly number[]): Uint8Array {
  const payload = new Uint8Array(1 + levels.length * 2);
  payload[0] = levels.length;
  levels.forEach((level, i) => {
    payload[1 + i * 2] = level >> 8;
    payload[2 + i * 2] = level & 0xff;
  });
  return payload;
}

export interface RingHello {
  protocolVersion: number;
  segments: number;
  maxLevel: number;
  firmware: string;
}

export function decodeHello(payload: Uint8Array): RingHello {
  if (payload.length < 4) throw new RangeError(`HELLO reply of ${payload.length} bytes is too short`);
  return {
    protocolVersion: payload[0],
    segments: payload[1],
    maxLevel: (payload[2] << 8) | payload[3],
    firmware: new TextDecoder().decode(payload.slice(4)),
  };
}

export function encodeHello(hello: RingHello): Uint8Array {
  const name = new TextEncoder().encode(hello.firmware).slice(0, ringMaxPayload - 4);
  const payload = new Uint8Array(4 + name.length);
  payload.set([hello.protocolVersion, hello.segments, hello.maxLevel >> 8, hello.maxLevel & 0xff]);
  payload.set(name, 4);
  return payload;
}
