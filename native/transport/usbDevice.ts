// The subset of the WebUSB `USBDevice` interface our USB drivers use. node-usb 3 (`usb.getDevices()`),
// Chromium's navigator.usb and our device emulators all satisfy it, so a driver written against it runs on
// real hardware and in tests alike. Declared here because the project does not pull WebUSB's DOM typings.
import { TransportBase } from './byteTransport.ts';

export interface UsbEndpointLike {
  endpointNumber: number;
  direction: 'in' | 'out';
  type: 'bulk' | 'interrupt' | 'isochronous';
  packetSize: number;
}

export interface UsbInterfaceLike {
  interfaceNumber: number;
  alternate: {
    interfaceClass: number;
    interfaceSubclass: number;
    interfaceProtocol: number;
    endpoints: UsbEndpointLike[];
  };
}

export interface UsbInTransferResultLike {
  data?: DataView;
  status: 'ok' | 'stall' | 'babble';
}

export interface UsbOutTransferResultLike {
  bytesWritten: number;
  status: 'ok' | 'stall';
}

export interface UsbDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly manufacturerName?: string;
  readonly productName?: string;
  readonly serialNumber?: string;
  readonly opened: boolean;
  readonly configuration?: { configurationValue: number; interfaces: UsbInterfaceLike[] } | null;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(value: number): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  clearHalt(direction: 'in' | 'out', endpointNumber: number): Promise<void>;
  transferIn(endpointNumber: number, length: number): Promise<UsbInTransferResultLike>;
  transferOut(endpointNumber: number, data: Uint8Array): Promise<UsbOutTransferResultLike>;
}

export function findInterface(
  device: UsbDeviceLike,
  match: { cls: number; subclass: number; protocol: number },
): UsbInterfaceLike | undefined {
  return device.configuration?.interfaces.find(
    (i) =>
      i.alternate.interfaceClass === match.cls &&
      i.alternate.interfaceSubclass === match.subclass &&
      i.alternate.interfaceProtocol === match.protocol,
  );
}

export function bulkEndpoint(intf: UsbInterfaceLike, direction: 'in' | 'out'): UsbEndpointLike | undefined {
  return intf.alternate.endpoints.find((e) => e.type === 'bulk' && e.direction === direction);
}

/**
 * ByteTransport over a pair of bulk endpoints of a USBDevice (e.g. a USB-CDC-like vendor interface): a read loop
 * keeps one transferIn pending; a failed transfer (device gone) closes the transport with the error.
 */
export class UsbBulkTransport extends TransportBase {
  readonly address: string;
  private readonly device: UsbDeviceLike;
  private readonly interfaceNumber: number;
  private readonly inEndpoint: number;
  private readonly outEndpoint: number;
  private opened = false;

  constructor(device: UsbDeviceLike, interfaceNumber: number, inEndpoint: number, outEndpoint: number) {
    super();
    this.device = device;
    this.interfaceNumber = interfaceNumber;
    this.inEndpoint = inEndpoint;
    this.outEndpoint = outEndpoint;
    this.address = `usb:${device.vendorId.toString(16).padStart(4, '0')}:${device.productId.toString(16).padStart(4, '0')}${device.serialNumber ? ':' + device.serialNumber : ''}#${interfaceNumber}`;
  }

  get isOpen(): boolean {
    return this.opened;
  }

  async open(): Promise<void> {
    if (this.opened) return;
    if (!this.device.opened) await this.device.open();
    if (!this.device.configuration) await this.device.selectConfiguration(1);
    await this.device.claimInterface(this.interfaceNumber);
    this.opened = true;
    void this.readLoop();
  }

  private async readLoop(): Promise<void> {
    while (this.opened) {
      try {
        const result = await this.device.transferIn(this.inEndpoint, 512);
        if (!this.opened) return;
        if (result.status === 'stall') await this.device.clearHalt('in', this.inEndpoint);
        else if (result.data && result.data.byteLength > 0)
          this.dataListeners.emit(new Uint8Array(result.data.buffer, result.data.byteOffset, result.data.byteLength));
      } catch (error) {
        if (!this.opened) return;
        this.opened = false;
        this.closeListeners.emit(error as Error);
        return;
      }
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.opened) throw new Error(`${this.address} is not open`);
    const result = await this.device.transferOut(this.outEndpoint, bytes);
    if (result.status !== 'ok' || result.bytesWritten !== bytes.length)
      throw new Error(`${this.address}: bulk OUT ${result.status}, ${result.bytesWritten}/${bytes.length} bytes`);
  }

  async close(): Promise<void> {
    if (!this.opened) return;
    this.opened = false;
    await this.device.releaseInterface(this.interfaceNumber).catch(() => undefined);
    this.closeListeners.emit(undefined);
  }
}
