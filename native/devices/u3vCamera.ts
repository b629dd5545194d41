// USB3 Vision camera driver over the WebUSB USBDevice interface: GenCP register access on the control
// interface's bulk pipes, the GenICam XML from the device manifest for feature addresses, and image blocks
// (leader, payload, trailer) from the stream interface's bulk IN pipe.
import { unzipSync } from 'fflate';
import { BaseDevice, type PropertySpec, type PropertyValue } from './device.ts';
import { DeviceError } from './errors.ts';
import type { Camera, Frame } from './kinds.ts';
import { bulkEndpoint, findInterface, type UsbDeviceLike } from '../transport/usbDevice.ts';
import { deviceTimer } from '../transport/deviceTimer.ts';
import {
  abrm,
  decodeAck,
  decodeImageLeader,
  decodeImageTrailer,
  decodeManifestEntry,
  encodeReadMem,
  encodeWriteMem,
  gencpCommands,
  gencpStatus,
  imageTrailerSize,
  pixelFormatName,
  sbrm,
  sirm,
  u3vInterface,
  U3vError,
} from '../protocols/u3v.ts';
import {
  decodeRegister,
  encodeRegister,
  GenicamDescription,
  GenicamError,
  type FeatureInfo,
  type LimitRef,
} from '../protocols/genicam.ts';

export interface U3vCameraOptions {
  label: string;
  device: UsbDeviceLike;
  timeoutMs?: number;
}

const featureNames = {
  exposureUs: 'ExposureTime',
  gainDb: 'Gain',
  width: 'Width',
  height: 'Height',
  offsetX: 'OffsetX',
  offsetY: 'OffsetY',
  pixelFormat: 'PixelFormat',
} as const;
type CameraProperty = keyof typeof featureNames;
const maxTransferSize = 1 << 20;

export class U3vCamera extends BaseDevice implements Camera {
  readonly kind = 'camera' as const;
  private device: UsbDeviceLike;
  private controlInterface = 0;
  private streamInterface = 1;
  private controlOut = 1;
  private controlIn = 1;
  private streamIn = 2;
  private requestId = 0;
  private maxAck = 1024;
  private sirmAddress = 0n;
  private xml: GenicamDescription | undefined;
  private features = new Map<string, FeatureInfo>();
  private specs: PropertySpec[] = [];
  private streaming = false;
  private control: Promise<unknown> = Promise.resolve();

  constructor(options: U3vCameraOptions) {
    super(options.label, options.timeoutMs ?? 1000);
    this.device = options.device;
  }

  busy(): boolean {
    return this.streaming;
  }

  /** The USB device this camera drives; after a re-plug the host hands over the new one (see replaceDevice). */
  get usbDevice(): UsbDeviceLike {
    return this.device;
  }

  /** A re-plugged camera is a new USBDevice object; call initialize() afterwards. Refused while connected. */
  replaceDevice(device: UsbDeviceLike): void {
    if (this.state === 'ready' || this.state === 'connecting')
      throw new DeviceError('busy', this.label, 'cannot swap the USB device of a connected camera');
    this.device = device;
  }

  properties(): readonly PropertySpec[] {
    return this.specs;
  }

  async initialize(signal?: AbortSignal): Promise<void> {
    await this.shutdown();
    this.setState('connecting');
    try {
      const device = this.device;
      if (!device.opened) await device.open();
      if (!device.configuration) await device.selectConfiguration(1);
      const control = findInterface(device, {
        cls: u3vInterface.cls,
        subclass: u3vInterface.subclass,
        protocol: u3vInterface.control,
      });
      const stream = findInterface(device, {
        cls: u3vInterface.cls,
        subclass: u3vInterface.subclass,
        protocol: u3vInterface.stream,
      });
      if (!control)
        throw new DeviceError(
          'unsupported',
          this.label,
          'USB device has no USB3 Vision control interface (class 0xEF/0x05/0x00)',
        );
      if (!stream)
        throw new DeviceError(
          'unsupported',
          this.label,
          'USB device has no USB3 Vision stream interface (class 0xEF/0x05/0x02)',
        );
      this.controlInterface = control.interfaceNumber;
      this.streamInterface = stream.interfaceNumber;
      this.controlOut = bulkEndpoint(control, 'out')?.endpointNumber ?? NaN;
      this.controlIn = bulkEndpoint(control, 'in')?.endpointNumber ?? NaN;
      this.streamIn = bulkEndpoint(stream, 'in')?.endpointNumber ?? NaN;
      if ([this.controlOut, this.controlIn, this.streamIn].some(Number.isNaN))
        throw new DeviceError('unsupported', this.label, 'USB3 Vision interfaces lack their bulk endpoints');
      await device.claimInterface(this.controlInterface);
      await device.claimInterface(this.streamInterface);

      const text = async (address: number) =>
        new TextDecoder().decode(await this.readMem(BigInt(address), 64, signal)).replace(/\0.*$/s, '');
      const u64 = async (address: bigint) =>
        new DataView((await this.readMem(address, 8, signal)).buffer).getBigUint64(0, true);
      const u32 = async (address: bigint) =>
        new DataView((await this.readMem(address, 4, signal)).buffer).getUint32(0, true);
      this.updateValue('vendor', await text(abrm.manufacturerName));
      this.updateValue('model', await text(abrm.modelName));
      this.updateValue('serial', await text(abrm.serialNumber));
      const sbrmAddress = await u64(BigInt(abrm.sbrmAddress));
      this.maxAck = Math.max(64, Math.min(await u32(sbrmAddress + BigInt(sbrm.maxAcknowledgeTransferLength)), 65536));
      if ((await u32(sbrmAddress + BigInt(sbrm.numberOfStreamChannels))) < 1)
        throw new DeviceError('unsupported', this.label, 'camera reports no stream channel');
      this.sirmAddress = await u64(sbrmAddress + BigInt(sbrm.sirmAddress));
      this.xml = await this.readDescription(await u64(BigInt(abrm.manifestTableAddress)), signal);
      this.features.clear();
      for (const name of Object.values(featureNames)) this.features.set(name, this.xml.feature(name));
      for (const name of ['AcquisitionStart', 'AcquisitionStop', 'PayloadSize'])
        this.features.set(name, this.xml.feature(name));
      if (this.xml.has('TLParamsLocked')) this.features.set('TLParamsLocked', this.xml.feature('TLParamsLocked'));
      this.specs = await this.buildSpecs(signal);
      for (const key of Object.keys(featureNames) as CameraProperty[])
        this.updateValue(key, await this.readFeature(featureNames[key], signal));
      this.setState('ready');
    } catch (error) {
      throw await this.initializeFailed(this.asDeviceError(error));
    }
  }

  async shutdown(): Promise<void> {
    this.streaming = false;
    if (this.device.opened) {
      await this.device.releaseInterface(this.controlInterface).catch(() => undefined);
      await this.device.releaseInterface(this.streamInterface).catch(() => undefined);
      await this.device.close().catch(() => undefined);
    }
    if (this.state !== 'error') this.setState('disconnected');
  }

  protected async applyProperty(name: string, value: PropertyValue, signal?: AbortSignal): Promise<void> {
    const key = name as CameraProperty;
    if (!(key in featureNames)) throw new DeviceError('unsupported', this.label, `${name} is read-only`);
    if (this.streaming && ['width', 'height', 'offsetX', 'offsetY', 'pixelFormat'].includes(key)) {
      throw new DeviceError('busy', this.label, `${name} cannot change while images stream; stop live view first`);
    }
    const feature = this.features.get(featureNames[key])!;
    let raw = value as number;
    if (feature.type === 'Enumeration') raw = feature.entries!.find((e) => e.name === value)!.value;
    if (
      feature.increment &&
      (raw - ((feature.min as { value: number } | undefined)?.value ?? 0)) % feature.increment !== 0
    ) {
      throw new DeviceError('out-of-range', this.label, `${name} must be a multiple of ${feature.increment}`, {
        property: name,
        value,
      });
    }
    await this.writeMem(feature.register.address, encodeRegister(feature.register, raw), signal);
  }

  snap(signal?: AbortSignal): Promise<Frame> {
    return new Promise<Frame>((resolve, reject) => {
      const stop = new AbortController();
      const onAbort = () => stop.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      let frame: Frame | undefined;
      this.startSequence((f) => {
        frame = f;
        stop.abort();
      }, stop.signal).then(() => {
        signal?.removeEventListener('abort', onAbort);
        if (frame) resolve(frame);
        else reject(new DeviceError('aborted', this.label, 'snap aborted'));
      }, reject);
    });
  }

  async startSequence(onFrame: (frame: Frame) => void, signal: AbortSignal): Promise<void> {
    this.requireReady();
    if (this.streaming) throw new DeviceError('busy', this.label, 'a sequence is already running');
    this.streaming = true;
    const onAbort = () => this.command('AcquisitionStop').catch(() => undefined);
    try {
      const payloadSize = await this.readFeature('PayloadSize');
      const transferSize = Math.min(payloadSize, maxTransferSize);
      const count = Math.floor(payloadSize / transferSize);
      const final1 = payloadSize - count * transferSize;
      const sirmWrite = (offset: number, value: number) => {
        const bytes = new Uint8Array(4);
        new DataView(bytes.buffer).setUint32(0, value, true);
        return this.writeMem(this.sirmAddress + BigInt(offset), bytes);
      };
      if (this.features.has('TLParamsLocked')) await this.writeFeature('TLParamsLocked', 1);
      await sirmWrite(sirm.payloadTransferSize, transferSize);
      await sirmWrite(sirm.payloadTransferCount, count);
      await sirmWrite(sirm.payloadFinalTransfer1Size, final1);
      await sirmWrite(sirm.payloadFinalTransfer2Size, 0);
      await sirmWrite(sirm.control, 1);
      await this.command('AcquisitionStart');
      signal.addEventListener('abort', onAbort, { once: true });
      while (!signal.aborted) {
        const frame = await this.readBlock(payloadSize, transferSize);
        if (!frame) break; // the stream stopped (AcquisitionStop answered the pending read with a stall)
        if (!signal.aborted) onFrame(frame);
      }
    } catch (error) {
      throw this.asDeviceError(error);
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.streaming = false;
      if (this.state === 'ready') {
        await this.command('AcquisitionStop').catch(() => undefined);
        const off = new Uint8Array(4);
        await this.writeMem(this.sirmAddress + BigInt(sirm.control), off).catch(() => undefined);
        if (this.features.has('TLParamsLocked')) await this.writeFeature('TLParamsLocked', 0).catch(() => undefined);
      }
    }
  }

  private async readBlock(payloadSize: number, transferSize: number): Promise<Frame | undefined> {
    const leaderBytes = await this.streamRead(1024);
    if (!leaderBytes) return undefined;
    const leader = decodeImageLeader(leaderBytes);
    const format = pixelFormatName(leader.pixelFormat);
    if (format !== 'Mono8' && format !== 'Mono16')
      throw new DeviceError(
        'unsupported',
        this.label,
        `pixel format 0x${leader.pixelFormat.toString(16)} is not supported`,
      );
    const data = new Uint8Array(payloadSize);
    let received = 0;
    while (received < payloadSize) {
      const chunk = await this.streamRead(Math.min(transferSize, payloadSize - received));
      if (!chunk) return undefined;
      data.set(chunk, received);
      received += chunk.length;
    }
    const trailerBytes = await this.streamRead(imageTrailerSize);
    if (!trailerBytes) return undefined;
    const trailer = decodeImageTrailer(trailerBytes);
    if (trailer.blockId !== leader.blockId)
      throw new DeviceError(
        'protocol',
        this.label,
        `trailer of block ${trailer.blockId} follows leader of block ${leader.blockId}`,
      );
    if (trailer.status !== 0)
      throw new DeviceError(
        'device-error',
        this.label,
        `camera reports block ${trailer.blockId} incomplete (status 0x${trailer.status.toString(16)})`,
      );
    const expected = leader.width * leader.height * (format === 'Mono16' ? 2 : 1);
    if (Number(trailer.validPayloadSize) !== expected)
      throw new DeviceError(
        'protocol',
        this.label,
        `block ${trailer.blockId} holds ${trailer.validPayloadSize} bytes, ${expected} expected`,
      );
    return {
      width: leader.width,
      height: leader.height,
      pixelFormat: format,
      data: data.subarray(0, expected),
      blockId: Number(leader.blockId),
      timestampNs: leader.timestampNs,
      exposureUs: this.values.get('exposureUs') as number,
      gainDb: this.values.get('gainDb') as number,
    };
  }

  private async streamRead(length: number): Promise<Uint8Array | undefined> {
    const result = await this.device.transferIn(this.streamIn, length).catch((error: Error) => {
      throw this.lost(error);
    });
    if (result.status === 'stall') return undefined;
    if (result.status !== 'ok' || !result.data)
      throw new DeviceError('protocol', this.label, `stream transfer ended with status ${result.status}`);
    return new Uint8Array(result.data.buffer, result.data.byteOffset, result.data.byteLength);
  }

  private lost(error: Error): DeviceError {
    const failure = new DeviceError('disconnected', this.label, `USB transfer failed: ${error.message}`);
    this.setState('disconnected', failure);
    return failure;
  }

  private async buildSpecs(signal?: AbortSignal): Promise<PropertySpec[]> {
    const limit = async (ref: LimitRef | undefined) =>
      ref === undefined
        ? undefined
        : 'value' in ref
          ? ref.value
          : decodeRegister(ref.register, await this.readMem(ref.register.address, ref.register.length, signal));
    const specs: PropertySpec[] = [
      { name: 'vendor', type: 'string', readOnly: true },
      { name: 'model', type: 'string', readOnly: true },
      { name: 'serial', type: 'string', readOnly: true },
    ];
    for (const [key, featureName] of Object.entries(featureNames)) {
      const feature = this.features.get(featureName)!;
      if (feature.type === 'Enumeration') {
        specs.push({
          name: key,
          type: 'string',
          allowed: feature.entries!.map((e) => e.name).filter((n) => n === 'Mono8' || n === 'Mono16'),
        });
      } else {
        const spec: PropertySpec = {
          name: key,
          type: feature.type === 'Float' ? 'number' : 'integer',
          readOnly: !feature.writable,
        };
        const min = await limit(feature.min);
        const max = await limit(feature.max);
        if (min !== undefined) spec.min = min;
        if (max !== undefined) spec.max = max;
        if (feature.unit) spec.unit = feature.unit;
        specs.push(spec);
      }
    }
    return specs;
  }

  private async readFeature(name: string, signal?: AbortSignal): Promise<number> {
    const feature = this.features.get(name)!;
    const raw = decodeRegister(
      feature.register,
      await this.readMem(feature.register.address, feature.register.length, signal),
    );
    return raw;
  }

  private async writeFeature(name: string, value: number): Promise<void> {
    const feature = this.features.get(name)!;
    await this.writeMem(feature.register.address, encodeRegister(feature.register, value));
  }

  private async command(name: string): Promise<void> {
    await this.writeFeature(name, this.features.get(name)!.commandValue ?? 1);
  }

  // PixelFormat values are reported as entry names.
  protected override updateValue(name: string, value: PropertyValue): void {
    if (name === 'pixelFormat' && typeof value === 'number')
      value = pixelFormatName(value) ?? `0x${value.toString(16)}`;
    super.updateValue(name, value);
  }

  private async readDescription(manifestAddress: bigint, signal?: AbortSignal): Promise<GenicamDescription> {
    const count = Number(new DataView((await this.readMem(manifestAddress, 8, signal)).buffer).getBigUint64(0, true));
    if (count < 1 || count > 64) throw new DeviceError('protocol', this.label, `manifest lists ${count} files`);
    for (let i = 0; i < count; i++) {
      const entry = decodeManifestEntry(await this.readMem(manifestAddress + 8n + BigInt(i * 64), 64, signal));
      if (entry.fileType !== 0) continue;
      if (entry.size > 16n * 1024n * 1024n)
        throw new DeviceError('protocol', this.label, `device description of ${entry.size} bytes is too large`);
      const size = Number(entry.size);
      const bytes = new Uint8Array(size);
      const chunk = this.maxAck - 12;
      for (let offset = 0; offset < size; offset += chunk)
        bytes.set(await this.readMem(entry.address + BigInt(offset), Math.min(chunk, size - offset), signal), offset);
      let xml: Uint8Array = bytes;
      if (entry.compression === 1) {
        const files = unzipSync(bytes);
        const name = Object.keys(files).find((n) => n.toLowerCase().endsWith('.xml'));
        if (!name) throw new DeviceError('protocol', this.label, 'zipped device description holds no .xml file');
        xml = files[name];
      } else if (entry.compression !== 0)
        throw new DeviceError(
          'unsupported',
          this.label,
          `device description compression ${entry.compression} is unknown`,
        );
      return new GenicamDescription(new TextDecoder().decode(xml));
    }
    throw new DeviceError('protocol', this.label, 'manifest has no GenICam device description');
  }

  // --- GenCP over the control pipes: one transaction at a time ---
  private readMem(address: bigint, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    return this.transact(
      (id) => encodeReadMem(id, address, length),
      gencpCommands.readMemAck,
      `READMEM 0x${address.toString(16)}`,
      signal,
    ).then((payload) => {
      if (payload.length !== length)
        throw new DeviceError(
          'protocol',
          this.label,
          `READMEM 0x${address.toString(16)} returned ${payload.length} of ${length} bytes`,
        );
      return payload;
    });
  }

  private async writeMem(address: bigint, data: Uint8Array, signal?: AbortSignal): Promise<void> {
    await this.transact(
      (id) => encodeWriteMem(id, address, data),
      gencpCommands.writeMemAck,
      `WRITEMEM 0x${address.toString(16)}`,
      signal,
    );
  }

  private transact(
    encode: (requestId: number) => Uint8Array,
    ackCommand: number,
    what: string,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    const run = async () => {
      if (signal?.aborted) throw new DeviceError('aborted', this.label, `${what} aborted`);
      this.requestId = (this.requestId % 0xffff) + 1;
      const id = this.requestId;
      await this.device.transferOut(this.controlOut, encode(id)).catch((error: Error) => {
        throw this.lost(error);
      });
      let timeoutMs = this.timeoutMs;
      for (;;) {
        const result = await this.withTimeout(this.device.transferIn(this.controlIn, this.maxAck), timeoutMs, what);
        if (result.status !== 'ok' || !result.data)
          throw new DeviceError('protocol', this.label, `${what}: control transfer ${result.status}`);
        const ack = decodeAck(new Uint8Array(result.data.buffer, result.data.byteOffset, result.data.byteLength));
        if (ack.requestId !== id) continue; // a late answer to an earlier, timed-out request
        if (ack.command === gencpCommands.pendingAck) {
          timeoutMs = new DataView(ack.payload.buffer, ack.payload.byteOffset).getUint16(2, true) + this.timeoutMs;
          continue;
        }
        if (ack.status !== 0)
          throw new DeviceError(
            'device-error',
            this.label,
            `${what} refused: ${gencpStatus[ack.status] ?? 'status 0x' + ack.status.toString(16)}`,
            { gencpStatus: ack.status },
          );
        if (ack.command !== ackCommand)
          throw new DeviceError('protocol', this.label, `${what} answered with command 0x${ack.command.toString(16)}`);
        return ack.payload;
      }
    };
    const result = this.control.then(run, run);
    this.control = result.catch(() => undefined);
    return result;
  }

  private withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = deviceTimer(timeoutMs, () =>
        reject(new DeviceError('timeout', this.label, `${what}: no acknowledge within ${timeoutMs} ms`)),
      );
      promise.then(
        (value) => {
          timer.cancel();
          resolve(value);
        },
        (error: Error) => {
          timer.cancel();
          reject(this.lost(error));
        },
      );
    });
  }

  private asDeviceError(error: unknown): DeviceError {
    if (error instanceof DeviceError) return error;
    if (error instanceof U3vError || error instanceof GenicamError)
      return new DeviceError('protocol', this.label, error.message);
    return new DeviceError('disconnected', this.label, (error as Error).message);
  }
}
