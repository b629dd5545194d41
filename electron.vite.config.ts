// Builds the three parts of the app: Electron main and preload (the integrator's entries) and the renderer,
// which is the same bundle whether Electron loads it or `casebench serve` serves it from out/renderer.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;
const mainEntry = resolve(root, 'electron/main/index.ts');
const preloadEntry = resolve(root, 'electron/preload/index.ts');
// Worker threads run their own entry files, found beside main's index.js once built (electron/base/workerUrl.ts).
const analysisWorkerEntry = resolve(root, 'electron/analysis/pool/analysis.worker.ts');
// Calibration and photometric stereo run in worker threads too (calibrationRunner.ts, photometricWorker.ts).
const calibrationWorkerEntry = resolve(root, 'electron/host/services/acquisition/calibration.worker.ts');
const photometricWorkerEntry = resolve(root, 'electron/host/services/acquisition/photometric.worker.ts');
// The demo rig's serial simulators run as their own processes from this entry (native/sim/ptyLauncher.ts).
const serialSimulatorEntry = resolve(root, 'native/sim/serialSimulator.ts');

export default defineConfig({
  // Main and preload are built only once their entries exist, so the renderer can be built on its own.
  main: existsSync(mainEntry)
    ? {
        build: {
          outDir: 'out/main',
          lib: {
            entry: {
              index: mainEntry,
              'analysis.worker': analysisWorkerEntry,
              'calibration.worker': calibrationWorkerEntry,
              'photometric.worker': photometricWorkerEntry,
              serialSimulator: serialSimulatorEntry,
            },
          },
          // Shared chunks beside the entries, so both resolve their siblings the same way.
          rollupOptions: { output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' } },
        },
      }
    : undefined,
  preload: existsSync(preloadEntry)
    ? {
        build: {
          outDir: 'out/preload',
          lib: { entry: preloadEntry },
          // A sandboxed preload cannot be an ES module.
          rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } },
        },
      }
    : undefined,
  renderer: {
    root: resolve(root, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      minify: true,
      rollupOptions: { input: resolve(root, 'renderer/index.html') },
      chunkSizeWarningLimit: 2000,
    },
  },
});
