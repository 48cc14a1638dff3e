// A SpendPage shaped like the reference store's, for server and web unit tests that inject
// their own spend source. Built with core's own analytics from a made-up bill (three
// services, spend tagged by team with an untagged share), so it is what the collectors
// would give for that bill. Deterministic: it depends only on the options.
import {
  addDays,
  anomalyReport,
  buildCostTable,
  dailyTotals,
  dailyTrend,
  dayOf,
  evaluateBudgets,
  meterReport,
  monthForecast,
  monthStart,
  monthOf,
  splitIntoMonths,
  topMovers,
  unitCosts,
  type CostAndUsage,
  type CostAnomaly,
  type SpendDimension,
  type SpendFreshness,
  type SpendPage,
} from '@ballast/core';

export interface SpendFixtureOptions {
  now: number;
  /** days of history before today (default 70) */
  days?: number;
  by?: SpendDimension[];
}

const SERVICES = [
  'Amazon CloudFront',
  'Amazon Elastic Compute Cloud - Compute',
  'AmazonCloudWatch',
];
const TEAMS = ['storefront', 'ml', ''];

function freshness(now: number, over: Partial<SpendFreshness> = {}): SpendFreshness {
  return {
    fetchedAt: now,
    ageMs: 0,
    fromCache: true,
    paidRequests: 0,
    paidUsd: 0,
    nextRefreshAt: now + 8 * 3_600_000 + 1,
    ...over,
  };
}

/** A day's cost of a service and team: a weekly rhythm and a forgotten instance from day -9. */
function cost(service: number, team: number, dayIndex: number, total: number): number {
  const base = [900, 160, 6][service]! * [0.8, 0.15, 0.05][team]!;
  const weekly = 1 + 0.15 * Math.sin((dayIndex / 7) * 2 * Math.PI);
  const forgotten = service === 1 && team === 1 && dayIndex >= total - 9 ? 136 : 0;
  return Math.round((base * weekly + forgotten) * 1e6) / 1e6;
}

export function makeSpendPage(options: SpendFixtureOptions): SpendPage {
  const { now } = options;
  const today = dayOf(now);
  const total = options.days ?? 70;
  const start = addDays(today, -total);
  const end = addDays(today, 1);
  const periods: CostAndUsage['periods'] = [];
  for (let i = 0; i <= total; i++) {
    const day = addDays(start, i);
    const isToday = day === today;
    periods.push({
      start: day,
      end: addDays(day, 1),
      estimated: monthOf(day) === monthOf(today),
      total: {},
      groups: SERVICES.flatMap((service, s) =>
        TEAMS.map((team, t) => ({
          keys: [service, `team$${team}`],
          metrics: {
            UnblendedCost: { amount: isToday ? 0 : cost(s, t, i, total), unit: 'USD' },
          },
        })),
      ),
    });
  }
  const answer: CostAndUsage = {
    granularity: 'DAILY',
    groupBy: ['SERVICE', 'TAG:team'],
    metrics: ['UnblendedCost'],
    periods,
  };
  const range = { start, end };
  const months = splitIntoMonths(answer, range);
  const table = (by: SpendDimension[]) =>
    buildCostTable({
      months,
      dims: by,
      granularity: 'daily',
      range,
      metric: 'UnblendedCost',
      freshness: freshness(now),
    });
  const costs = table(options.by ?? ['service']);
  const totals = table([]);
  const days = dailyTotals(totals);
  const forecastValue = {
    metric: 'UNBLENDED_COST',
    start: today,
    end: monthStart(monthOf(addDays(monthStart(monthOf(today)), 32))),
    mean: 21_000,
    lower: 19_500,
    upper: 22_800,
    predictionIntervalLevel: 80,
    unit: 'USD',
  };
  const projected = monthForecast(days, forecastValue, now);
  const teamTable = table(['tag:team']);
  const tagDays = new Map([
    [
      'team',
      new Map(
        teamTable.groups.map((g) => [
          g.keys[0]!,
          teamTable.periods.map((p) => ({
            day: p.start,
            amount: p.amounts[g.id] ?? 0,
            estimated: p.estimated,
          })),
        ]),
      ),
    ],
  ]);
  const anomalies: CostAnomaly[] = [
    {
      id: 'anomaly-forgotten-gpu',
      start: addDays(today, -9),
      end: addDays(today, -1),
      monitorArn: 'arn:aws:ce::123456789012:anomalymonitor/services',
      dimensionValue: 'Amazon Elastic Compute Cloud - Compute',
      rootCauses: [
        {
          service: 'Amazon Elastic Compute Cloud - Compute',
          region: 'us-east-1',
          linkedAccount: '123456789012',
          linkedAccountName: 'store-dev',
          usageType: 'BoxUsage:g5.12xlarge',
          contributionUsd: 1224,
        },
      ],
      impact: {
        totalUsd: 1224,
        maxUsd: 136,
        actualUsd: 1420,
        expectedUsd: 196,
        percent: 624.5,
      },
      score: { max: 0.99, current: 0.99 },
    },
    {
      id: 'anomaly-hotlinked-model',
      start: addDays(today, -30),
      end: addDays(today, -29),
      monitorArn: 'arn:aws:ce::123456789012:anomalymonitor/services',
      dimensionValue: 'Amazon CloudFront',
      rootCauses: [
        {
          service: 'Amazon CloudFront',
          region: 'global',
          usageType: 'US-DataTransfer-Out-Bytes',
          contributionUsd: 1659.09,
        },
      ],
      impact: {
        totalUsd: 1659.09,
        maxUsd: 888.97,
        actualUsd: 4104.56,
        expectedUsd: 2445.47,
        percent: 67.8,
      },
      score: { max: 0.59, current: 0.59 },
    },
  ];
  const metric = (name: string, unit: string, perDay: number) => ({
    name,
    unit,
    points: days.filter((d) => d.day < today).map((d) => ({ day: d.day, value: perDay })),
  });
  return {
    context: 'sandbox',
    evaluatedAt: now,
    costs,
    trend: dailyTrend(days, now),
    forecast: {
      ...projected,
      monthToDate: {
        month: monthOf(today),
        compared: { start: monthStart(monthOf(today)), end: today },
        amount: 0,
        previous: { month: monthOf(start), range: { start, end: start }, amount: 0 },
        changeUsd: 0,
        changePct: null,
        amountWithToday: 0,
      },
      budgets: evaluateBudgets({
        spend: {
          tagKeys: ['team', 'env'],
          budgets: { monthly: 25_000, tags: { team: { storefront: 18_000, ml: 1_500 } } },
        },
        days,
        tagDays,
        forecast: projected,
        now,
      }),
      freshness: freshness(now),
    },
    anomalies: anomalyReport(anomalies, range, now, null, freshness(now)),
    movers: {
      byDimension: [
        topMovers(table(['service']), 'service', now),
        topMovers(teamTable, 'tag:team', now),
      ],
      unavailable: [],
      freshness: freshness(now),
    },
    spotSavings: {
      range: { start: addDays(today, -30), end },
      lines: [
        {
          instanceType: 'c6i.xlarge',
          region: 'us-east-1',
          spotUsageType: 'SpotUsage:c6i.xlarge',
          spotHours: 1958.07,
          spotCostUsd: 148.02,
          onDemandRateUsd: 0.17,
          rateFrom: { kind: 'list-price', region: 'us-east-1', asOf: '2025-11' },
          onDemandEquivalentUsd: 332.87,
          savingsUsd: 184.85,
          savingsPct: 55.5,
        },
      ],
      totals: {
        spotCostUsd: 148.02,
        onDemandEquivalentUsd: 332.87,
        savingsUsd: 184.85,
        savingsPct: 55.5,
        unpricedSpotCostUsd: 0,
      },
      method: 'on-demand rates the account paid, else AWS list price',
      freshness: freshness(now),
    },
    unitCosts: unitCosts({
      range,
      days,
      metrics: [
        { metric: 'orders', ...metric('Orders', 'Count', 5000) },
        { metric: 'modelViews', ...metric('ModelViews', 'Count', 1_800_000) },
        { metric: 'modelBytes', ...metric('ModelBytesServed', 'Bytes', 30_000 * 1024 ** 3) },
      ],
      metricsSource: { source: 'business-metrics', ok: true, fetchedAt: now },
      freshness: freshness(now),
    }),
    unavailable: [],
    meter: meterReport(
      [
        {
          day: today,
          service: 'costexplorer',
          operation: 'GetCostAndUsage',
          requests: 9,
          pages: 7,
          priceUsd: 0.09,
          errors: 0,
        },
      ],
      now,
    ),
    freshness: freshness(now, { fromCache: false, paidRequests: 11, paidUsd: 0.11 }),
  };
}
