import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.js';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      // Unit tests beside the code (server; web components rendered to HTML in Node and the
      // chart layout rules); the browser tests (real sandbox + Chromium) in test/.
      include: ['server/src/**/*.test.ts', 'web/src/**/*.test.ts', 'test/**/*.test.ts'],
    },
  }),
);
