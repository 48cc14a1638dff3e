// A small, deterministic Cost Explorer for unit tests, behind aws-sdk-client-mock: it
// answers GetCostAndUsage from a ledger of daily line items the way AWS documents it
// (TimePeriod End exclusive, Keys of tag groups `team$storefront` and `team$` untagged,
// Total only without GroupBy, Estimated on the open month, NextPageToken paging that may
// cut a day's groups in two), plus a fixed forecast and anomalies. Every request it
// answers is recorded, so tests can count what Ballast paid for.
import {
  CostExplorerClient,
  GetAnomaliesCommand,
  GetAnomalyMonitorsCommand,
  GetCostAndUsageCommand,
  GetCostForecastCommand,
  type Anomaly,
  type GetCostAndUsageCommandInput,
  type GetCostAndUsageCommandOutput,
  type Group,
  type ResultByTime,
} from '@aws-sdk/client-cost-explorer';
import { addDays, dayOf } from '@ballast/core';
import { mockClient } from 'aws-sdk-client-mock';

/** One day's cost of one usage type, with its tags. */
export interface LineItem {
  day: string;
  service: string;
  usageType: string;
  region: string;
  tags: Record<string, string>;
  cost: number;
  quantity: number;
  unit: string;
}

export interface FakeCostExplorerOptions {
  /** the clock: today, and which days are estimated */
  now: () => number;
  /** groups per page; default 1000 */
  pageSize?: number;
  forecast?: { mean: number; lower: number; upper: number };
  anomalies?: Anomaly[];
}

export interface Call {
  operation: string;
  input: Record<string, unknown>;
}

/**
 * The client mock, answering from `items`. `calls` lists every request answered (a failed
 * one, rejected with `failNext`, is not listed).
 */
export function fakeCostExplorer(items: LineItem[], options: FakeCostExplorerOptions) {
  const mock = mockClient(CostExplorerClient);
  const calls: Call[] = [];
  const pageSize = options.pageSize ?? 1000;
  let failures: Error[] = [];
  let failing: { match: (call: Call) => boolean; error: Error }[] = [];
  const take = (operation: string, input: object) => {
    const call = { operation, input: input as Record<string, unknown> };
    const failure = failures.shift() ?? failing.find((f) => f.match(call))?.error;
    if (failure) throw failure;
    calls.push(call);
  };

  mock.on(GetCostAndUsageCommand).callsFake((input: GetCostAndUsageCommandInput) => {
    take('GetCostAndUsage', input);
    return answer(items, input, options.now(), pageSize);
  });
  mock.on(GetCostForecastCommand).callsFake((input) => {
    take('GetCostForecast', input);
    const f = options.forecast ?? { mean: 1000, lower: 900, upper: 1100 };
    return {
      Total: { Amount: String(f.mean), Unit: 'USD' },
      ForecastResultsByTime: [
        {
          TimePeriod: input.TimePeriod,
          MeanValue: String(f.mean),
          PredictionIntervalLowerBound: String(f.lower),
          PredictionIntervalUpperBound: String(f.upper),
        },
      ],
    };
  });
  mock.on(GetAnomaliesCommand).callsFake((input) => {
    take('GetAnomalies', input);
    return { Anomalies: options.anomalies ?? [] };
  });
  mock.on(GetAnomalyMonitorsCommand).callsFake((input) => {
    take('GetAnomalyMonitors', input);
    return { AnomalyMonitors: [] };
  });
  return {
    mock,
    calls,
    /** the next requests fail with these errors, in order */
    failNext(...errors: Error[]) {
      failures = [...failures, ...errors];
    },
    /** every request `match` picks fails with `error`, until reset */
    failMatching(match: (call: Call) => boolean, error: Error) {
      failing.push({ match, error });
    },
    reset() {
      calls.length = 0;
      failures = [];
      failing = [];
    },
  };
}

function answer(
  items: LineItem[],
  input: GetCostAndUsageCommandInput,
  now: number,
  pageSize: number,
): GetCostAndUsageCommandOutput {
  const start = input.TimePeriod!.Start!;
  const end = input.TimePeriod!.End!;
  const metrics = input.Metrics ?? [];
  const groupBy = input.GroupBy ?? [];
  const today = dayOf(now);
  const openMonth = today.slice(0, 7);
  const keyOf = (item: LineItem): string[] =>
    groupBy.map((g) => {
      if (g.Type === 'TAG') return `${g.Key}$${item.tags[g.Key!] ?? ''}`;
      if (g.Key === 'SERVICE') return item.service;
      if (g.Key === 'USAGE_TYPE') return item.usageType;
      if (g.Key === 'REGION') return item.region;
      throw new Error(`fake Cost Explorer cannot group by ${g.Key}`);
    });
  const amounts = (list: LineItem[]) =>
    Object.fromEntries(
      metrics.map((m) => [
        m,
        m === 'UsageQuantity'
          ? {
              Amount: String(list.reduce((s, i) => s + i.quantity, 0)),
              Unit: list[0]?.unit ?? 'N/A',
            }
          : { Amount: String(list.reduce((s, i) => s + i.cost, 0)), Unit: 'USD' },
      ]),
    );

  // Every (day, group) in order: the unit a page is cut in.
  const rows: { day: string; group?: Group; total?: ResultByTime['Total'] }[] = [];
  for (let day = start; day < end; day = addDays(day, 1)) {
    const ofDay = items.filter((i) => i.day === day);
    if (groupBy.length === 0) {
      rows.push({ day, total: amounts(ofDay) });
      continue;
    }
    const groups = new Map<string, LineItem[]>();
    for (const item of ofDay) {
      const key = JSON.stringify(keyOf(item));
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    if (groups.size === 0) rows.push({ day });
    for (const [key, list] of [...groups.entries()].sort())
      rows.push({ day, group: { Keys: JSON.parse(key) as string[], Metrics: amounts(list) } });
  }
  const offset = Number(input.NextPageToken ?? 0);
  const page = rows.slice(offset, offset + pageSize);
  const results: ResultByTime[] = [];
  for (const row of page) {
    let result = results.at(-1);
    if (!result || result.TimePeriod!.Start !== row.day) {
      result = {
        TimePeriod: { Start: row.day, End: addDays(row.day, 1) },
        Total: row.total ?? {},
        Groups: [],
        Estimated: row.day.slice(0, 7) >= openMonth,
      };
      results.push(result);
    }
    if (row.group) result.Groups!.push(row.group);
  }
  const next = offset + pageSize < rows.length ? String(offset + pageSize) : undefined;
  return {
    $metadata: {},
    GroupDefinitions: groupBy,
    ResultsByTime: results,
    DimensionValueAttributes: [],
    ...(next ? { NextPageToken: next } : {}),
  };
}

/**
 * A year and a bit of a small store's bill, easy to sum by hand: every day, per team,
 * CloudFront egress, on-demand and spot m6i.large hours, and an untagged S3 line.
 *
 * Per day: storefront CloudFront $40 (470.588 GB), platform EC2 on-demand 10 h of
 * m6i.large at $0.096 ($0.96), platform EC2 spot 20 h at $0.04 ($0.80), untagged S3 $5.
 * On weekdays (Mon-Fri) CloudFront is $10 more.
 */
export function smallStoreLedger(start: string, end: string): LineItem[] {
  const items: LineItem[] = [];
  for (let day = start; day < end; day = addDays(day, 1)) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    const cloudfront = weekday >= 1 && weekday <= 5 ? 50 : 40;
    items.push(
      {
        day,
        service: 'Amazon CloudFront',
        usageType: 'US-DataTransfer-Out-Bytes',
        region: 'global',
        tags: { team: 'storefront', env: 'production' },
        cost: cloudfront,
        quantity: cloudfront / 0.085,
        unit: 'GB',
      },
      {
        day,
        service: 'Amazon Elastic Compute Cloud - Compute',
        usageType: 'BoxUsage:m6i.large',
        region: 'us-east-1',
        tags: { team: 'platform', env: 'production' },
        cost: 0.96,
        quantity: 10,
        unit: 'Hrs',
      },
      {
        day,
        service: 'Amazon Elastic Compute Cloud - Compute',
        usageType: 'SpotUsage:m6i.large',
        region: 'us-east-1',
        tags: { team: 'platform', env: 'production' },
        cost: 0.8,
        quantity: 20,
        unit: 'Hrs',
      },
      {
        day,
        service: 'Amazon Simple Storage Service',
        usageType: 'TimedStorage-ByteHrs',
        region: 'us-east-1',
        tags: {},
        cost: 5,
        quantity: 100,
        unit: 'GB-Mo',
      },
    );
  }
  return items;
}
