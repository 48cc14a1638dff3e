import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.js';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      // Server unit tests beside the code; the browser tests (real sandbox + Chromium) in test/.
      include: ['server/src/**/*.test.ts', 'test/**/*.test.ts'],
    },
  }),
);
