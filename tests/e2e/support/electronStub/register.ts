// `node --import ./register.ts out/main/index.js`: the built Electron main, run by plain Node with `electron`
// resolved to the stand-in beside this file (electron.ts). Used by tests/e2e/builtApp.e2e.ts.
import { register } from 'node:module';

register(new URL('./hooks.ts', import.meta.url));
