// One sandbox per test file, on a free port with a day of history (short: CI has 2 cores).
import { afterAll, beforeAll } from 'vitest';

export interface TestSandbox {
  url: string;
}

export function useSandbox(): TestSandbox {
  const handle: TestSandbox = { url: '' };
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const { startSandbox } = await import('@ballast/sandbox');
    const sandbox = await startSandbox({
      port: 0,
      host: '127.0.0.1',
      seed: 42,
      speed: 1,
      backfillDays: 1,
      coarseBackfillDays: 0,
    });
    handle.url = sandbox.url;
    stop = () => sandbox.stop();
  }, 60_000);
  afterAll(async () => {
    await stop?.();
  });
  return handle;
}
