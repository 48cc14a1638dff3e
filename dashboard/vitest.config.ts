import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.js';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      // Unit tests beside the code (server, and the web's chart layout rules); the browser
      // tests (real sandbox + Chromium) in test/.
      include: ['server/src/**/*.test.ts', 'web/src/**/*.test.ts', 'test/**/*.test.ts'],
    },
  }),
);
