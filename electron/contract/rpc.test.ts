import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, messageJsonLimits } from './rpc.ts';

describe('socket framing', () => {
  it('sends plain messages as JSON text', () => {
    expect(encodeFrame({ t: 'result', id: 1, output: { a: 1 } })).toBe('{"t":"result","id":1,"output":{"a":1}}');
  });

  it('round-trips nested binary values in one binary frame', () => {
    const message = {
      t: 'event',
      id: 3,
      payload: {
        frame: new Uint8Array([9, 8, 7]),
        meta: { thumbs: [new Uint8Array([1]), new Uint8Array([2, 3])] },
        raw: new Uint8Array([4, 5]).buffer,
      },
    };
    const frame = encodeFrame(message);
    expect(frame).toBeInstanceOf(Uint8Array);
    const decoded = decodeFrame(frame as Uint8Array) as typeof message;
    expect([...decoded.payload.frame]).toEqual([9, 8, 7]);
    expect(decoded.payload.meta.thumbs.map((t) => [...t])).toEqual([[1], [2, 3]]);
    expect([...new Uint8Array(decoded.payload.raw)]).toEqual([4, 5]);
  });

  it('refuses truncated or inconsistent binary frames', () => {
    const frame = encodeFrame({ data: new Uint8Array(100) }) as Uint8Array;
    expect(() => decodeFrame(frame.subarray(0, 50))).toThrow(/shorter than its header/);
    expect(() => decodeFrame(new Uint8Array([255, 255, 0, 0, 1]))).toThrow(/overruns/);
    expect(() => decodeFrame(new Uint8Array([1]))).toThrow(/too short/);
  });

  it('refuses blob markers that would walk a huge sparse index or point outside the frame', () => {
    const frameWith = (header: unknown, tail = new Uint8Array(0)) => {
      const json = new TextEncoder().encode(JSON.stringify(header));
      const frame = new Uint8Array(4 + json.byteLength + tail.byteLength);
      new DataView(frame.buffer).setUint32(0, json.byteLength, true);
      frame.set(json, 4);
      frame.set(tail, 4 + json.byteLength);
      return frame;
    };
    // Before the fix this one walked 4 billion holes, allocating a blob for each (the process ran out of memory).
    expect(() => decodeFrame(frameWith({ a: { $bin: 4294967294, len: 0 } }))).toThrow(/invalid blob marker/);
    expect(() => decodeFrame(frameWith({ a: { $bin: -1, len: 0 } }))).toThrow(/invalid blob marker/);
    expect(() => decodeFrame(frameWith({ a: { $bin: 0.5, len: 0 } }))).toThrow(/invalid blob marker/);
    expect(() => decodeFrame(frameWith({ a: { $bin: 0, len: -3 } }, new Uint8Array(8)))).toThrow(/invalid blob marker/);
    expect(() => decodeFrame(frameWith({ a: { $bin: 1, len: 1 } }, new Uint8Array(8)))).toThrow(/no blob 0/);
  });

  it('keeps a "__proto__" key of a binary frame as data, never as the prototype', () => {
    const json = new TextEncoder().encode('{"input":{"__proto__":{"role":"admin"}},"b":{"$bin":0,"len":1}}');
    const frame = new Uint8Array(4 + json.byteLength + 1);
    new DataView(frame.buffer).setUint32(0, json.byteLength, true);
    frame.set(json, 4);
    const decoded = decodeFrame(frame) as { input: Record<string, unknown> };
    expect(Object.getPrototypeOf(decoded.input)).toBe(Object.prototype);
    expect((decoded.input as { role?: string }).role).toBeUndefined();
  });
});

describe('message JSON limits at the host', () => {
  it('refuses JSON nested too deep or too long before parsing it; the client decodes its host unlimited', () => {
    const deep = `{"t":"call","id":1,"method":"x","input":${'['.repeat(200)}${']'.repeat(200)}}`;
    expect(() => decodeFrame(deep, messageJsonLimits)).toThrow(/nests deeper than 64 levels/);
    expect(() => decodeFrame('"' + 'a'.repeat(messageJsonLimits.maxBytes) + '"', messageJsonLimits)).toThrow(
      /more than the .* accepted/,
    );
    // Brackets inside strings are text, not structure.
    expect(decodeFrame(JSON.stringify({ s: '['.repeat(500) }), messageJsonLimits)).toEqual({ s: '['.repeat(500) });
    expect(() => decodeFrame(deep)).not.toThrow();
    const header = new TextEncoder().encode(deep);
    const binary = new Uint8Array(4 + header.byteLength);
    new DataView(binary.buffer).setUint32(0, header.byteLength, true);
    binary.set(header, 4);
    expect(() => decodeFrame(binary, messageJsonLimits)).toThrow(/nests deeper/);
  });
});
