import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { defineConfig } from 'vitest/config';

// The Linux suite: the library against the simulated backend and the pure
// TypeScript parts. The Windows build and the Wine suite run from
// scripts/test-all.mjs (npm test) and scripts/test-wine.mjs (npm run test:wine).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'linux',
          include: ['test/**/*.test.ts'],
          exclude: ['node_modules/**', 'test/fixtures/**'],
          // test:asan raises it: every process runs 2-3x slower under the sanitizers.
          testTimeout: Number(process.env.VSS_TEST_TIMEOUT_MS) || 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
          // Persistent sets the tests make are journaled here, not in the user's state folder.
          env: { VSS_NAPI_JOURNAL: join(tmpdir(), `vss-napi-test-journal-${process.pid}`, 'journal.json') },
          globalSetup: ['test/global-setup.ts'],
          typecheck: { enabled: true, include: ['test/types/**/*.test-d.ts'], tsconfig: 'test/tsconfig.json' },
        },
      },
    ],
  },
});
