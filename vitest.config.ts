import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          // A hang guard, not a speed check: tests that start the real binary take seconds on a busy machine.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.{ts,tsx}'],
          environment: 'node',
          // One real lab, shared by every e2e file: brought up once, torn down at the end.
          globalSetup: ['test/e2e/setup/global-lab.ts'],
          fileParallelism: false,
          // The console harness runs Ink in this process: in CI mode Ink would draw only the last frame
          // at exit (bin/swarmtop hides these variables for the same reason).
          env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
