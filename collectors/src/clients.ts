// AWS SDK clients for a context: one set per (credentials, region, endpoint), created
// once and reused, each metered. The endpoint URL is the only thing that points them at
// the sandbox instead of AWS.
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { STSClient } from '@aws-sdk/client-sts';
import type { ResolvedContext } from '@ballast/core';
import type { Meter } from './metering.js';

export interface AwsClients {
  cloudwatch: CloudWatchClient;
  autoscaling: AutoScalingClient;
  /**
   * CloudWatch in us-east-1, where CloudFront and Route 53 metrics live. The same client
   * as `cloudwatch` when the context is in us-east-1 or uses a custom endpoint; when
   * absent, `cloudwatch` is used for everything.
   */
  cloudwatchUsEast1?: CloudWatchClient;
  /**
   * Cost Explorer: one endpoint, in us-east-1, whatever the context's region (a custom
   * endpoint, the sandbox, serves it too).
   */
  costExplorer: CostExplorerClient;
  /** STS in the context's region: who the change engine's writes are made as */
  sts: STSClient;
}

/** Few attempts, so throttling shows up quickly as a degraded panel instead of a long wait. */
export const MAX_ATTEMPTS = 3;

/**
 * Longest wait for the response to one HTTP attempt. GetMetricData pages can take a few
 * seconds on AWS; a stalled endpoint fails the attempt (and the SDK retries it) instead of
 * holding the collection until its overall deadline.
 */
export const REQUEST_TIMEOUT_MS = 10_000;

export interface AwsClientOptions {
  /** default REQUEST_TIMEOUT_MS */
  requestTimeoutMs?: number;
}

/** Cost Explorer's only region. */
export const COST_EXPLORER_REGION = 'us-east-1';

const DUMMY_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

// Keyed by meter first: clients carry their meter's middleware, so a client is shared
// only by callers that meter into the same ledger context.
const cache = new WeakMap<Meter, Map<string, AwsClients>>();

export function createAwsClients(
  ctx: ResolvedContext,
  meter: Meter,
  options: AwsClientOptions = {},
): AwsClients {
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const key = JSON.stringify([
    requestTimeout,
    ctx.region,
    ctx.endpointUrl ?? null,
    ctx.dummyCredentials ? null : (ctx.profile ?? null),
    Boolean(ctx.dummyCredentials),
  ]);
  let byKey = cache.get(meter);
  if (!byKey) cache.set(meter, (byKey = new Map()));
  const cached = byKey.get(key);
  if (cached) return cached;

  const config = {
    region: ctx.region,
    maxAttempts: MAX_ATTEMPTS,
    retryMode: 'standard',
    // Fail fast on a dead endpoint. Without throwOnRequestTimeout the handler only logs a
    // warning when requestTimeout passes and keeps waiting for an answer that never comes.
    requestHandler: { connectionTimeout: 3_000, requestTimeout, throwOnRequestTimeout: true },
    ...(ctx.endpointUrl ? { endpoint: ctx.endpointUrl } : {}),
    ...(ctx.dummyCredentials
      ? { credentials: DUMMY_CREDENTIALS }
      : ctx.profile
        ? { profile: ctx.profile }
        : {}),
  };
  const cloudwatch = new CloudWatchClient(config);
  const autoscaling = new AutoScalingClient(config);
  // A custom endpoint (the sandbox) serves every namespace, whatever the region.
  const needsUsEast1 = ctx.region !== 'us-east-1' && !ctx.endpointUrl;
  const cloudwatchUsEast1 = needsUsEast1
    ? new CloudWatchClient({ ...config, region: 'us-east-1' })
    : cloudwatch;
  const costExplorer = new CostExplorerClient({ ...config, region: COST_EXPLORER_REGION });
  meter.attach(cloudwatch, 'cloudwatch');
  meter.attach(autoscaling, 'autoscaling');
  if (needsUsEast1) meter.attach(cloudwatchUsEast1, 'cloudwatch');
  const sts = new STSClient(config);
  meter.attach(costExplorer, 'costexplorer');
  meter.attach(sts, 'sts');
  const clients: AwsClients = { cloudwatch, autoscaling, cloudwatchUsEast1, costExplorer, sts };
  byKey.set(key, clients);
  return clients;
}
