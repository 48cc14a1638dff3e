// Settings every workspace's tests share. The suite must pass on a loaded 2-core machine:
// integration tests start a sandbox, spawn the CLI or drive Chromium, so their time limits
// leave room for a machine that is busy with other work (turbo runs workspaces side by side).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 90_000,
    // expect.poll gives up after 1 s by default: too short for a browser on a busy machine.
    expect: { poll: { timeout: 30_000, interval: 100 } },
    // Tests run in child processes; at most two at once per workspace, as on a 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
    minWorkers: 1,
  },
});
