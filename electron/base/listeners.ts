// A typed set of listeners: what emits does not depend on node:events (drivers run wherever the host runs) and a
// faulty listener cannot break the emitter (a driver's read loop, a service's state change). What a listener throws
// goes to `onError` (the host's log), or nowhere when none is given.
export type Unsubscribe = () => void;

export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();
  private readonly onError: ((error: unknown) => void) | undefined;

  constructor(onError?: (error: unknown) => void) {
    this.onError = onError;
  }

  add(listener: (value: T) => void): Unsubscribe {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(value: T): void {
    for (const listener of [...this.set]) {
      try {
        listener(value);
      } catch (error) {
        this.onError?.(error);
      }
    }
  }

  get size(): number {
    return this.set.size;
  }

  clear(): void {
    this.set.clear();
  }
}
