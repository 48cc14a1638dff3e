import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import {
  AutoScalingGroup,
  SPOT_ALLOCATION_STRATEGIES,
  SPOT_NOTICE_MS,
  type GroupSpec,
} from './auto-scaling-group.js';

const T0 = Date.parse('2025-11-20T00:00:00Z');
const MINUTE = 60_000;
const rate = (perHour: number) =>
  Object.fromEntries(
    SPOT_ALLOCATION_STRATEGIES.map((s) => [s, perHour]),
  ) as GroupSpec['spotInterruptionsPerHour'];

function spotFleet(capacityRebalance: boolean): AutoScalingGroup {
  return new AutoScalingGroup(
    {
      name: 'fleet',
      tier: 'workers',
      minSize: 1,
      maxSize: 10,
      initialDesired: 4,
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      instanceTypes: ['c6i.xlarge'],
      distribution: {
        onDemandAllocationStrategy: 'prioritized',
        onDemandBaseCapacity: 0,
        onDemandPercentageAboveBaseCapacity: 0,
        spotAllocationStrategy: 'price-capacity-optimized',
      },
      targetGroupArns: [],
      healthCheckType: 'EC2',
      healthCheckGracePeriod: 300,
      defaultCooldown: 300,
      defaultInstanceWarmup: 300,
      capacityRebalance,
      tags: {},
      launchTemplate: { id: 'lt-0', name: 'fleet', version: '$Latest' },
      bootSeconds: [60, 60],
      drainSeconds: 60,
      // Every spot instance gets a notice within the first minute.
      spotInterruptionsPerHour: rate(60),
      createdTime: T0,
    },
    'us-east-1',
    '123456789012',
    new Random(1, 'test'),
    T0,
  );
}

const live = (g: AutoScalingGroup) => g.instances.filter((i) => i.state !== 'Terminating');

describe('spot interruptions', () => {
  it('give two minutes of notice, replaced at once with Capacity Rebalancing', () => {
    const g = spotFleet(true);
    g.advance(T0 + MINUTE, MINUTE);
    g.spec.spotInterruptionsPerHour = rate(0);
    expect(g.takeInterruptionNotices()).toBe(4);
    expect(g.takeInterruptionNotices()).toBe(0);
    // The warned instances still run; their replacements are already launching.
    expect(g.count('InService')).toBe(4);
    expect(g.count('Pending')).toBe(4);
    expect(
      g.instances.filter((i) => i.interruptionAt === T0 + MINUTE + SPOT_NOTICE_MS),
    ).toHaveLength(4);
    // EC2 reclaims them two minutes after the notice.
    g.advance(T0 + 3 * MINUTE, 2 * MINUTE);
    expect(g.count('Terminating')).toBe(4);
    expect(live(g)).toHaveLength(4);
    expect(
      g.activities.filter((a) => a.cause.includes('Spot Instance interruption notice')),
    ).toHaveLength(4);
  });

  it('are replaced when the instance goes, without Capacity Rebalancing', () => {
    const g = spotFleet(false);
    g.advance(T0 + MINUTE, MINUTE);
    g.spec.spotInterruptionsPerHour = rate(0);
    expect(g.count('Pending')).toBe(0);
    g.advance(T0 + 3 * MINUTE, 2 * MINUTE);
    expect(g.count('Terminating')).toBe(4);
    expect(g.count('Pending')).toBe(4);
  });

  it('come at the Spot Instance Advisor rate for the allocation strategy', () => {
    const g = spotFleet(true);
    g.spec.spotInterruptionsPerHour = {
      'capacity-optimized': 0.05 / 730,
      'capacity-optimized-prioritized': 0.05 / 730,
      'price-capacity-optimized': 0.1 / 730,
      'lowest-price': 0.2 / 730,
    };
    // Four instances for a year at about 10% a month: about 5 notices.
    let notices = 0;
    for (let m = 1; m <= 365 * 1440; m += 60) {
      g.advance(T0 + m * MINUTE, 60 * MINUTE);
      notices += g.takeInterruptionNotices();
    }
    expect(notices).toBeGreaterThan(0);
    expect(notices).toBeLessThan(15);
  });
});

describe('cooldown', () => {
  it('blocks while an activity runs and for DefaultCooldown after it ends', () => {
    const g = spotFleet(false);
    g.spec.spotInterruptionsPerHour = rate(0);
    expect(g.blockingActivity(T0)).toBeUndefined();
    g.setDesiredCapacity(T0, 5, 'a user request explicitly set group desired capacity');
    g.advance(T0, 0);
    const launch = g.activities.at(-1)!;
    expect(g.blockingActivity(launch.startTime + 1000)).toBe(launch);
    g.advance(T0 + 2 * MINUTE, 2 * MINUTE);
    expect(launch.endTime).toBeDefined();
    expect(g.blockingActivity(launch.endTime! + 299_000)).toBe(launch);
    expect(g.blockingActivity(launch.endTime! + 300_000)).toBeUndefined();
  });
});
