// Shared by the sandbox's tests: a sandbox on a free port with a fixed clock, and the real
// AWS SDK clients pointed at it.
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../src/start-sandbox.js';

/** A Sunday evening in US Eastern time, with a day of history behind it. */
export const FIXED_NOW = Date.parse('2025-11-23T20:00:00Z');

/** A sandbox on a free port whose clock stands still (advance it with `setTime`). */
export async function startTestSandbox(
  options: SandboxOptions = {},
): Promise<RunningSandbox & { setTime(ms: number): void }> {
  let time = FIXED_NOW;
  const sandbox = await startSandbox({
    port: 0,
    backfillDays: 1,
    coarseBackfillDays: 0,
    now: () => time,
    tickMs: 60_000,
    ...options,
  });
  return { ...sandbox, setTime: (ms: number) => (time = ms) };
}

/** The pinned SDK clients against a sandbox; one attempt, so fault tests see each failure. */
export function awsClients(url: string): {
  cloudWatch: CloudWatchClient;
  autoScaling: AutoScalingClient;
} {
  const config = {
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  return { cloudWatch: new CloudWatchClient(config), autoScaling: new AutoScalingClient(config) };
}
