// What an owner must stop when it stops, stopped in reverse order of adding: what was set up on top of something
// goes before it (the database, added first, closes last). One step at a time, each awaited; a step that fails is
// reported and the rest still run, so one faulty part cannot leave the others running. Disposing twice waits for
// the first.
export class Disposer {
  private readonly steps: { name: string; dispose: () => unknown }[] = [];
  private readonly onError: (name: string, error: unknown) => void;
  private disposed: Promise<void> | undefined;

  constructor(onError: (name: string, error: unknown) => void) {
    this.onError = onError;
  }

  /** `dispose` may return a promise; `name` says what failed. */
  add(name: string, dispose: () => unknown): void {
    if (this.disposed) throw new Error(`cannot add "${name}": already disposed`);
    this.steps.push({ name, dispose });
  }

  dispose(): Promise<void> {
    this.disposed ??= (async () => {
      for (const step of this.steps.splice(0).reverse()) {
        try {
          await step.dispose();
        } catch (error) {
          this.onError(step.name, error);
        }
      }
    })();
    return this.disposed;
  }
}
