// USB3 Vision codec (pure): GenCP control packets (U3VC prefix), stream leader/trailer for image payloads,
// bootstrap register maps, manifest entries, PFNC pixel formats. Source: AIA USB3 Vision Standard 1.0/1.1
// (sections on the control interface "U3V Control Protocol" and streaming "Leader/Trailer"), EMVA GenCP 1.x;
// see docs/protocols/usb3-vision.md. All fields little-endian.

export const u3vMagic = { command: 0x43563355, leader: 0x4c563355, trailer: 0x54563355 } as const; // "U3VC" "U3VL" "U3VT"
export const gencpCommands = {
  readMem: 0x0800,
  readMemAck: 0x0801,
  writeMem: 0x0802,
  writeMemAck: 0x0803,
  pendingAck: 0x0805,
} as const;
export const gencpFlagRequestAck = 0x4000;

/** USB interface triple of U3V: Miscellaneous class 0xEF, subclass 0x05; protocol 0 control, 1 event, 2 stream. */
export const u3vInterface = { cls: 0xef, subclass: 0x05, control: 0x00, event: 0x01, stream: 0x02 } as const;

export const gencpStatus: Record<number, string> = {
  0x0000: 'success',
  0x8001: 'not implemented',
  0x8002: 'invalid parameter',
  0x8003: 'invalid address',
  0x8004: 'write protect',
  0x8005: 'bad alignment',
  0x8006: 'access denied',
  0x8007: 'busy',
  0x800b: 'message timeout',
  0x800e: 'invalid header',
  0x800f: 'wrong config',
  0x8fff: 'generic error',
};

/** Technology-agnostic bootstrap register map (ABRM) offsets. */
export const abrm = {
  gencpVersion: 0x0000,
  manufacturerName: 0x0004,
  modelName: 0x0044,
  familyName: 0x0084,
  deviceVersion: 0x00c4,
  manufacturerInfo: 0x0104,
  serialNumber: 0x0144,
  userDefinedName: 0x0184,
  deviceCapability: 0x01c4,
  maxDeviceResponseTime: 0x01cc,
  manifestTableAddress: 0x01d0,
  sbrmAddress: 0x01d8,
  deviceConfiguration: 0x01e0,
  heartbeatTimeout: 0x01e8,
  protocolEndianness: 0x0208,
} as const;

/** Technology-specific bootstrap register map (SBRM) offsets, relative to the SBRM address. */
export const sbrm = {
  u3vVersion: 0x00,
  u3vcpCapability: 0x04,
  maxCommandTransferLength: 0x14,
  maxAcknowledgeTransferLength: 0x18,
  numberOfStreamChannels: 0x1c,
  sirmAddress: 0x20,
  sirmLength: 0x28,
} as const;

/** Streaming interface register map (SIRM) offsets, relative to the SIRM address. */
export const sirm = {
  info: 0x00,
  control: 0x04,
  requiredPayloadSize: 0x08,
  requiredLeaderSize: 0x10,
  requiredTrailerSize: 0x14,
  maximumLeaderSize: 0x18,
  payloadTransferSize: 0x1c,
  payloadTransferCount: 0x20,
  payloadFinalTransfer1Size: 0x24,
  payloadFinalTransfer2Size: 0x28,
  maximumTrailerSize: 0x2c,
} as const;

/** PFNC pixel format codes. */
export const pixelFormats = { Mono8: 0x01080001, Mono10: 0x01100003, Mono12: 0x01100005, Mono16: 0x01100007 } as const;
export type PixelFormatName = keyof typeof pixelFormats;
export function pixelFormatName(code: number): PixelFormatName | undefined {
  return (Object.keys(pixelFormats) as PixelFormatName[]).find((name) => pixelFormats[name] === code);
}

export class U3vError extends Error {}

const commandHeader = 12;

export function encodeReadMem(requestId: number, address: bigint, length: number): Uint8Array {
  if (length < 1 || length > 0xffff) throw new RangeError(`READMEM length must be 1..65535, got ${length}`);
  const bytes = new Uint8Array(commandHeader + 12);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, u3vMagic.command, true);
  view.setUint16(4, gencpFlagRequestAck, true);
  view.setUint16(6, gencpCommands.readMem, true);
  view.setUint16(8, 12, true);
  view.setUint16(10, requestId, true);
  view.setBigUint64(12, address, true);
  view.setUint16(20, 0, true);
  view.setUint16(22, length, true);
  return bytes;
}

export function encodeWriteMem(requestId: number, address: bigint, data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(commandHeader + 8 + data.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, u3vMagic.command, true);
  view.setUint16(4, gencpFlagRequestAck, true);
  view.setUint16(6, gencpCommands.writeMem, true);
  view.setUint16(8, 8 + data.length, true);
  view.setUint16(10, requestId, true);
  view.setBigUint64(12, address, true);
  bytes.set(data, 20);
  return bytes;
}

export interface GencpCommand {
  flags: number;
  command: number;
  requestId: number;
  address: bigint;
  /** READMEM: bytes to read */
  readLength?: number;
  /** WRITEMEM: data */
  data?: Uint8Array;
}

export function decodeCommand(bytes: Uint8Array): GencpCommand {
  if (bytes.length < commandHeader)
    throw new U3vError(`command of ${bytes.length} bytes is shorter than the 12-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== u3vMagic.command) throw new U3vError('command prefix is not U3VC');
  const length = view.getUint16(8, true);
  if (bytes.length !== commandHeader + length)
    throw new U3vError(`command says ${length} payload bytes, carries ${bytes.length - commandHeader}`);
  const command = view.getUint16(6, true);
  const base = {
    flags: view.getUint16(4, true),
    command,
    requestId: view.getUint16(10, true),
    address: length >= 8 ? view.getBigUint64(12, true) : 0n,
  };
  if (command === gencpCommands.readMem) {
    if (length !== 12) throw new U3vError(`READMEM payload must be 12 bytes, got ${length}`);
    return { ...base, readLength: view.getUint16(22, true) };
  }
  if (command === gencpCommands.writeMem) {
    if (length < 8) throw new U3vError(`WRITEMEM payload must be at least 8 bytes, got ${length}`);
    return { ...base, data: bytes.slice(20) };
  }
  return base;
}

export function encodeAck(status: number, command: number, requestId: number, payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(commandHeader + payload.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, u3vMagic.command, true);
  view.setUint16(4, status, true);
  view.setUint16(6, command, true);
  view.setUint16(8, payload.length, true);
  view.setUint16(10, requestId, true);
  bytes.set(payload, commandHeader);
  return bytes;
}

export interface GencpAck {
  status: number;
  command: number;
  requestId: number;
  payload: Uint8Array;
}

export function decodeAck(bytes: Uint8Array): GencpAck {
  if (bytes.length < commandHeader)
    throw new U3vError(`acknowledge of ${bytes.length} bytes is shorter than the 12-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== u3vMagic.command)
    throw new U3vError(`acknowledge prefix 0x${view.getUint32(0, true).toString(16)} is not U3VC`);
  const length = view.getUint16(8, true);
  if (bytes.length < commandHeader + length)
    throw new U3vError(`acknowledge truncated: ${bytes.length - commandHeader} of ${length} payload bytes`);
  return {
    status: view.getUint16(4, true),
    command: view.getUint16(6, true),
    requestId: view.getUint16(10, true),
    payload: bytes.slice(commandHeader, commandHeader + length),
  };
}

export interface ImageLeader {
  blockId: bigint;
  timestampNs: bigint;
  pixelFormat: number;
  width: number;
  height: number;
  offsetX: number;
  offsetY: number;
  paddingX: number;
}

export const imageLeaderSize = 52;
export const imageTrailerSize = 32;

export function encodeImageLeader(leader: ImageLeader): Uint8Array {
  const bytes = new Uint8Array(imageLeaderSize);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, u3vMagic.leader, true);
  view.setUint16(6, imageLeaderSize, true);
  view.setBigUint64(8, leader.blockId, true);
  view.setUint16(18, 0x0001, true); // payload type: image
  view.setBigUint64(20, leader.timestampNs, true);
  view.setUint32(28, leader.pixelFormat, true);
  view.setUint32(32, leader.width, true);
  view.setUint32(36, leader.height, true);
  view.setUint32(40, leader.offsetX, true);
  view.setUint32(44, leader.offsetY, true);
  view.setUint16(48, leader.paddingX, true);
  return bytes;
}

export function decodeImageLeader(bytes: Uint8Array): ImageLeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 20 || view.getUint32(0, true) !== u3vMagic.leader)
    throw new U3vError('stream block does not start with a U3VL leader');
  const size = view.getUint16(6, true);
  const payloadType = view.getUint16(18, true);
  if (payloadType !== 0x0001)
    throw new U3vError(
      `leader announces payload type 0x${payloadType.toString(16)}, only images (0x0001) are supported`,
    );
  if (size < imageLeaderSize || bytes.length < imageLeaderSize)
    throw new U3vError(`image leader of ${bytes.length} bytes is shorter than ${imageLeaderSize}`);
  return {
    blockId: view.getBigUint64(8, true),
    timestampNs: view.getBigUint64(20, true),
    pixelFormat: view.getUint32(28, true),
    width: view.getUint32(32, true),
    height: view.getUint32(36, true),
    offsetX: view.getUint32(40, true),
    offsetY: view.getUint32(44, true),
    paddingX: view.getUint16(48, true),
  };
}

export interface ImageTrailer {
  blockId: bigint;
  status: number;
  validPayloadSize: bigint;
  height: number;
}

export function encodeImageTrailer(trailer: ImageTrailer): Uint8Array {
  const bytes = new Uint8Array(imageTrailerSize);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, u3vMagic.trailer, true);
  view.setUint16(6, imageTrailerSize, true);
  view.setBigUint64(8, trailer.blockId, true);
  view.setUint16(16, trailer.status, true);
  view.setBigUint64(20, trailer.validPayloadSize, true);
  view.setUint32(28, trailer.height, true);
  return bytes;
}

export function decodeImageTrailer(bytes: Uint8Array): ImageTrailer {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 28 || view.getUint32(0, true) !== u3vMagic.trailer)
    throw new U3vError('stream block does not end with a U3VT trailer');
  return {
    blockId: view.getBigUint64(8, true),
    status: view.getUint16(16, true),
    validPayloadSize: view.getBigUint64(20, true),
    height: bytes.length >= 32 ? view.getUint32(28, true) : 0,
  };
}

export interface ManifestEntry {
  fileVersion: { major: number; minor: number; subminor: number };
  /** 0 = device description XML */
  fileType: number;
  /** 0 = uncompressed, 1 = zip */
  compression: number;
  address: bigint;
  size: bigint;
}

/** Manifest table: u64 entry count, then 64-byte entries. */
export function decodeManifestEntry(bytes: Uint8Array): ManifestEntry {
  if (bytes.length < 24) throw new U3vError(`manifest entry of ${bytes.length} bytes is too short`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(0, true);
  const format = view.getUint32(4, true);
  return {
    fileVersion: { major: version >>> 24, minor: (version >>> 16) & 0xff, subminor: version & 0xffff },
    fileType: format & 0x3ff,
    compression: (format >>> 10) & 0x3f,
    address: view.getBigUint64(8, true),
    size: view.getBigUint64(16, true),
  };
}

export function encodeManifestEntry(entry: ManifestEntry): Uint8Array {
  const bytes = new Uint8Array(64);
  const view = new DataView(bytes.buffer);
  const v = entry.fileVersion;
  view.setUint32(0, ((v.major << 24) | (v.minor << 16) | v.subminor) >>> 0, true);
  view.setUint32(4, (entry.fileType & 0x3ff) | ((entry.compression & 0x3f) << 10), true);
  view.setBigUint64(8, entry.address, true);
  view.setBigUint64(16, entry.size, true);
  return bytes;
}
