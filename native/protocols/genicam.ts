// A deliberately small GenICam (GenApi) XML reader: enough to find the registers behind the standard features a
// casing camera needs (Width, Height, OffsetX/Y, PixelFormat, ExposureTime, Gain, AcquisitionStart/Stop,
// PayloadSize) when they are expressed as Integer/Float/Enumeration/Command nodes over IntReg/FloatReg/
// MaskedIntReg registers with constant or register-backed limits. Cameras whose XML computes these through
// SwissKnife/Converter nodes are reported as unsupported, by name, rather than driven wrongly.

export class GenicamError extends Error {}

interface RawNode {
  type: string;
  name: string;
  children: Map<string, string>;
  entries: { name: string; value: number }[];
}

export interface RegisterRef {
  address: bigint;
  length: number;
  kind: 'int' | 'float';
  /** Little-endian unless the XML says BigEndian. */
  bigEndian: boolean;
}

export type LimitRef = { value: number } | { register: RegisterRef };

export interface FeatureInfo {
  name: string;
  type: 'Integer' | 'Float' | 'Enumeration' | 'Command';
  register: RegisterRef;
  min?: LimitRef;
  max?: LimitRef;
  increment?: number;
  unit?: string;
  writable: boolean;
  entries?: { name: string; value: number }[];
  commandValue?: number;
}

const maxXmlBytes = 4 * 1024 * 1024;

function parseNumber(text: string, what: string): number {
  const value = text.trim().toLowerCase().startsWith('0x') ? Number.parseInt(text.trim(), 16) : Number(text.trim());
  if (!Number.isFinite(value)) throw new GenicamError(`${what}: "${text}" is not a number`);
  return value;
}

function parseAddress(text: string, what: string): bigint {
  const trimmed = text.trim();
  if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(trimmed)) throw new GenicamError(`${what}: "${text}" is not an address`);
  return BigInt(trimmed);
}

export class GenicamDescription {
  private readonly nodes = new Map<string, RawNode>();
  readonly modelName: string | undefined;
  readonly vendorName: string | undefined;

  constructor(xml: string) {
    if (xml.length > maxXmlBytes)
      throw new GenicamError(`device description of ${xml.length} bytes exceeds ${maxXmlBytes}`);
    if (/<!DOCTYPE|<!ENTITY/i.test(xml))
      throw new GenicamError('device description contains a DOCTYPE/ENTITY declaration, which is refused');
    const root = /<RegisterDescription\b([^>]*)>/.exec(xml);
    if (!root) throw new GenicamError('not a GenICam device description: no <RegisterDescription> root');
    this.modelName = /ModelName="([^"]*)"/.exec(root[1])?.[1];
    this.vendorName = /VendorName="([^"]*)"/.exec(root[1])?.[1];
    const nodePattern =
      /<(Integer|Float|Enumeration|Command|IntReg|FloatReg|MaskedIntReg|StringReg|IntSwissKnife|SwissKnife|Converter|IntConverter|Boolean)\s+Name="([^"]+)"[^>]*>([\s\S]*?)<\/\1>/g;
    for (const match of xml.matchAll(nodePattern)) {
      const [, type, name, body] = match;
      const entries: RawNode['entries'] = [];
      const withoutEntries = body.replace(
        /<EnumEntry\s+Name="([^"]+)"[^>]*>([\s\S]*?)<\/EnumEntry>/g,
        (_, entryName: string, entryBody: string) => {
          const value = /<Value>([^<]*)<\/Value>/.exec(entryBody);
          if (value) entries.push({ name: entryName, value: parseNumber(value[1], `EnumEntry ${entryName}`) });
          return '';
        },
      );
      const children = new Map<string, string>();
      for (const child of withoutEntries.matchAll(/<(\w+)>([^<]*)<\/\1>/g))
        if (!children.has(child[1])) children.set(child[1], child[2].trim());
      this.nodes.set(name, { type, name, children, entries });
    }
    if (this.nodes.size === 0) throw new GenicamError('device description declares no nodes');
  }

  has(name: string): boolean {
    return this.nodes.has(name);
  }

  feature(name: string): FeatureInfo {
    const node = this.nodes.get(name);
    if (!node) throw new GenicamError(`feature ${name} is not in the device description`);
    if (!['Integer', 'Float', 'Enumeration', 'Command'].includes(node.type))
      throw new GenicamError(`feature ${name} is a ${node.type}, expected Integer, Float, Enumeration or Command`);
    const type = node.type as FeatureInfo['type'];
    const register = this.registerBehind(node);
    const info: FeatureInfo = {
      name,
      type,
      register,
      writable: (this.registerNode(node).children.get('AccessMode') ?? 'RW') !== 'RO',
    };
    const limit = (key: 'Min' | 'Max'): LimitRef | undefined => {
      const constant = node.children.get(key);
      if (constant !== undefined) return { value: parseNumber(constant, `${name}.${key}`) };
      const pointer = node.children.get(`p${key}`);
      if (pointer === undefined) return undefined;
      const target = this.nodes.get(pointer);
      if (!target) throw new GenicamError(`${name}.p${key} points to missing node ${pointer}`);
      const value = target.children.get('Value');
      if (value !== undefined) return { value: parseNumber(value, `${pointer}.Value`) };
      return { register: this.registerBehind(target) };
    };
    info.min = limit('Min');
    info.max = limit('Max');
    const increment = node.children.get('Inc');
    if (increment !== undefined) info.increment = parseNumber(increment, `${name}.Inc`);
    const unit = node.children.get('Unit');
    if (unit !== undefined) info.unit = unit;
    if (type === 'Enumeration') info.entries = node.entries;
    if (type === 'Command')
      info.commandValue = parseNumber(node.children.get('CommandValue') ?? '1', `${name}.CommandValue`);
    return info;
  }

  private registerNode(node: RawNode): RawNode {
    if (['IntReg', 'FloatReg', 'MaskedIntReg'].includes(node.type)) return node;
    const pointer = node.children.get('pValue');
    if (!pointer)
      throw new GenicamError(
        `${node.name} has no pValue register (constant or computed features are not supported here)`,
      );
    const target = this.nodes.get(pointer);
    if (!target) throw new GenicamError(`${node.name}.pValue points to missing node ${pointer}`);
    if (!['IntReg', 'FloatReg', 'MaskedIntReg'].includes(target.type)) {
      throw new GenicamError(
        `${node.name} is computed through a ${target.type} (${pointer}); this reader supports IntReg/FloatReg/MaskedIntReg only`,
      );
    }
    return target;
  }

  private registerBehind(node: RawNode): RegisterRef {
    const reg = this.registerNode(node);
    const address = reg.children.get('Address');
    const length = reg.children.get('Length');
    if (address === undefined || length === undefined)
      throw new GenicamError(`register ${reg.name} lacks Address or Length`);
    const bytes = parseNumber(length, `${reg.name}.Length`);
    if (![1, 2, 4, 8].includes(bytes)) throw new GenicamError(`register ${reg.name} has unsupported length ${bytes}`);
    return {
      address: parseAddress(address, `${reg.name}.Address`),
      length: bytes,
      kind: reg.type === 'FloatReg' ? 'float' : 'int',
      bigEndian: reg.children.get('Endianess') === 'BigEndian',
    };
  }
}

export function encodeRegister(register: RegisterRef, value: number): Uint8Array {
  const bytes = new Uint8Array(register.length);
  const view = new DataView(bytes.buffer);
  const little = !register.bigEndian;
  if (register.kind === 'float') {
    if (register.length === 4) view.setFloat32(0, value, little);
    else if (register.length === 8) view.setFloat64(0, value, little);
    else throw new GenicamError(`float register of ${register.length} bytes`);
  } else if (register.length === 8) view.setBigInt64(0, BigInt(Math.round(value)), little);
  else if (register.length === 4) view.setUint32(0, Math.round(value) >>> 0, little);
  else if (register.length === 2) view.setUint16(0, Math.round(value), little);
  else view.setUint8(0, Math.round(value));
  return bytes;
}

export function decodeRegister(register: RegisterRef, bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = !register.bigEndian;
  if (register.kind === 'float') return register.length === 4 ? view.getFloat32(0, little) : view.getFloat64(0, little);
  if (register.length === 8) return Number(view.getBigInt64(0, little));
  if (register.length === 4) return view.getUint32(0, little);
  if (register.length === 2) return view.getUint16(0, little);
  return view.getUint8(0);
}
