// What spot instances saved: each spot usage type's hours priced at the on-demand rate of
// the same instance type in the same region, minus what the spot hours cost.
//
// The on-demand rate comes first from Cost Explorer's own data: the cost of the instance
// type's on-demand usage (BoxUsage:<type>) divided by its hours, over the same days, or
// else over the latest month in which that type ran on-demand. That is the rate the account
// actually paid: list price for plain on-demand Linux usage; hours covered by Reserved
// Instances or Savings Plans cost less, which would make the rate (and so the savings) look
// smaller. A fleet that runs a type only on spot has no such line: then AWS's public
// on-demand Linux price of the type in us-east-1 stands in (ON_DEMAND_LIST_PRICES). A type
// found in neither has no rate: its savings are unknown, not zero.
import type { CostMetric, SpendFreshness, SpotSavings, SpotSavingsLine } from '../model/spend.js';
import { USAGE_QUANTITY, type CostMonth } from './cost-months.js';
import { roundAmount } from './cost-table.js';
import { addDays, maxDay, minDay } from './dates.js';
import { PRICES, PRICES_READ_ON } from '../prices/list-prices.js';

/** One usage type in one region over some days. */
export interface UsageLine {
  usageType: string;
  region: string;
  costUsd: number;
  quantity: number;
  /** the unit of quantity, e.g. Hrs */
  unit: string;
}

/** Usage lines over some days. */
export interface UsagePeriod {
  range: { start: string; end: string };
  lines: UsageLine[];
}

/**
 * The usage lines of USAGE_TYPE x REGION months over [start, end). `months` must be of the
 * usage shape.
 */
export function usageLines(
  months: readonly CostMonth[],
  range: { start: string; end: string },
  metric: CostMetric,
): UsagePeriod {
  const lines = new Map<string, UsageLine>();
  let first: string | undefined;
  let last: string | undefined;
  for (const month of months) {
    const cost = month.metrics.indexOf(metric);
    const quantity = month.metrics.indexOf(USAGE_QUANTITY);
    const typeAt = month.groupBy.indexOf('USAGE_TYPE');
    const regionAt = month.groupBy.indexOf('REGION');
    if (cost < 0 || quantity < 0 || typeAt < 0) continue;
    for (const { day, rows } of month.days) {
      if (day < range.start || day >= range.end) continue;
      first = first === undefined ? day : minDay(first, day);
      last = last === undefined ? day : maxDay(last, day);
      for (const row of rows) {
        const keys = month.keys[row[0]!]!;
        const usageType = keys[typeAt] ?? '';
        const region = regionAt < 0 ? '' : (keys[regionAt] ?? '');
        const id = `${usageType}\n${region}`;
        const line = lines.get(id) ?? {
          usageType,
          region,
          costUsd: 0,
          quantity: 0,
          unit: month.units[row[0]!]?.[quantity] ?? '',
        };
        line.costUsd += row[1 + cost] ?? 0;
        line.quantity += row[1 + quantity] ?? 0;
        lines.set(id, line);
      }
    }
  }
  return {
    range: first && last ? { start: first, end: addDays(last, 1) } : { ...range },
    lines: [...lines.values()],
  };
}

const SPOT = /^(?:([A-Z0-9]+)-)?SpotUsage:(.+)$/;
const ON_DEMAND = /^(?:([A-Z0-9]+)-)?BoxUsage:(.+)$/;

/** The instance type of an EC2 usage type, and whether it is spot or on-demand. */
export function instanceUsage(
  usageType: string,
): { kind: 'spot' | 'on-demand'; instanceType: string } | undefined {
  const spot = SPOT.exec(usageType);
  if (spot) return { kind: 'spot', instanceType: spot[2]! };
  const onDemand = ON_DEMAND.exec(usageType);
  if (onDemand) return { kind: 'on-demand', instanceType: onDemand[2]! };
  return undefined;
}

const HOURS = new Set(['Hrs', 'Hours', 'Hour', 'Hr']);

export const SPOT_METHOD =
  "On-demand rate = cost / hours of the same instance type's on-demand usage (BoxUsage) in the same region, over the same days or else the latest month it ran on-demand, from Cost Explorer (hours under Reserved Instances or Savings Plans would lower it); for a type that never ran on-demand, AWS's public on-demand Linux price.";

/**
 * AWS's public EC2 On-Demand Linux prices, USD an instance-hour, for common instance types
 * (the one list-price table, prices/list-prices.ts). Only a stand-in for types the account
 * runs on spot alone; its own BoxUsage lines always come first.
 */
export const ON_DEMAND_LIST_PRICES: {
  asOf: string;
  regions: Readonly<Record<string, Readonly<Record<string, number>>>>;
} = {
  asOf: PRICES_READ_ON.slice(0, 7),
  regions: { 'us-east-1': PRICES.ec2Hourly },
};

/**
 * Spot savings over `period`. `history` holds earlier periods (newest first) where an
 * instance type's on-demand rate can be found when it did not run on-demand in `period`.
 */
export function spotSavings(
  period: UsagePeriod,
  history: readonly UsagePeriod[],
  freshness: SpendFreshness,
): SpotSavings {
  const rate = (instanceType: string, region: string) => {
    for (const p of [period, ...history]) {
      const line = p.lines.find((l) => {
        const u = instanceUsage(l.usageType);
        return (
          u?.kind === 'on-demand' &&
          u.instanceType === instanceType &&
          l.region === region &&
          HOURS.has(l.unit) &&
          l.quantity > 0 &&
          l.costUsd > 0
        );
      });
      if (line)
        return {
          usd: line.costUsd / line.quantity,
          from: {
            kind: 'account' as const,
            usageType: line.usageType,
            range: p.range,
            hours: roundAmount(line.quantity),
            costUsd: roundAmount(line.costUsd),
          },
        };
    }
    const listed = ON_DEMAND_LIST_PRICES.regions[region]?.[instanceType];
    if (listed !== undefined)
      return {
        usd: listed,
        from: { kind: 'list-price' as const, region, asOf: ON_DEMAND_LIST_PRICES.asOf },
      };
    return undefined;
  };
  const lines: SpotSavingsLine[] = period.lines
    .filter((l) => instanceUsage(l.usageType)?.kind === 'spot' && l.quantity > 0)
    .map((l) => {
      const { instanceType } = instanceUsage(l.usageType)!;
      const found = rate(instanceType, l.region);
      const equivalent = found ? l.quantity * found.usd : null;
      const savings = equivalent === null ? null : equivalent - l.costUsd;
      return {
        instanceType,
        region: l.region,
        spotUsageType: l.usageType,
        spotHours: roundAmount(l.quantity),
        spotCostUsd: roundAmount(l.costUsd),
        onDemandRateUsd: found ? roundAmount(found.usd) : null,
        rateFrom: found?.from ?? null,
        onDemandEquivalentUsd: equivalent === null ? null : roundAmount(equivalent),
        savingsUsd: savings === null ? null : roundAmount(savings),
        savingsPct: equivalent ? ((savings ?? 0) / equivalent) * 100 : null,
      };
    })
    .sort(
      (a, b) =>
        Number(a.savingsUsd === null) - Number(b.savingsUsd === null) ||
        (b.savingsUsd ?? b.spotCostUsd) - (a.savingsUsd ?? a.spotCostUsd),
    );
  const priced = lines.filter((l) => l.savingsUsd !== null);
  const equivalent = roundAmount(priced.reduce((s, l) => s + (l.onDemandEquivalentUsd ?? 0), 0));
  const pricedSpot = priced.reduce((s, l) => s + l.spotCostUsd, 0);
  const savings = roundAmount(equivalent - pricedSpot);
  return {
    range: period.range,
    lines,
    totals: {
      spotCostUsd: roundAmount(lines.reduce((s, l) => s + l.spotCostUsd, 0)),
      onDemandEquivalentUsd: equivalent,
      savingsUsd: savings,
      savingsPct: equivalent > 0 ? (savings / equivalent) * 100 : null,
      unpricedSpotCostUsd: roundAmount(
        lines.filter((l) => l.savingsUsd === null).reduce((s, l) => s + l.spotCostUsd, 0),
      ),
    },
    method: SPOT_METHOD,
    freshness,
  };
}
