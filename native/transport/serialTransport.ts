// ByteTransport over the real `serialport` binding: a USB-serial adapter or a pseudo-terminal. Each open()
// creates a fresh SerialPort so the transport can reopen after the device came back.
import { SerialPort } from 'serialport';
import { TransportBase } from './byteTransport.ts';

export interface SerialOptions {
  path: string;
  baudRate: number;
}

export class SerialTransport extends TransportBase {
  readonly address: string;
  private readonly options: SerialOptions;
  private port: SerialPort | undefined;

  constructor(options: SerialOptions) {
    super();
    this.options = options;
    this.address = options.path;
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    const port = new SerialPort({ path: this.options.path, baudRate: this.options.baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) =>
      port.open((error) => (error ? reject(new Error(`cannot open ${this.address}: ${error.message}`)) : resolve())),
    );
    let closeError: Error | undefined;
    port.on('data', (chunk: Buffer) =>
      this.dataListeners.emit(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)),
    );
    port.on('error', (error: Error) => {
      closeError = error;
    });
    port.on('close', (error?: Error & { disconnected?: boolean }) => {
      if (this.port === port) this.port = undefined;
      const cause = error ?? closeError;
      this.closeListeners.emit(cause ? new Error(`${this.address} disconnected: ${cause.message}`) : undefined);
    });
    this.port = port;
  }

  async write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) throw new Error(`${this.address} is not open`);
    await new Promise<void>((resolve, reject) => {
      port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (error) =>
        error ? reject(error) : resolve(),
      );
    });
  }

  async close(): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return;
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}
