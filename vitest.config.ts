import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code; integration tests live in tests/integration.
// End-to-end browser tests are run separately by scripts/e2e.mjs (they need a built renderer).
export default defineConfig({
  test: {
    include: ['{electron,native,renderer}/**/*.test.{ts,tsx}', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
