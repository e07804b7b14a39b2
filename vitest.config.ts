import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    // Each test file runs in a temporary working directory (its runs/ is there, not in the repo);
    // the run fails if the repo's runs/ changed.
    setupFiles: ['test/setup/temp-cwd.ts'],
    globalSetup: ['test/setup/repo-runs-untouched.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          environment: 'node',
          include: ['test/browser/**/*.test.ts'],
          // Chromium's SwiftShader and Dawn's share the CPU: run after the node project, not beside it.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
