import { describe, expect, it } from 'vitest';
import { loadReferencePlatform } from '../platform/platform-config.js';
import { Simulation, type SimulationOptions } from '../simulation/simulation.js';
import { epochDay, type LedgerView } from './ledger.js';
import { COST_TAG_KEYS, SERVICE, type Line } from './lines.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2025-11-23T20:00:00Z');
const platform = loadReferencePlatform();

const simulate = (options: Partial<SimulationOptions> = {}) =>
  new Simulation({
    platform,
    seed: 3,
    nowMs: NOW,
    backfillDays: 0.2,
    coarseBackfillDays: 0,
    ...options,
  });

/** Cost of the lines that match, per day or summed over days [from, to). */
function cost(
  view: LedgerView,
  from: number,
  to: number,
  match: (l: Line) => boolean = () => true,
) {
  let sum = 0;
  for (let d = from; d < to; d++) {
    const record = view.day(d);
    if (record) for (const l of view.lines) if (match(l)) sum += record.cost[l.id] ?? 0;
  }
  return sum;
}
const monthCost = (view: LedgerView, month: string) => {
  const from = epochDay(Date.parse(`${month}-01`));
  const d = new Date(from * DAY);
  const to = epochDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  return cost(view, from, to);
};
const service = (name: string) => (l: Line) => l.service === name;

describe('the billing ledger of the simulated platform', () => {
  it('goes back 14 months, with a November peak, a quiet January and a growing business', () => {
    const view = simulate().billing.view(NOW);
    expect(new Date(view.firstDay * DAY).toISOString()).toBe('2024-10-01T00:00:00.000Z');
    const month = (m: string) => monthCost(view, m);
    expect(month('2024-11')).toBeGreaterThan(month('2024-10') * 1.05);
    expect(month('2024-11')).toBeGreaterThan(month('2025-01') * 1.2);
    expect(month('2025-01')).toBeLessThan(month('2024-12'));
    expect(month('2025-10')).toBeGreaterThan(month('2024-10') * 1.15);
    // The 3D models dominate: CloudFront is most of the bill.
    const november = [
      epochDay(Date.parse('2024-11-01')),
      epochDay(Date.parse('2024-12-01')),
    ] as const;
    expect(cost(view, ...november, service(SERVICE.cloudFront))).toBeGreaterThan(
      cost(view, ...november) / 2,
    );
  });

  it('is the same for the same seed and time, and another for another seed', () => {
    const daily = (sim: Simulation) => {
      const view = sim.billing.view(NOW);
      return Array.from({ length: 60 }, (_, i) =>
        cost(view, view.lastDay - 60 + i, view.lastDay - 59 + i),
      );
    };
    expect(daily(simulate())).toEqual(daily(simulate()));
    expect(daily(simulate({ seed: 4 }))).not.toEqual(daily(simulate()));
  });

  it('estimates the days before the simulation as the simulation would have run them', () => {
    // Given the same day simulated minute by minute in one sandbox and estimated in another
    const simulated = simulate({ backfillDays: 3 }).billing.view(NOW);
    const estimated = simulate({ backfillDays: 0.2 }).billing.view(NOW);
    const day = epochDay(NOW) - 1;
    // Then each service costs about the same in both (within 15%)
    for (const name of [
      SERVICE.ec2,
      SERVICE.ec2Other,
      SERVICE.cloudFront,
      SERVICE.s3,
      SERVICE.dynamoDb,
      SERVICE.lambda,
      SERVICE.elb,
      SERVICE.sqs,
    ]) {
      const a = cost(simulated, day, day + 1, service(name));
      const b = cost(estimated, day, day + 1, service(name));
      expect(Math.abs(b - a) / a, `${name}: simulated ${a}, estimated ${b}`).toBeLessThan(0.15);
    }
  });

  it('follows a changed on-demand/spot mix in the minutes metered after it', () => {
    // Given the worker fleet, all spot, in two identical sandboxes
    const changed = simulate();
    const control = simulate();
    const onDemandWorkerHours = (sim: Simulation, day: number) => {
      const view = sim.billing.view(sim.now);
      let hours = 0;
      for (const l of view.lines)
        if (
          l.service === SERVICE.ec2 &&
          l.purchaseType === 'On Demand Instances' &&
          l.instanceType?.startsWith('c') &&
          !l.anomaly
        )
          hours += view.day(day)?.quantity[l.id] ?? 0;
      return hours;
    };
    // When one fleet's mix becomes half on-demand at 20:00 (as UpdateAutoScalingGroup sets it)
    const workers = changed.groups.get('store-workers')!;
    workers.spec.distribution = {
      ...workers.spec.distribution,
      onDemandPercentageAboveBaseCapacity: 50,
    };
    changed.applyNow(workers, changed.now);
    // Then, once Cost Explorer's data is refreshed the next morning, that day's bill has
    // on-demand worker hours for the evening: about half the fleet's 4 hours
    for (const sim of [changed, control]) sim.advanceTo(NOW + 13 * HOUR);
    const day = epochDay(NOW);
    expect(onDemandWorkerHours(control, day)).toBe(0);
    expect(onDemandWorkerHours(changed, day)).toBeGreaterThan(workers.desired);
  });

  it('has a forgotten dev GPU instance, running since a day within the last three weeks', () => {
    const sim = simulate();
    const view = sim.billing.view(NOW);
    const gpu = view.lines.find((l) => l.usageType === 'BoxUsage:g5.12xlarge')!;
    expect(gpu).toMatchObject({
      service: SERVICE.ec2,
      purchaseType: 'On Demand Instances',
      tags: { env: 'dev', team: 'ml' },
    });
    const start = sim.anomalies.forgottenInstance.startMs;
    expect(start).toBeGreaterThan(NOW - 21 * DAY);
    expect(start).toBeLessThan(NOW - 7 * DAY);
    const hours = (d: number) => view.day(d)?.quantity[gpu.id] ?? 0;
    expect(hours(epochDay(start) - 1)).toBe(0);
    expect(hours(epochDay(start))).toBeGreaterThan(0);
    expect(hours(epochDay(start) + 1)).toBeCloseTo(24, 6);
    expect(hours(epochDay(NOW) - 1)).toBeCloseTo(24, 6);
  });

  it('has a day or two of hot-linked model egress on CloudFront, in the bill and in CloudWatch', () => {
    // Given a sandbox whose 1-minute history covers the hot-link
    const sim = simulate({ backfillDays: 14 });
    const { startMs, endMs } = sim.anomalies.hotlink;
    expect(endMs - startMs).toBeGreaterThanOrEqual(20 * HOUR);
    expect(endMs - startMs).toBeLessThanOrEqual(32 * HOUR);
    expect(startMs).toBeGreaterThan(NOW - 10 * DAY);
    // Then the bill's CloudFront spend on its days is far above the week before
    const view = sim.billing.view(NOW);
    const cf = (d: number) => cost(view, d, d + 1, service(SERVICE.cloudFront));
    const peak = Math.max(cf(epochDay(startMs)), cf(epochDay(startMs) + 1));
    const weekBefore = cf(epochDay(startMs) - 7);
    expect(peak).toBeGreaterThan(weekBefore * 1.5);
    // And CloudFront's BytesDownloaded shows it, while the store's model views do not
    const minuteSum = (namespace: string, name: string, dims: Record<string, string>, t: number) =>
      sim.store
        .get(
          namespace,
          name,
          Object.entries(dims).map(([n, value]) => ({ name: n, value })),
        )!
        .minuteSum(t / 60_000);
    const middle = Math.floor((startMs + endMs) / 2 / 60_000) * 60_000;
    const cdn = { DistributionId: 'E2BALLAST3DCDN', Region: 'Global' };
    const store = { Environment: 'production' };
    const ratio = (ns: string, name: string, dims: Record<string, string>) =>
      minuteSum(ns, name, dims, middle) / minuteSum(ns, name, dims, middle - 7 * DAY);
    expect(ratio('AWS/CloudFront', 'BytesDownloaded', cdn)).toBeGreaterThan(2);
    expect(ratio('Store3D/Business', 'ModelBytesServed', store)).toBeLessThan(1.3);
  });

  it('tags spend with the contract’s env, team and tier values, and leaves some untagged', () => {
    const view = simulate().billing.view(NOW);
    const allowed: Record<string, string[]> = {
      env: ['production', 'staging', 'dev'],
      team: ['storefront', 'platform', 'data', 'ml'],
      tier: ['edge', 'web', 'workers', 'data'],
    };
    for (const l of view.lines) {
      for (const [key, value] of Object.entries(l.tags)) {
        expect(COST_TAG_KEYS).toContain(key);
        expect(allowed[key]).toContain(value);
      }
    }
    const month = [view.lastDay - 30, view.lastDay] as const;
    const untagged = cost(view, ...month, (l) => l.tags.team === undefined);
    expect(untagged / cost(view, ...month)).toBeGreaterThan(0.005);
    expect(untagged / cost(view, ...month)).toBeLessThan(0.2);
    expect(cost(view, ...month, (l) => l.tags.env === 'staging')).toBeGreaterThan(0);
  });

  it('follows the live platform: more instances, more instance-hours', () => {
    // Given two identical sandboxes, in one of which an operator raises the web group's
    // minimum to 20 instances now (10 on-demand at most: the rest is spot)
    const [calm, scaled] = [simulate(), simulate()];
    const web = scaled.groups.get('store-web')!;
    web.spec.minSize = 20;
    web.setDesiredCapacity(NOW, 20, 'an operator set the desired capacity');
    // When both run to the next refresh, past midnight
    const later = Date.parse('2025-11-24T08:00:00Z');
    calm.advanceTo(later);
    scaled.advanceTo(later);
    // Then the scaled one's day has the extra spot hours of the extra instances
    const hours = (sim: Simulation, usage: RegExp) => {
      const view = sim.billing.view(later);
      const record = view.day(epochDay(NOW))!;
      return view.lines
        .filter((l) => usage.test(l.usageType) && l.tags.env === 'production')
        .reduce((sum, l) => sum + (record.quantity[l.id] ?? 0), 0);
    };
    const extraSpot =
      hours(scaled, /^SpotUsage:(m6i|m5|m6a)\./) - hours(calm, /^SpotUsage:(m6i|m5|m6a)\./);
    // About 10 more spot instances for the last 4 hours of the day (they boot in a minute or two).
    expect(extraSpot).toBeGreaterThan(30);
    expect(extraSpot).toBeLessThan(60);
  });
});
