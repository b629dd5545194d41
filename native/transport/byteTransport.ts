// A byte pipe to one device. Drivers receive one of these and never open paths themselves, so the same driver
// runs over a real serial port, a pseudo-terminal, a USB bulk pipe or an in-memory pair in unit tests.
// A transport can be opened again after it closed: that is how a driver reconnects.
import { Listeners, type Unsubscribe } from '../../electron/base/listeners.ts';

export interface ByteTransport {
  /** Human-readable address for messages ("/dev/ttyUSB0", "memory:grbl"). */
  readonly address: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  onData(listener: (bytes: Uint8Array) => void): Unsubscribe;
  /** Fires once per open when the transport closes; `error` set when it closed underneath us (unplugged). */
  onClose(listener: (error?: Error) => void): Unsubscribe;
}

/** Shared listener bookkeeping for transport implementations. */
export abstract class TransportBase implements ByteTransport {
  abstract readonly address: string;
  abstract readonly isOpen: boolean;
  protected readonly dataListeners = new Listeners<Uint8Array>();
  protected readonly closeListeners = new Listeners<Error | undefined>();
  abstract open(): Promise<void>;
  abstract write(bytes: Uint8Array): Promise<void>;
  abstract close(): Promise<void>;
  onData(listener: (bytes: Uint8Array) => void): Unsubscribe {
    return this.dataListeners.add(listener);
  }
  onClose(listener: (error?: Error) => void): Unsubscribe {
    return this.closeListeners.add(listener);
  }
}

/** One end of an in-memory duplex; bytes written on one end arrive asynchronously on the other. */
export class MemoryTransport extends TransportBase {
  readonly address: string;
  peer: MemoryTransport | undefined;
  private opened = false;

  constructor(address: string) {
    super();
    this.address = address;
  }

  get isOpen(): boolean {
    return this.opened;
  }

  async open(): Promise<void> {
    this.opened = true;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.opened) throw new Error(`${this.address} is not open`);
    const copy = bytes.slice();
    const peer = this.peer;
    // Asynchronous delivery like a real wire, so drivers cannot rely on same-tick replies.
    setImmediate(() => {
      if (peer?.opened) peer.dataListeners.emit(copy);
    });
  }

  async close(): Promise<void> {
    if (!this.opened) return;
    this.opened = false;
    this.closeListeners.emit(undefined);
  }

  /** Simulates the cable being pulled: this end closes with an error. */
  unplug(): void {
    if (!this.opened) return;
    this.opened = false;
    this.closeListeners.emit(new Error(`${this.address} disconnected`));
  }
}

export function memoryPair(name: string): [host: MemoryTransport, device: MemoryTransport] {
  const host = new MemoryTransport(`memory:${name}`);
  const device = new MemoryTransport(`memory:${name}/device`);
  host.peer = device;
  device.peer = host;
  return [host, device];
}
