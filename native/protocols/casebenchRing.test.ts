// Golden tests: the example frames in docs/protocols/casebench-ring.md, byte for byte, and the CRC check value.
import { describe, expect, it } from 'vitest';
import {
  RingDecoder,
  crc16CcittFalse,
  decodeLevels,
  encodeRingFrame,
  encodeSetLevels,
  ringCommands,
} from './casebenchRing.ts';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

describe('Casebench ring protocol codec', () => {
  it('uses CRC-16/CCITT-FALSE (check value 0x29B1 for "123456789")', () => {
    expect(crc16CcittFalse(new TextEncoder().encode('123456789'))).toBe(0x29b1);
  });
  it('encodes the documented HELLO and SET_LEVELS frames', () => {
    expect(hex(encodeRingFrame({ seq: 1, cmd: ringCommands.hello, payload: new Uint8Array(0) }))).toBe(
      'a5 02 01 01 81 ec',
    );
    expect(
      hex(encodeRingFrame({ seq: 7, cmd: ringCommands.setLevels, payload: encodeSetLevels(2, [500, 1000]) })),
    ).toBe('a5 08 07 02 02 02 01 f4 03 e8 39 e6');
    expect(() => encodeSetLevels(0, [1001])).toThrow(/0\.\.1000/);
  });
  it('decodes frames split across reads and skips garbage before them', () => {
    const decoder = new RingDecoder();
    const frame = encodeRingFrame({ seq: 9, cmd: 0x83, payload: Uint8Array.of(2, 0, 10, 3, 232) });
    expect(decoder.push(Uint8Array.of(0x00, 0x13, ...frame.slice(0, 4)))).toEqual([
      { error: '2 byte(s) outside any frame', skipped: 2 },
    ]);
    const events = decoder.push(frame.slice(4));
    expect(events).toHaveLength(1);
    const decoded = (events[0] as { frame: { seq: number; payload: Uint8Array } }).frame;
    expect(decoded.seq).toBe(9);
    expect(decodeLevels(decoded.payload)).toEqual([10, 1000]);
  });
  it('rejects a wrong checksum and resynchronises on the next frame', () => {
    const decoder = new RingDecoder();
    const bad = encodeRingFrame({ seq: 1, cmd: 0x81, payload: Uint8Array.of(1, 8, 3, 232) });
    bad[bad.length - 1] ^= 0xff;
    const good = encodeRingFrame({ seq: 2, cmd: 0x83, payload: Uint8Array.of(0) });
    const events = decoder.push(Uint8Array.of(...bad, ...good));
    expect(events[0]).toMatchObject({ error: expect.stringMatching(/^checksum 0x[0-9a-f]{4} does not match/) });
    expect(events.at(-1)).toMatchObject({ frame: { seq: 2, cmd: 0x83 } });
  });
  it('holds a truncated frame until more bytes come, and rejects impossible lengths', () => {
    const decoder = new RingDecoder();
    expect(decoder.push(Uint8Array.of(0xa5, 0x05, 0x01))).toEqual([]);
    expect(decoder.pendingBytes).toBe(3);
    expect(new RingDecoder().push(Uint8Array.of(0xa5, 0xff))[0]).toEqual({
      error: 'impossible frame length 255',
      skipped: 1,
    });
  });
});
