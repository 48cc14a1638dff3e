// One sandbox per test file, on a free port with a day of history (short: CI has 2 cores).
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { isolateEnvironment } from './harness.js';

export interface TestSandbox {
  url: string;
}

/** A fault rule of the sandbox (see README "The sandbox"). */
export interface FaultRule {
  /** `ce`: Cost Explorer */
  service: 'cloudwatch' | 'autoscaling' | 'ce' | '*';
  operation: string;
  kind:
    | 'throttle'
    | 'server-error'
    | 'slow'
    | 'access-denied'
    | 'subscription-required'
    /** Cost Explorer only: DataUnavailableException */
    | 'data-unavailable';
  rate: number;
  /** how long a `slow` answer takes, ms */
  delayMs?: number;
}

/** Replaces the sandbox's fault rules (none: every request answers normally). */
export async function setFaults(sandbox: TestSandbox, rules: FaultRule[]): Promise<void> {
  const response = await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: rules.length ? 'POST' : 'DELETE',
    headers: { 'content-type': 'application/json' },
    ...(rules.length ? { body: JSON.stringify({ rules }) } : {}),
  });
  if (!response.ok) throw new Error(`sandbox refused the fault rules: ${await response.text()}`);
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

/**
 * useSandbox, and each test in a fresh isolated environment whose built-in "sandbox" context
 * points at it, with no fault rules left over from the test before.
 */
export function useSandboxContext(): TestSandbox {
  const sandbox = useSandbox();
  let restore: (() => void) | undefined;
  beforeEach(() => {
    restore = isolateEnvironment({ BALLAST_SANDBOX_URL: sandbox.url });
  });
  afterEach(async () => {
    restore?.();
    if (sandbox.url) await setFaults(sandbox, []);
  });
  return sandbox;
}
