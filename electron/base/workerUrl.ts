// Where a worker's entry file is. Unbuilt (tests, the CLI, `casebench serve`), Node 22 runs the TypeScript source
// beside the module that starts the worker. In the built Electron app that module is bundled into out/main, and
// electron.vite.config.ts emits each worker as a main entry of its own, `<name>.js`, beside it. The name goes in as
// a variable so that Vite does not mistake `new URL('…', import.meta.url)` for an asset to copy.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The entry `name` (no extension) beside the module at `from` (its `import.meta.url`): `.ts` if present, else `.js`. */
export function workerUrl(name: string, from: string): URL {
  const source = new URL(`./${name}.ts`, from);
  return existsSync(fileURLToPath(source)) ? source : new URL(`./${name}.js`, from);
}
