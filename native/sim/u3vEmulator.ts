// A USB3 Vision camera behind the WebUSB USBDevice interface: GenCP register space (bootstrap registers,
// manifest, GenICam XML, feature registers) on the control interface's bulk endpoints, and image blocks
// (leader, payload, trailer) on the stream interface's bulk IN endpoint, rendered by a FrameRenderer.
// unplug()/replug() model the cable: pending and later transfers fail like libusb's NO_DEVICE.
import {
  abrm,
  decodeCommand,
  encodeAck,
  encodeImageLeader,
  encodeImageTrailer,
  encodeManifestEntry,
  gencpCommands,
  imageLeaderSize,
  imageTrailerSize,
  pixelFormats,
  sbrm,
  sirm,
  u3vInterface,
  U3vError,
} from '../protocols/u3v.ts';
import type {
  UsbDeviceLike,
  UsbInTransferResultLike,
  UsbInterfaceLike,
  UsbOutTransferResultLike,
} from '../transport/usbDevice.ts';
import type { FrameRenderer } from './cameraRenderer.ts';
import { emulatorRegisters as reg, emulatorXml } from './u3vEmulatorXml.ts';

export const emulatorUsbIds = { vendorId: 0x1209, productId: 0xcb01 } as const; // pid.codes test range

const sbrmAddress = 0x10000;
const sirmAddress = 0x20000;
const manifestAddress = 0x30000;
const xmlAddress = 0x40000;
const controlEndpoint = 1;
const streamEndpoint = 2;

export interface U3vEmulatorOptions {
  renderer: FrameRenderer;
  sensorWidth?: number;
  sensorHeight?: number;
  serialNumber?: string;
  /** Shortest time between frames (the sensor's readout), ms. */
  minFramePeriodMs?: number;
}

type Pending<T> = { resolve(value: T): void; reject(error: Error): void };

export class U3vEmulator implements UsbDeviceLike {
  readonly vendorId = emulatorUsbIds.vendorId;
  readonly productId = emulatorUsbIds.productId;
  readonly manufacturerName = 'Casebench';
  readonly productName = 'CBX-1024M USB3 Vision emulator';
  readonly serialNumber: string;
  readonly configuration: { configurationValue: number; interfaces: UsbInterfaceLike[] };
  opened = false;
  /** Frames rendered so far (for tests and benchmarks). */
  framesRendered = 0;

  private readonly renderer: FrameRenderer;
  private readonly sensorWidth: number;
  private readonly sensorHeight: number;
  private readonly minFramePeriodMs: number;
  private readonly memory = new Map<number, Uint8Array>();
  private readonly xml: Uint8Array;
  private plugged = true;
  private claimed = new Set<number>();
  private acks: Uint8Array[] = [];
  private ackWaiter: Pending<UsbInTransferResultLike> | undefined;
  private streamWaiter: Pending<UsbInTransferResultLike> | undefined;
  private acquiring = false;
  private blockId = 0n;
  private block: { parts: Uint8Array[]; index: number; offset: number } | undefined;
  private lastFrameAt = 0;
  private values = new Map<number, number>();

  constructor(options: U3vEmulatorOptions) {
    this.renderer = options.renderer;
    this.sensorWidth = options.sensorWidth ?? 1024;
    this.sensorHeight = options.sensorHeight ?? 1024;
    this.minFramePeriodMs = options.minFramePeriodMs ?? 10;
    this.serialNumber = options.serialNumber ?? 'CBX0001';
    this.xml = new TextEncoder().encode(emulatorXml(this.sensorWidth, this.sensorHeight));
    const endpoint = (endpointNumber: number, direction: 'in' | 'out') => ({
      endpointNumber,
      direction,
      type: 'bulk' as const,
      packetSize: 1024,
    });
    const intf = (interfaceNumber: number, protocol: number, endpoints: ReturnType<typeof endpoint>[]) => ({
      interfaceNumber,
      alternate: {
        interfaceClass: u3vInterface.cls,
        interfaceSubclass: u3vInterface.subclass,
        interfaceProtocol: protocol,
        endpoints,
      },
    });
    this.configuration = {
      configurationValue: 1,
      interfaces: [
        intf(0, u3vInterface.control, [endpoint(controlEndpoint, 'out'), endpoint(controlEndpoint, 'in')]),
        intf(1, u3vInterface.stream, [endpoint(streamEndpoint, 'in')]),
      ],
    };
    this.resetRegisters();
  }

  // --- the cable ---
  unplug(): void {
    this.plugged = false;
    this.opened = false;
    this.acquiring = false;
    const gone = new Error('LIBUSB_ERROR_NO_DEVICE: device disconnected');
    this.ackWaiter?.reject(gone);
    this.streamWaiter?.reject(gone);
    this.ackWaiter = this.streamWaiter = undefined;
  }

  replug(): void {
    this.plugged = true;
    this.claimed.clear();
    this.acks = [];
    this.block = undefined;
    this.resetRegisters();
  }

  // --- USBDevice ---
  async open(): Promise<void> {
    this.present();
    this.opened = true;
  }
  async close(): Promise<void> {
    this.opened = false;
    this.acquiring = false;
    this.claimed.clear();
  }
  async selectConfiguration(value: number): Promise<void> {
    this.present();
    if (value !== 1) throw new Error(`configuration ${value} does not exist`);
  }
  async claimInterface(interfaceNumber: number): Promise<void> {
    this.ready();
    if (!this.configuration.interfaces.some((i) => i.interfaceNumber === interfaceNumber))
      throw new Error(`interface ${interfaceNumber} does not exist`);
    this.claimed.add(interfaceNumber);
  }
  async releaseInterface(interfaceNumber: number): Promise<void> {
    this.claimed.delete(interfaceNumber);
  }
  async clearHalt(): Promise<void> {
    this.ready();
  }

  async transferOut(endpointNumber: number, data: Uint8Array): Promise<UsbOutTransferResultLike> {
    this.ready();
    if (endpointNumber !== controlEndpoint || !this.claimed.has(0))
      throw new Error(`bulk OUT endpoint ${endpointNumber} is not available`);
    this.pushAck(this.execute(data));
    return { bytesWritten: data.length, status: 'ok' };
  }

  transferIn(endpointNumber: number, length: number): Promise<UsbInTransferResultLike> {
    try {
      this.ready();
    } catch (error) {
      return Promise.reject(error);
    }
    if (endpointNumber === controlEndpoint && this.claimed.has(0)) {
      const ack = this.acks.shift();
      if (ack) return Promise.resolve(this.inResult(ack.slice(0, length)));
      return new Promise((resolve, reject) => (this.ackWaiter = { resolve, reject }));
    }
    if (endpointNumber === streamEndpoint && this.claimed.has(1)) return this.streamIn(length);
    return Promise.reject(new Error(`bulk IN endpoint ${endpointNumber} is not available`));
  }

  // --- GenCP ---
  private execute(bytes: Uint8Array): Uint8Array {
    let command;
    try {
      command = decodeCommand(bytes);
    } catch (error) {
      if (!(error instanceof U3vError)) throw error;
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const requestId = bytes.length >= 12 ? view.getUint16(10, true) : 0;
      return encodeAck(0x800e, 0, requestId, new Uint8Array(0));
    }
    const address = Number(command.address);
    if (command.command === gencpCommands.readMem) {
      const data = this.read(address, command.readLength!);
      return data
        ? encodeAck(0, gencpCommands.readMemAck, command.requestId, data)
        : encodeAck(0x8003, gencpCommands.readMemAck, command.requestId, new Uint8Array(0));
    }
    if (command.command === gencpCommands.writeMem) {
      const status = this.write(address, command.data!);
      const payload = new Uint8Array(4);
      new DataView(payload.buffer).setUint16(2, status === 0 ? command.data!.length : 0, true);
      return encodeAck(status, gencpCommands.writeMemAck, command.requestId, payload);
    }
    return encodeAck(0x8001, command.command + 1, command.requestId, new Uint8Array(0));
  }

  private read(address: number, length: number): Uint8Array | undefined {
    if (address >= xmlAddress && address + length <= xmlAddress + this.xml.length)
      return this.xml.slice(address - xmlAddress, address - xmlAddress + length);
    const out = new Uint8Array(length);
    for (let i = 0; i < length;) {
      const cell = this.memory.get(address + i);
      if (!cell) return undefined;
      const n = Math.min(cell.length, length - i);
      out.set(cell.subarray(0, n), i);
      i += cell.length;
    }
    return out;
  }

  private write(address: number, data: Uint8Array): number {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const u32 = () => view.getUint32(0, true);
    const f64 = () => view.getFloat64(0, true);
    const locked = this.values.get(reg.tlParamsLocked) === 1 || this.acquiring;
    switch (address) {
      case reg.width:
      case reg.height:
      case reg.offsetX:
      case reg.offsetY:
      case reg.pixelFormat: {
        if (data.length !== 4) return 0x8002;
        if (locked) return 0x8006;
        const value = u32();
        const w = address === reg.width ? value : this.values.get(reg.width)!;
        const h = address === reg.height ? value : this.values.get(reg.height)!;
        const x = address === reg.offsetX ? value : this.values.get(reg.offsetX)!;
        const y = address === reg.offsetY ? value : this.values.get(reg.offsetY)!;
        if (address === reg.pixelFormat && value !== pixelFormats.Mono8 && value !== pixelFormats.Mono16) return 0x8002;
        if (
          w < 16 ||
          h < 16 ||
          w % 16 ||
          h % 2 ||
          x % 16 ||
          y % 2 ||
          x + w > this.sensorWidth ||
          y + h > this.sensorHeight
        )
          return 0x8002;
        this.setU32(address, value);
        this.updatePayload();
        return 0;
      }
      case reg.exposureTime:
      case reg.gain: {
        if (data.length !== 8) return 0x8002;
        const value = f64();
        const [min, max] = address === reg.exposureTime ? [20, 1_000_000] : [0, 24];
        if (!(value >= min && value <= max)) return 0x8002;
        this.setF64(address, value);
        return 0;
      }
      case reg.tlParamsLocked:
        if (data.length !== 4) return 0x8002;
        this.setU32(address, u32());
        return 0;
      case reg.acquisitionStart:
        if (!(this.read(sirmAddress + sirm.control, 4)![0] & 1)) return 0x800f; // stream interface not enabled
        this.acquiring = true;
        return 0;
      case reg.acquisitionStop:
        this.acquiring = false;
        this.block = undefined;
        this.streamWaiter?.resolve({ status: 'stall' });
        this.streamWaiter = undefined;
        return 0;
      default:
        if (address >= sirmAddress && address < sirmAddress + 0x30 && this.memory.has(address)) {
          if (address === sirmAddress + sirm.control && data.length === 4) {
            this.setU32(address, u32());
            return 0;
          }
          if (
            [
              sirm.payloadTransferSize,
              sirm.payloadTransferCount,
              sirm.payloadFinalTransfer1Size,
              sirm.payloadFinalTransfer2Size,
            ].includes((address - sirmAddress) as never) &&
            data.length === 4
          ) {
            if (this.acquiring) return 0x8006;
            this.setU32(address, u32());
            return 0;
          }
          return 0x8004;
        }
        return this.memory.has(address) || (address >= xmlAddress && address < xmlAddress + this.xml.length)
          ? 0x8004
          : 0x8003;
    }
  }

  // --- streaming ---
  private async streamIn(length: number): Promise<UsbInTransferResultLike> {
    if (!this.block) {
      if (!this.acquiring) {
        return new Promise((resolve, reject) => (this.streamWaiter = { resolve, reject }));
      }
      // Always wait on a timer, even for 0 ms: a real USB transfer completes from libusb's event thread, so
      // the caller's event loop runs between frames. Resolving from the microtask queue alone starved every
      // timer and I/O callback of the process while live view ran (rendering takes longer than the period).
      const wait = this.lastFrameAt + this.minFramePeriodMs - performance.now();
      await new Promise((r) => setTimeout(r, Math.max(0, wait)));
      this.ready();
      if (!this.acquiring) return { status: 'stall' };
      this.block = { parts: this.renderBlock(), index: 0, offset: 0 };
    }
    const block = this.block;
    const part = block.parts[block.index];
    const chunk = part.subarray(block.offset, block.offset + length);
    block.offset += chunk.length;
    if (block.offset >= part.length) {
      block.index++;
      block.offset = 0;
      if (block.index >= block.parts.length) this.block = undefined;
    }
    return this.inResult(chunk);
  }

  private renderBlock(): Uint8Array[] {
    const width = this.values.get(reg.width)!;
    const height = this.values.get(reg.height)!;
    const pixelFormat = this.values.get(reg.pixelFormat)!;
    const exposureUs = this.f64(reg.exposureTime);
    const gainDb = this.f64(reg.gain);
    this.blockId++;
    this.lastFrameAt = performance.now();
    const data = this.renderer.render({
      width,
      height,
      offsetX: this.values.get(reg.offsetX)!,
      offsetY: this.values.get(reg.offsetY)!,
      sensorWidth: this.sensorWidth,
      sensorHeight: this.sensorHeight,
      exposureUs,
      gain: 10 ** (gainDb / 20),
      bitDepth: pixelFormat === pixelFormats.Mono16 ? 16 : 8,
      seed: Number(this.blockId),
    });
    this.framesRendered++;
    const timestampNs = BigInt(Math.round(performance.now() * 1e6));
    const leader = encodeImageLeader({
      blockId: this.blockId,
      timestampNs,
      pixelFormat,
      width,
      height,
      offsetX: this.values.get(reg.offsetX)!,
      offsetY: this.values.get(reg.offsetY)!,
      paddingX: 0,
    });
    const trailer = encodeImageTrailer({
      blockId: this.blockId,
      status: 0,
      validPayloadSize: BigInt(data.length),
      height,
    });
    return [leader, data, trailer];
  }

  // --- helpers ---
  private present(): void {
    if (!this.plugged) throw new Error('LIBUSB_ERROR_NO_DEVICE: device disconnected');
  }
  private ready(): void {
    this.present();
    if (!this.opened) throw new Error('device is not open');
  }
  private pushAck(ack: Uint8Array): void {
    if (this.ackWaiter) {
      const waiter = this.ackWaiter;
      this.ackWaiter = undefined;
      waiter.resolve(this.inResult(ack));
    } else this.acks.push(ack);
  }
  private inResult(bytes: Uint8Array): UsbInTransferResultLike {
    return { status: 'ok', data: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }
  private setU32(address: number, value: number): void {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value >>> 0, true);
    this.memory.set(address, bytes);
    this.values.set(address, value >>> 0);
  }
  private setU64(address: number, value: bigint): void {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, value, true);
    this.memory.set(address, bytes);
  }
  private setF64(address: number, value: number): void {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, true);
    this.memory.set(address, bytes);
  }
  private f64(address: number): number {
    const cell = this.memory.get(address)!;
    return new DataView(cell.buffer, cell.byteOffset, 8).getFloat64(0, true);
  }
  private setString(address: number, text: string, size: number): void {
    const bytes = new Uint8Array(size);
    bytes.set(new TextEncoder().encode(text).slice(0, size - 1));
    this.memory.set(address, bytes);
  }
  private updatePayload(): void {
    const bytesPerPixel = this.values.get(reg.pixelFormat) === pixelFormats.Mono16 ? 2 : 1;
    const payload = this.values.get(reg.width)! * this.values.get(reg.height)! * bytesPerPixel;
    this.setU32(reg.payloadSize, payload);
    this.setU64(sirmAddress + sirm.requiredPayloadSize, BigInt(payload));
  }

  private resetRegisters(): void {
    this.memory.clear();
    this.values.clear();
    this.acquiring = false;
    this.blockId = 0n;
    this.setU32(abrm.gencpVersion, 0x00010000);
    this.setString(abrm.manufacturerName, this.manufacturerName, 64);
    this.setString(abrm.modelName, 'CBX-1024M', 64);
    this.setString(abrm.familyName, 'Casebench emulators', 64);
    this.setString(abrm.deviceVersion, '1.0.0', 64);
    this.setString(abrm.manufacturerInfo, 'renders a real scan', 64);
    this.setString(abrm.serialNumber, this.serialNumber, 64);
    this.setString(abrm.userDefinedName, '', 64);
    this.setU64(abrm.deviceCapability, 0n);
    this.setU32(abrm.maxDeviceResponseTime, 200);
    this.setU64(abrm.manifestTableAddress, BigInt(manifestAddress));
    this.setU64(abrm.sbrmAddress, BigInt(sbrmAddress));
    this.setU64(abrm.deviceConfiguration, 0n);
    this.setU32(abrm.heartbeatTimeout, 3000);
    this.setU32(abrm.protocolEndianness, 0xffffffff);
    this.setU32(sbrmAddress + sbrm.u3vVersion, 0x00010000);
    this.setU64(sbrmAddress + sbrm.u3vcpCapability, 0n);
    this.setU32(sbrmAddress + sbrm.maxCommandTransferLength, 1024);
    this.setU32(sbrmAddress + sbrm.maxAcknowledgeTransferLength, 1024);
    this.setU32(sbrmAddress + sbrm.numberOfStreamChannels, 1);
    this.setU64(sbrmAddress + sbrm.sirmAddress, BigInt(sirmAddress));
    this.setU32(sbrmAddress + sbrm.sirmLength, 0x30);
    this.setU32(sirmAddress + sirm.info, 0);
    this.setU32(sirmAddress + sirm.control, 0);
    this.setU32(sirmAddress + sirm.requiredLeaderSize, imageLeaderSize);
    this.setU32(sirmAddress + sirm.requiredTrailerSize, imageTrailerSize);
    this.setU32(sirmAddress + sirm.maximumLeaderSize, 0);
    this.setU32(sirmAddress + sirm.payloadTransferSize, 0);
    this.setU32(sirmAddress + sirm.payloadTransferCount, 0);
    this.setU32(sirmAddress + sirm.payloadFinalTransfer1Size, 0);
    this.setU32(sirmAddress + sirm.payloadFinalTransfer2Size, 0);
    this.setU32(sirmAddress + sirm.maximumTrailerSize, 0);
    this.setU64(manifestAddress, 1n);
    this.memory.set(
      manifestAddress + 8,
      encodeManifestEntry({
        fileVersion: { major: 1, minor: 0, subminor: 0 },
        fileType: 0,
        compression: 0,
        address: BigInt(xmlAddress),
        size: BigInt(this.xml.length),
      }),
    );
    this.setU32(reg.width, this.sensorWidth);
    this.setU32(reg.height, this.sensorHeight);
    this.setU32(reg.offsetX, 0);
    this.setU32(reg.offsetY, 0);
    this.setU32(reg.pixelFormat, pixelFormats.Mono8);
    this.setF64(reg.exposureTime, 10_000);
    this.setF64(reg.gain, 0);
    this.setU32(reg.widthMax, this.sensorWidth);
    this.setU32(reg.heightMax, this.sensorHeight);
    this.setU32(reg.tlParamsLocked, 0);
    this.updatePayload();
  }
}
