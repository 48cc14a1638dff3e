import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Server unit tests beside the code; the browser test (real sandbox + Chromium) in test/.
    include: ['server/src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
