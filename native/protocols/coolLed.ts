// CoolLED pE-4000 ASCII protocol codec (pure). Commands end in CR, replies end in LF (CR LF accepted).
// Source: CoolLED's own Micro-Manager adapter (DeviceAdapters/CoolLEDpE4000/pE4000.cpp, CoolLED Ltd 2017,
// BSD) and the pE-4000 user manual's remote-control chapter; details and what is modelled in
// docs/protocols/coolled-pe4000.md.
//   CSS?          → CSS + per channel [letter][S|X selected][N|F on][iii intensity %], e.g. CSSASN050BXF000CXF000DXF000
//   CxIiii        set channel x intensity (0..100)         CxN / CxF   channel x on / off
//   CSN / CSF     all selected channels on / off           CxS / CxX   select / deselect channel x
//   Cx?           → Cx + iii                               XMODEL      → model line containing "pE-4000"
//   LAMS          → one LAM:x:<nm> line per channel

export const coolLedChannels = ['A', 'B', 'C', 'D'] as const;
export type CoolLedChannel = (typeof coolLedChannels)[number];

export interface CoolLedChannelState {
  channel: CoolLedChannel;
  selected: boolean;
  on: boolean;
  /** percent 0..100 */
  intensity: number;
}

export class CoolLedParseError extends Error {}

function channelOf(letter: string): CoolLedChannel {
  if (!(coolLedChannels as readonly string[]).includes(letter))
    throw new RangeError(`pE-4000 has channels A–D, not "${letter}"`);
  return letter as CoolLedChannel;
}

export function encodeSetIntensity(channel: string, percent: number): string {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100)
    throw new RangeError(`pE-4000 intensity must be an integer 0..100, got ${percent}`);
  return `C${channelOf(channel)}I${String(percent).padStart(3, '0')}\r`;
}

export function encodeSwitch(channel: string, on: boolean): string {
  return `C${channelOf(channel)}${on ? 'N' : 'F'}\r`;
}

export function encodeSelect(channel: string, selected: boolean): string {
  return `C${channelOf(channel)}${selected ? 'S' : 'X'}\r`;
}

export const coolLedStatusQuery = 'CSS?\r';
export const coolLedModelQuery = 'XMODEL\r';

/** Parses the CSS status line (one 6-character group per channel). */
export function parseChannelStatus(line: string): CoolLedChannelState[] {
  if (!line.startsWith('CSS') || (line.length - 3) % 6 !== 0 || line.length < 9)
    throw new CoolLedParseError(`not a pE-4000 status line: ${JSON.stringify(line)}`);
  const states: CoolLedChannelState[] = [];
  for (let offset = 3; offset < line.length; offset += 6) {
    const group = line.slice(offset, offset + 6);
    const match = /^([A-D])([SX])([NF])(\d{3})$/.exec(group);
    if (!match) throw new CoolLedParseError(`bad channel group ${JSON.stringify(group)} in ${JSON.stringify(line)}`);
    const intensity = Number(match[4]);
    if (intensity > 100) throw new CoolLedParseError(`intensity ${intensity} above 100 in ${JSON.stringify(line)}`);
    states.push({ channel: match[1] as CoolLedChannel, selected: match[2] === 'S', on: match[3] === 'N', intensity });
  }
  return states;
}

export function formatChannelStatus(states: readonly CoolLedChannelState[]): string {
  return (
    'CSS' +
    states
      .map((s) => `${s.channel}${s.selected ? 'S' : 'X'}${s.on ? 'N' : 'F'}${String(s.intensity).padStart(3, '0')}`)
      .join('')
  );
}
