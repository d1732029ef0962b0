import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  // The plugin API from source, as tsconfig.json's paths have it: tests never run a stale dist/ (the packed one is
  // test/plugin-author.test.ts's business).
  resolve: {
    alias: {
      'afc/target': fileURLToPath(new URL('./compiler/api/target.ts', import.meta.url)),
      'afc/testing': fileURLToPath(new URL('./compiler/api/testing.ts', import.meta.url)),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // A fixture project's own tests run under its own runner (node --test), driven by test/plugin-author.test.ts.
    exclude: [...configDefaults.exclude, 'test/fixtures/**'],
    // Builds the validator and the CLI bundle once, so CLI tests run what users run.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
