// A generated platform of many tiers, for benchmarks: half web services (ALB, Auto Scaling
// group, DynamoDB table, ElastiCache), half worker pools (Auto Scaling group, SQS queue,
// Lambda function, RDS instance).
import { fnv1a32, PlatformConfigSchema, type PlatformConfig, type Tier } from '@ballast/core';

/** A platform with `asgCount` Auto Scaling groups; an odd count gets one more web tier. */
export function generateLargePlatform(asgCount: number): PlatformConfig {
  if (!Number.isInteger(asgCount) || asgCount < 1)
    throw new RangeError('asgCount must be a positive integer');
  const webCount = Math.ceil(asgCount / 2);
  const tiers: Tier[] = [];
  for (let i = 1; i <= asgCount; i++) {
    const n = String(i <= webCount ? i : i - webCount).padStart(3, '0');
    if (i <= webCount) {
      tiers.push({
        id: `web-${n}`,
        title: `Web service ${n}`,
        resources: [
          {
            type: 'alb',
            loadBalancer: `app/web-${n}-alb/${hex16(`alb-${n}`)}`,
            targetGroup: `targetgroup/web-${n}/${hex16(`tg-${n}`)}`,
          },
          { type: 'asg', name: `web-${n}` },
          // Each service owns its data, as microservices on this platform do.
          { type: 'dynamodb-table', name: `web-${n}-items` },
          { type: 'elasticache-cluster', id: `web-${n}-cache-001` },
        ],
        slo: {
          errors: { degraded: 0.5, critical: 2 },
          latency: { degraded: 500, critical: 1200 },
          saturation: { degraded: 80, critical: 92 },
        },
      });
    } else {
      tiers.push({
        id: `worker-${n}`,
        title: `Worker pool ${n}`,
        resources: [
          { type: 'asg', name: `worker-${n}` },
          { type: 'sqs-queue', name: `worker-${n}-jobs` },
          { type: 'lambda-function', name: `worker-${n}-notify` },
          { type: 'rds-instance', id: `worker-${n}-db` },
        ],
        slo: {
          errors: { degraded: 1, critical: 5 },
          latency: { degraded: 300_000, critical: 900_000 },
        },
      });
    }
  }
  // Validated like any config, so a generated platform cannot drift from the schema.
  return PlatformConfigSchema.parse({ name: `bench-${asgCount}-asgs`, region: 'us-east-1', tiers });
}

/** 16 hex digits derived from a label (two FNV-1a hashes), for stable resource ids. */
function hex16(label: string): string {
  const hex8 = (n: number) => n.toString(16).padStart(8, '0');
  return hex8(fnv1a32(label)) + hex8(fnv1a32(`${label}:2`));
}
