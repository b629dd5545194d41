// Golden tests: every string below is taken from the GRBL 1.1 interface documentation (gnea/grbl wiki,
// "Grbl v1.1 Interface" and "Grbl v1.1 Jogging") or its error/alarm CSV tables.
import { describe, expect, it } from 'vitest';
import { encodeJog, grblRealtime, parseGrblLine, parseStatusReport } from './grbl.ts';

describe('GRBL status reports', () => {
  it('parses the documented idle report with machine position and feed/speed', () => {
    expect(parseStatusReport('<Idle|MPos:0.000,0.000,0.000|FS:0,0>')).toEqual({
      state: 'Idle',
      mpos: [0, 0, 0],
      feed: 0,
      spindle: 0,
    });
  });
  it('parses sub-states, work position, WCO, pins and ignores buffer/override fields', () => {
    expect(
      parseStatusReport('<Hold:0|MPos:-1.000,-2.500,-3.125|Bf:15,128|FS:0,0|Pn:XZ|WCO:0.000,0.000,0.000>'),
    ).toEqual({
      state: 'Hold',
      subState: 0,
      mpos: [-1, -2.5, -3.125],
      feed: 0,
      spindle: 0,
      pins: 'XZ',
      wco: [0, 0, 0],
    });
    expect(parseStatusReport('<Jog|WPos:1.000,2.000,3.000|F:500>')).toMatchObject({
      state: 'Jog',
      wpos: [1, 2, 3],
      feed: 500,
    });
  });
  it('refuses malformed reports with a specific message', () => {
    expect(() => parseStatusReport('<Idle|MPos:0.000,0.0')).toThrow(/enclosed in <>/);
    expect(() => parseStatusReport('<Dancing|MPos:0,0,0>')).toThrow(/unknown machine state "Dancing"/);
    expect(() => parseStatusReport('<Idle|MPos:0,x,0>')).toThrow(/bad MPos/);
    expect(() => parseStatusReport('<Idle|FS:0,0>')).toThrow(/no position/);
  });
});

describe('GRBL response lines', () => {
  it('classifies ok, error:N and ALARM:N with the documented meanings', () => {
    expect(parseGrblLine('ok')).toEqual({ kind: 'ok' });
    expect(parseGrblLine('error:9')).toEqual({
      kind: 'error',
      code: 9,
      message: 'G-code locked out during alarm or jog state.',
    });
    expect(parseGrblLine('error:15')).toMatchObject({ message: 'Jog target exceeds machine travel. Command ignored.' });
    expect(parseGrblLine('ALARM:2')).toMatchObject({
      kind: 'alarm',
      code: 2,
      message: expect.stringContaining('exceeds machine travel'),
    });
    expect(parseGrblLine('error:99')).toEqual({ kind: 'error', code: 99, message: 'GRBL error 99' });
  });
  it('recognises the welcome banner, messages, settings and feedback', () => {
    expect(parseGrblLine("Grbl 1.1h ['$' for help]")).toEqual({ kind: 'banner', version: '1.1h' });
    expect(parseGrblLine("[MSG:'$H'|'$X' to unlock]")).toEqual({ kind: 'message', text: "'$H'|'$X' to unlock" });
    expect(parseGrblLine('$130=200.000')).toEqual({ kind: 'setting', id: 130, value: 200 });
    expect(parseGrblLine('[GC:G0 G54 G17 G21 G90 G94 M5 M9 T0 F0 S0]')).toMatchObject({ kind: 'feedback' });
  });
});

describe('GRBL commands', () => {
  it('encodes jogs as $J= lines with explicit units and feed', () => {
    expect(encodeJog({ mode: 'relative', axes: { X: 10, Y: -1.5 }, feed: 100 })).toBe(
      '$J=G91 G21 X10.000 Y-1.500 F100.000\n',
    );
    expect(encodeJog({ mode: 'absolute', axes: { Z: -0 }, feed: 300 })).toBe('$J=G90 G53 G21 Z0.000 F300.000\n');
    expect(() => encodeJog({ mode: 'relative', axes: {}, feed: 100 })).toThrow(/at least one axis/);
    expect(() => encodeJog({ mode: 'relative', axes: { Z: 1 }, feed: 0 })).toThrow(/positive feed/);
  });
  it('uses the documented real-time bytes', () => {
    expect(grblRealtime).toEqual({
      statusQuery: 0x3f,
      feedHold: 0x21,
      cycleStart: 0x7e,
      softReset: 0x18,
      jogCancel: 0x85,
    });
  });
});
