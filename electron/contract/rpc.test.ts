import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from './rpc.ts';

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
});
