// A minimal typed listener set: devices emit a few kinds of events and must not depend on node:events so the
// same code runs wherever the host runs.
export type Unsubscribe = () => void;

export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  add(listener: (value: T) => void): Unsubscribe {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(value: T): void {
    for (const listener of [...this.set]) {
      try {
        listener(value);
      } catch {
        // A faulty listener must not break the driver's read loop.
      }
    }
  }

  clear(): void {
    this.set.clear();
  }
}
