// GRBL 1.1 serial protocol codec (pure). Source: the GRBL 1.1 interface documentation,
// https://github.com/gnea/grbl/wiki/Grbl-v1.1-Interface and the error/alarm code tables in
// doc/csv/error_codes_en_US.csv, alarm_codes_en_US.csv; see docs/protocols/grbl.md.

/** Real-time command bytes: acted on at once, never answered with ok, never queued. */
export const grblRealtime = {
  statusQuery: 0x3f,
  feedHold: 0x21,
  cycleStart: 0x7e,
  softReset: 0x18,
  jogCancel: 0x85,
} as const;

export type GrblMachineState = 'Idle' | 'Run' | 'Hold' | 'Jog' | 'Alarm' | 'Door' | 'Check' | 'Home' | 'Sleep';
const machineStates: readonly string[] = ['Idle', 'Run', 'Hold', 'Jog', 'Alarm', 'Door', 'Check', 'Home', 'Sleep'];

export interface GrblStatus {
  state: GrblMachineState;
  subState?: number;
  /** Machine position, when the report carries MPos (default $10=1). */
  mpos?: number[];
  /** Work position, when the report carries WPos. */
  wpos?: number[];
  wco?: number[];
  feed?: number;
  spindle?: number;
  /** Limit/probe/door pins reported as triggered, e.g. "XZ". */
  pins?: string;
}

export type GrblLine =
  | { kind: 'ok' }
  | { kind: 'error'; code: number; message: string }
  | { kind: 'alarm'; code: number; message: string }
  | { kind: 'status'; status: GrblStatus }
  | { kind: 'banner'; version: string }
  | { kind: 'message'; text: string }
  | { kind: 'setting'; id: number; value: number }
  | { kind: 'feedback'; text: string }
  | { kind: 'unknown'; text: string };

export class GrblParseError extends Error {}

// From the GRBL 1.1 error code table (subset the firmware can send in our use; the rest keep their number).
export const grblErrorMessages: Record<number, string> = {
  1: 'G-code words consist of a letter and a value. Letter was not found.',
  2: 'Numeric value format is not valid or missing an expected value.',
  3: "Grbl '$' system command was not recognized or supported.",
  4: 'Negative value received for an expected positive value.',
  5: 'Homing cycle is not enabled via settings.',
  8: "Grbl '$' command cannot be used unless Grbl is IDLE. Ensures smooth operation during a job.",
  9: 'G-code locked out during alarm or jog state.',
  10: 'Soft limits cannot be enabled without homing also enabled.',
  11: 'Max characters per line exceeded. Line was not processed and executed.',
  15: 'Jog target exceeds machine travel. Command ignored.',
  16: "Jog command with no '=' or contains prohibited g-code.",
  20: 'Unsupported or invalid g-code command found in block.',
  22: 'Feed rate has not yet been set or is undefined.',
  33: 'Motion command has an invalid target.',
};

export const grblAlarmMessages: Record<number, string> = {
  1: 'Hard limit triggered. Machine position is likely lost due to sudden and immediate halt. Re-homing is highly recommended.',
  2: 'G-code motion target exceeds machine travel. Machine position safely retained. Alarm may be unlocked.',
  3: 'Reset while in motion. Grbl cannot guarantee position. Lost steps are likely. Re-homing is highly recommended.',
  4: 'Probe fail. The probe is not in the expected initial state before starting probe cycle.',
  5: 'Probe fail. Probe did not contact the workpiece within the programmed travel.',
  6: 'Homing fail. Reset during active homing cycle.',
  7: 'Homing fail. Safety door was opened during active homing cycle.',
  8: 'Homing fail. Cycle failed to clear limit switch when pulling off.',
  9: 'Homing fail. Could not find limit switch within search distance.',
};

function numbers(field: string, what: string): number[] {
  const values = field.split(',').map(Number);
  if (values.some((v) => !Number.isFinite(v))) throw new GrblParseError(`bad ${what} "${field}"`);
  return values;
}

/** Parses `<Idle|MPos:0.000,0.000,0.000|FS:0,0>` and the other 1.1 status report fields. */
export function parseStatusReport(line: string): GrblStatus {
  if (!line.startsWith('<') || !line.endsWith('>'))
    throw new GrblParseError(`status report must be enclosed in <>: ${JSON.stringify(line)}`);
  const [stateField, ...fields] = line.slice(1, -1).split('|');
  const [stateName, sub] = stateField.split(':');
  if (!machineStates.includes(stateName)) throw new GrblParseError(`unknown machine state "${stateName}"`);
  const status: GrblStatus = { state: stateName as GrblMachineState };
  if (sub !== undefined) status.subState = Number(sub);
  for (const field of fields) {
    const colon = field.indexOf(':');
    const key = colon < 0 ? field : field.slice(0, colon);
    const value = colon < 0 ? '' : field.slice(colon + 1);
    if (key === 'MPos') status.mpos = numbers(value, 'MPos');
    else if (key === 'WPos') status.wpos = numbers(value, 'WPos');
    else if (key === 'WCO') status.wco = numbers(value, 'WCO');
    else if (key === 'FS') [status.feed, status.spindle] = numbers(value, 'FS');
    else if (key === 'F') [status.feed] = numbers(value, 'F');
    else if (key === 'Pn') status.pins = value;
    // Bf, Ln, Ov, A fields are valid 1.1 fields we do not need.
  }
  if (!status.mpos && !status.wpos) throw new GrblParseError(`status report has no position: ${JSON.stringify(line)}`);
  return status;
}

/** Classifies one line (without its line ending) sent by GRBL. */
export function parseGrblLine(line: string): GrblLine {
  if (line === 'ok') return { kind: 'ok' };
  let match = /^error:(\d+)$/.exec(line);
  if (match) {
    const code = Number(match[1]);
    return { kind: 'error', code, message: grblErrorMessages[code] ?? `GRBL error ${code}` };
  }
  match = /^ALARM:(\d+)$/.exec(line);
  if (match) {
    const code = Number(match[1]);
    return { kind: 'alarm', code, message: grblAlarmMessages[code] ?? `GRBL alarm ${code}` };
  }
  if (line.startsWith('<')) return { kind: 'status', status: parseStatusReport(line) };
  match = /^Grbl (\S+)/.exec(line);
  if (match) return { kind: 'banner', version: match[1] };
  match = /^\[MSG:(.*)\]$/.exec(line);
  if (match) return { kind: 'message', text: match[1] };
  match = /^\$(\d+)=(-?[\d.]+)$/.exec(line);
  if (match) return { kind: 'setting', id: Number(match[1]), value: Number(match[2]) };
  if (line.startsWith('[') && line.endsWith(']')) return { kind: 'feedback', text: line.slice(1, -1) };
  return { kind: 'unknown', text: line };
}

export interface JogTarget {
  /** G90 absolute machine-frame target or G91 relative move. */
  mode: 'absolute' | 'relative';
  /** Axis letter → millimetres (GRBL treats every axis as linear; a rotation axis is configured in degrees-as-mm). */
  axes: Partial<Record<'X' | 'Y' | 'Z', number>>;
  /** mm/min */
  feed: number;
}

function formatNumber(value: number): string {
  const text = value.toFixed(3);
  return text === '-0.000' ? '0.000' : text;
}

/** `$J=G91 G21 Z0.500 F120` + LF. Jogs can be cancelled with 0x85 and never leave queued motion behind. */
export function encodeJog(target: JogTarget): string {
  const words = (Object.entries(target.axes) as [string, number][]).map(
    ([axis, value]) => `${axis}${formatNumber(value)}`,
  );
  if (words.length === 0) throw new RangeError('a jog needs at least one axis');
  if (!(target.feed > 0)) throw new RangeError('a jog needs a positive feed rate');
  // G53 (machine coordinates) keeps absolute jogs independent of any work offset set on the controller.
  const frame = target.mode === 'absolute' ? 'G90 G53' : 'G91';
  return `$J=${frame} G21 ${words.join(' ')} F${formatNumber(target.feed)}\n`;
}
