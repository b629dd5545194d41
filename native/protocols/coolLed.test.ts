// Golden tests against the pE-4000 command strings (CoolLED's Micro-Manager adapter; docs/protocols/coolled-pe4000.md).
import { describe, expect, it } from 'vitest';
import { encodeSelect, encodeSetIntensity, encodeSwitch, formatChannelStatus, parseChannelStatus } from './coolLed.ts';

describe('CoolLED pE-4000 codec', () => {
  it('encodes commands with a CR terminator', () => {
    expect(encodeSetIntensity('A', 50)).toBe('CAI050\r');
    expect(encodeSetIntensity('D', 100)).toBe('CDI100\r');
    expect(encodeSwitch('B', true)).toBe('CBN\r');
    expect(encodeSwitch('B', false)).toBe('CBF\r');
    expect(encodeSelect('C', false)).toBe('CCX\r');
  });
  it('refuses what the controller cannot do', () => {
    expect(() => encodeSetIntensity('A', 101)).toThrow(/0\.\.100/);
    expect(() => encodeSetIntensity('A', 2.5)).toThrow(/integer/);
    expect(() => encodeSwitch('E', true)).toThrow(/A–D/);
  });
  it('parses the CSS status line, one 6-character group per channel', () => {
    const line = 'CSSASN050BXF000CSF100DXN007';
    const states = parseChannelStatus(line);
    expect(states).toEqual([
      { channel: 'A', selected: true, on: true, intensity: 50 },
      { channel: 'B', selected: false, on: false, intensity: 0 },
      { channel: 'C', selected: true, on: false, intensity: 100 },
      { channel: 'D', selected: false, on: true, intensity: 7 },
    ]);
    expect(formatChannelStatus(states)).toBe(line);
  });
  it('rejects truncated or damaged status lines', () => {
    expect(() => parseChannelStatus('CSSASN05')).toThrow(/not a pE-4000 status line/);
    expect(() => parseChannelStatus('CSSAQN050')).toThrow(/bad channel group/);
    expect(() => parseChannelStatus('CSSASN150')).toThrow(/above 100/);
  });
});
