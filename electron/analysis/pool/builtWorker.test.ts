// The worker entry as the built Electron app runs it: electron-vite emits out/main/analysis.worker.js beside
// main's index.js, where defaultWorkerUrl() looks when no .ts sits beside the bundled pool.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../../tests/fixtures/sharedData.ts';
import { createAnalysisPool, defaultWorkerUrl } from './pool.ts';

const built = new URL('../../../out/main/analysis.worker.js', import.meta.url);

describe('analysis worker entry', () => {
  it('is the TypeScript source when running unbuilt', () => {
    expect(fileURLToPath(defaultWorkerUrl())).toMatch(/analysis\.worker\.ts$/);
  });

  // Skipped only when the app has not been built (`npx electron-vite build`); e2e runs build it.
  it.skipIf(!existsSync(fileURLToPath(built)))(
    'runs as emitted by electron-vite',
    async () => {
      const pool = createAnalysisPool({ size: 1, workerUrl: built });
      try {
        const { signature } = await pool.signature({ path: sharedDataPath('fadul', 'fadul_1-1.x3p') });
        expect(signature.values.length).toBe(signature.radialBins * signature.angularBins);
      } finally {
        await pool.close();
      }
    },
    60_000,
  );
});
