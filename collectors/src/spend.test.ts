import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { CostExplorerServiceException } from '@aws-sdk/client-cost-explorer';
import {
  addDays,
  openStore,
  referencePlatformConfigPath,
  SpendPageSchema,
  type ResolvedContext,
  type Store,
} from '@ballast/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeCostExplorer, smallStoreLedger, type LineItem } from '../test/fake-cost-explorer.js';
import { createCollectorSession, type CollectorSession } from './session.js';
import {
  collectAnomalies,
  collectCostTable,
  collectForecast,
  collectMeter,
  collectMovers,
  collectSpendPage,
  collectSpotSavings,
  collectUnitCosts,
  SpendUnavailableError,
} from './spend.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Thursday 20 November 2025, noon UTC */
const NOW = Date.UTC(2025, 10, 20, 12, 0);
const GB = 1024 ** 3;

/**
 * The small store's ledger (see fakeCostExplorer.smallStoreLedger) from 2024-11-01 to today,
 * plus a forgotten r5.4xlarge in dev from 14 November: $24.192 a day (24 h at $1.008).
 */
function ledger(): LineItem[] {
  const items = smallStoreLedger('2024-11-01', '2025-11-21');
  for (let day = '2025-11-14'; day <= '2025-11-20'; day = addDays(day, 1))
    items.push({
      day,
      service: 'Amazon Elastic Compute Cloud - Compute',
      usageType: 'BoxUsage:r5.4xlarge',
      region: 'us-east-1',
      tags: { team: 'data', env: 'dev' },
      cost: 24.192,
      quantity: 24,
      unit: 'Hrs',
    });
  return items;
}

/** The reference platform with budgets sized for the small store. */
function platformFile(): string {
  const text = readFileSync(referencePlatformConfigPath, 'utf8')
    .replace(/monthly: \d+/, 'monthly: 2100')
    .replace(/team: \{[^}]*\}/, 'team: { storefront: 1700, platform: 100 }');
  const file = join(mkdtempSync(join(tmpdir(), 'ballast-spend-config-')), 'platform.yaml');
  writeFileSync(file, text);
  return file;
}

const cw = mockClient(CloudWatchClient);
let clock = NOW;
let ce: ReturnType<typeof fakeCostExplorer>;
let store: Store;
let session: CollectorSession;
let context: ResolvedContext;

beforeEach(() => {
  clock = NOW;
  ce = fakeCostExplorer(ledger(), {
    now: () => clock,
    forecast: { mean: 1000, lower: 900, upper: 1100 },
    anomalies: [
      {
        AnomalyId: 'a-dev-r5',
        AnomalyStartDate: '2025-11-14',
        AnomalyEndDate: '2025-11-19',
        DimensionValue: 'Amazon Elastic Compute Cloud - Compute',
        MonitorArn: 'arn:aws:ce::123456789012:anomalymonitor/services',
        RootCauses: [
          {
            Service: 'Amazon Elastic Compute Cloud - Compute',
            Region: 'us-east-1',
            LinkedAccount: '123456789012',
            LinkedAccountName: 'store-dev',
            UsageType: 'BoxUsage:r5.4xlarge',
            Impact: { Contribution: 145.15 },
          },
        ],
        AnomalyScore: { MaxScore: 0.92, CurrentScore: 0.88 },
        Impact: { MaxImpact: 24.19, TotalImpact: 145.15, TotalActualSpend: 485.71 },
      },
    ],
  });
  // Business metrics: every day 200 orders, $9,000 of revenue, 50,000 views, 500 GB.
  cw.reset();
  cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
    const perDay: Record<string, number> = {
      orders: 200,
      revenue: 9000,
      modelViews: 50_000,
      modelBytes: 500 * GB,
    };
    const days: Date[] = [];
    for (let t = input.StartTime!.getTime(); t < input.EndTime!.getTime(); t += 24 * HOUR)
      days.push(new Date(t));
    return {
      MetricDataResults: (input.MetricDataQueries ?? []).map((q) => ({
        Id: q.Id,
        StatusCode: 'Complete',
        Timestamps: days,
        Values: days.map(() => perDay[q.Id!] ?? 0),
      })),
    };
  });
  store = openStore(mkdtempSync(join(tmpdir(), 'ballast-spend-')));
  context = {
    name: 'sandbox',
    region: 'eu-west-1',
    // Should a mock ever miss, the request goes to a closed loopback port, never to AWS.
    endpointUrl: 'http://127.0.0.1:9',
    platformConfig: platformFile(),
    dummyCredentials: true,
    source: 'flag',
  };
  session = createCollectorSession(context, store, { now: () => clock });
});
afterEach(() => {
  ce.mock.restore();
  store.close();
});

const options = () => ({ context, store, session, now: clock });
const operations = () => ce.calls.map((c) => c.operation);
const periods = () =>
  ce.calls
    .filter((c) => c.operation === 'GetCostAndUsage')
    .map((c) => c.input.TimePeriod as { Start: string; End: string });

describe('what Ballast pays Cost Explorer for', () => {
  it('given a cold store, when the Spend page loads 13 months, then one query per shape, the forecast and the anomalies are read', async () => {
    const page = SpendPageSchema.parse(await collectSpendPage(options()));

    // Each query's answer comes in two pages of 1,000 groups: each page is a paid request.
    expect(operations().sort()).toEqual([
      'GetAnomalies',
      'GetCostAndUsage',
      'GetCostAndUsage',
      'GetCostAndUsage',
      'GetCostForecast',
    ]);
    // 13 months: this one and the 12 before, today's partial day included (End exclusive),
    // SERVICE x team followed to its second page; then USAGE_TYPE x REGION only over the
    // months of the spot savings' 31 days and the movers' two weeks: one page
    expect(ce.calls.filter((c) => c.operation === 'GetCostAndUsage').map((c) => c.input)).toEqual([
      expect.objectContaining({
        TimePeriod: { Start: '2024-11-01', End: '2025-11-21' },
        GroupBy: [
          { Type: 'DIMENSION', Key: 'SERVICE' },
          { Type: 'TAG', Key: 'team' },
        ],
        Metrics: ['UnblendedCost'],
      }),
      expect.objectContaining({ NextPageToken: '1000' }),
      expect.objectContaining({
        TimePeriod: { Start: '2025-10-01', End: '2025-11-21' },
        GroupBy: [
          { Type: 'DIMENSION', Key: 'USAGE_TYPE' },
          { Type: 'DIMENSION', Key: 'REGION' },
        ],
        Metrics: ['UnblendedCost', 'UsageQuantity'],
      }),
    ]);
    expect(page.freshness).toMatchObject({
      fromCache: false,
      paidRequests: 5,
      paidUsd: 0.05,
      fetchedAt: NOW,
      ageMs: 0,
      // the open month, 8 h later
      nextRefreshAt: NOW + 8 * HOUR + 1,
    });
  });

  it('given a loaded page, when it is reloaded, then nothing is asked and the page says it came from the store', async () => {
    await collectSpendPage(options());
    ce.reset();
    clock += 5 * MINUTE;

    const page = await collectSpendPage(options());

    expect(ce.calls).toEqual([]);
    expect(page.freshness).toMatchObject({
      fromCache: true,
      paidRequests: 0,
      paidUsd: 0,
      fetchedAt: NOW,
      ageMs: 5 * MINUTE,
    });
  });

  it('given a loaded page left open for 24 h with a reload every 10 minutes, then only the open month is read again, at most every 8 h', async () => {
    await collectSpendPage(options());
    ce.reset();

    for (let t = NOW + 10 * MINUTE; t <= NOW + 24 * HOUR; t += 10 * MINUTE) {
      clock = t;
      await collectSpendPage(options());
    }

    // November (SERVICE x team) once its read is older than 8 h: 8 h 10 min and 16 h 20 min in.
    expect(ce.calls.map((c) => [c.operation, c.input.TimePeriod])).toEqual([
      ['GetCostAndUsage', { Start: '2025-11-01', End: '2025-11-21' }],
      ['GetCostAndUsage', { Start: '2025-11-01', End: '2025-11-22' }],
    ]);
    expect(ce.calls.length).toBeLessThanOrEqual(5);
  }, 120_000); // 145 page loads: minutes on a busy 2-core machine

  it('given months already read, when a wider range is asked, then only the months it lacks are read, and the same range again reads nothing', async () => {
    await collectCostTable({ ...options(), since: '2025-06-01' });
    await collectCostTable({ ...options(), since: '2025-03-15', until: '2025-08-31' });
    await collectCostTable({ ...options(), since: '2025-03-15', until: '2025-08-31' });
    await collectCostTable({ ...options(), by: ['tag:team'], since: '2025-04-01' });

    expect(periods()).toEqual([
      { Start: '2025-06-01', End: '2025-11-21' },
      { Start: '2025-03-01', End: '2025-06-01' },
    ]);
  });

  it('given a month read 9 h ago, when a closed month is asked, then it is not read again', async () => {
    await collectCostTable({ ...options(), since: '2025-10-01' });
    ce.reset();
    clock = NOW + 9 * HOUR;

    const table = await collectCostTable({
      ...options(),
      since: '2025-10-01',
      until: '2025-10-31',
    });

    expect(ce.calls).toEqual([]);
    expect(table.freshness).toMatchObject({ fromCache: true, nextRefreshAt: null });
  });

  it('given a new month while last month was read a few hours ago, then one query reads both', async () => {
    ce.mock.restore();
    ce = fakeCostExplorer(smallStoreLedger('2025-10-01', '2025-12-02'), { now: () => clock });
    clock = Date.UTC(2025, 10, 30, 20);
    await collectCostTable({ ...options(), since: '2025-11-01' });
    clock = Date.UTC(2025, 11, 1, 2);

    const table = await collectCostTable({ ...options(), since: '2025-11-01' });

    expect(periods()).toEqual([
      { Start: '2025-11-01', End: '2025-12-01' },
      { Start: '2025-11-01', End: '2025-12-02' },
    ]);
    expect(table.covered).toEqual({ start: '2025-11-01', end: '2025-12-02' });
    // November, read after it ended and no longer estimated, is final now
    ce.reset();
    clock = Date.UTC(2025, 11, 1, 11);
    await collectCostTable({ ...options(), since: '2025-11-01', until: '2025-11-30' });
    expect(ce.calls).toEqual([]);
  });

  it('given --refresh, then the open month is read again however fresh, and closed months are not', async () => {
    await collectCostTable({ ...options(), since: '2025-09-01' });
    ce.reset();
    clock += MINUTE;

    await collectCostTable({ ...options(), since: '2025-09-01', refresh: true });

    expect(periods()).toEqual([{ Start: '2025-11-01', End: '2025-11-21' }]);
  });

  it('given two views collected at once, then a month is read once, not by both', async () => {
    await Promise.all([
      collectCostTable({ ...options(), since: '2025-09-01' }),
      collectCostTable({ ...options(), by: ['service', 'tag:team'], since: '2025-09-01' }),
      collectForecast(options()),
    ]);

    expect(periods()).toEqual([{ Start: '2025-09-01', End: '2025-11-21' }]);
  });

  it('given a result in pages that cut a day in two, then every page is followed and counted', async () => {
    ce.mock.restore();
    ce = fakeCostExplorer(ledger(), { now: () => clock, pageSize: 25 });
    const table = await collectCostTable({
      ...options(),
      by: ['service'],
      since: '2025-11-01',
      until: '2025-11-03',
    });

    // The whole month is read (the unit of the cache): 1-13 November have 3 groups a day,
    // 14-20 four (the r5): 67 groups, pages of 25, 25 and 17, cutting the 9th and the 17th.
    expect(ce.calls.map((c) => c.input.NextPageToken)).toEqual([undefined, '25', '50']);
    expect(table.freshness).toMatchObject({ paidRequests: 3, paidUsd: 0.03 });
    expect(table.periods.map((p) => [p.start, p.total])).toEqual([
      ['2025-11-01', 46.76],
      ['2025-11-02', 46.76],
      ['2025-11-03', 56.76],
    ]);
  });
});

describe('collectCostTable', () => {
  it('given by service, then each service per day, largest first, with totals', async () => {
    const table = await collectCostTable({
      ...options(),
      by: ['service'],
      since: '2025-11-01',
      until: '2025-11-07',
    });

    // 1-7 November: 5 weekdays ($50 of CloudFront) and a weekend ($40)
    expect(table.groups.map((g) => [g.id, g.total])).toEqual([
      ['Amazon CloudFront', 330],
      ['Amazon Simple Storage Service', 35],
      ['Amazon Elastic Compute Cloud - Compute', 12.32],
    ]);
    expect(table.total).toBe(377.32);
    expect(table.range).toEqual({ start: '2025-11-01', end: '2025-11-08' });
    expect(table.periods).toHaveLength(7);
    expect(table.periods[0]).toEqual({
      start: '2025-11-01',
      end: '2025-11-02',
      estimated: true,
      total: 46.76,
      amounts: {
        'Amazon CloudFront': 40,
        'Amazon Elastic Compute Cloud - Compute': 1.76,
        'Amazon Simple Storage Service': 5,
      },
    });
  });

  it('given by tag:team monthly, then the untagged spend is a group of its own, with its share', async () => {
    const table = await collectCostTable({
      ...options(),
      by: ['tag:team'],
      granularity: 'monthly',
      since: '2025-10-01',
      until: '2025-10-31',
    });

    // October 2025: 23 weekdays, 8 weekend days
    expect(table.groups.map((g) => [g.id, g.total, g.untagged])).toEqual([
      ['storefront', 23 * 50 + 8 * 40, false],
      ['(untagged)', 31 * 5, true],
      ['platform', 31 * 1.76, false],
    ]);
    expect(table.periods).toEqual([
      expect.objectContaining({ start: '2025-10-01', end: '2025-11-01', estimated: false }),
    ]);
    expect(table.untagged).toEqual({
      tagKey: 'team',
      amount: 155,
      share: 155 / (1470 + 54.56 + 155),
    });
  });

  it('given by usage type and region, then the usage shape answers it', async () => {
    const table = await collectCostTable({
      ...options(),
      by: ['usage-type', 'region'],
      since: '2025-11-03',
      until: '2025-11-03',
    });
    expect(table.groups.map((g) => g.id)).toEqual([
      'US-DataTransfer-Out-Bytes / global',
      'TimedStorage-ByteHrs / us-east-1',
      'BoxUsage:m6i.large / us-east-1',
      'SpotUsage:m6i.large / us-east-1',
    ]);
  });

  it.each([
    { by: ['tag:owner'] as const, message: '--by: unknown tag key "owner"' },
    {
      by: ['service', 'region', 'usage-type'] as const,
      message: '--by: at most 2 dimensions',
    },
  ])('given by $by, then a SpendInputError names the flag', async ({ by, message }) => {
    await expect(collectCostTable({ ...options(), by: [...by] })).rejects.toThrow(message);
    expect(ce.calls).toEqual([]);
  });

  it('given a start older than the 14 months Cost Explorer keeps, then it is refused before anything is asked', async () => {
    await expect(collectCostTable({ ...options(), since: '2024-09-30' })).rejects.toThrow(
      '--since: 2024-09-30 is older than Cost Explorer keeps',
    );
    expect(ce.calls).toEqual([]);
  });
});

describe('when Cost Explorer fails', () => {
  const limitExceeded = () =>
    new CostExplorerServiceException({
      name: 'LimitExceededException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: 'Rate exceeded',
    });

  it('given stored months and a throttled refresh, then the stored table is shown with its age and why', async () => {
    await collectCostTable({ ...options(), since: '2025-11-01' });
    clock = NOW + 9 * HOUR;
    ce.failNext(limitExceeded());

    const table = await collectCostTable({ ...options(), since: '2025-11-01' });

    expect(table.total).toBeGreaterThan(0);
    expect(table.freshness).toMatchObject({
      fromCache: true,
      fetchedAt: NOW,
      ageMs: 9 * HOUR,
      error: { kind: 'throttled', message: expect.stringContaining('LimitExceededException') },
    });
    expect(table.freshness.error?.retryAt).toBeGreaterThan(clock);

    // While it backs off, the next view does not ask again.
    ce.reset();
    await collectCostTable({ ...options(), since: '2025-11-01' });
    expect(ce.calls).toEqual([]);
  });

  it('given nothing stored and access denied, then SpendUnavailableError names the ce: action to grant', async () => {
    ce.failNext(
      new CostExplorerServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'User: arn:aws:iam::123456789012:user/ballast is not authorized',
      }),
    );

    const failure = await collectCostTable({ ...options(), since: '2025-11-01' }).catch(
      (e: unknown) => e,
    );

    expect(failure).toBeInstanceOf(SpendUnavailableError);
    expect((failure as SpendUnavailableError).error).toMatchObject({
      kind: 'access-denied',
      iamAction: 'ce:GetCostAndUsage',
      actions: [expect.stringContaining('Grant ce:GetCostAndUsage')],
    });
    expect((failure as SpendUnavailableError).missing).toBe('cost of 2025-11');
  });

  it('given usage detail that cannot be read and nothing stored, then only its panels degrade, with why', async () => {
    ce.failMatching(
      (call) => JSON.stringify(call.input.GroupBy ?? []).includes('USAGE_TYPE'),
      new CostExplorerServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'not authorized',
      }),
    );

    const page = SpendPageSchema.parse(await collectSpendPage(options()));

    expect(page.costs.total).toBeGreaterThan(0);
    expect(page.forecast?.basis).toBe('cost-explorer');
    expect(page.spotSavings).toBeNull();
    expect(page.unavailable).toEqual([
      {
        panel: 'spotSavings',
        error: expect.objectContaining({ kind: 'access-denied', iamAction: 'ce:GetCostAndUsage' }),
      },
    ]);
    expect(page.movers?.byDimension.map((m) => m.dimension)).toEqual(['service', 'tag:team']);
    expect(page.movers?.unavailable).toEqual([
      { dimension: 'usage-type', error: expect.objectContaining({ kind: 'access-denied' }) },
    ]);
  });

  it('given nothing stored and GetAnomalies denied, then SpendUnavailableError, never a report of no anomalies', async () => {
    ce.failMatching(
      (call) => call.operation === 'GetAnomalies',
      new CostExplorerServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'not authorized',
      }),
    );

    const failure = await collectAnomalies(options()).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(SpendUnavailableError);
    expect((failure as SpendUnavailableError).error).toMatchObject({
      kind: 'access-denied',
      iamAction: 'ce:GetAnomalies',
    });
    // The Spend page shows the panel as unavailable, with why, not as "no anomalies".
    const page = await collectSpendPage(options());
    expect(page.anomalies).toBeNull();
    expect(page.unavailable).toEqual([
      { panel: 'anomalies', error: expect.objectContaining({ iamAction: 'ce:GetAnomalies' }) },
    ]);
  });

  it('given the forecast cannot be read, then the month is projected from its run rate, with the reason', async () => {
    await collectCostTable({ ...options(), since: '2025-10-01' });
    ce.failNext(
      new CostExplorerServiceException({
        name: 'DataUnavailableException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Data is not available',
      }),
    );

    const forecast = await collectForecast(options());

    expect(forecast.basis).toBe('run-rate');
    expect(forecast.freshness.error).toMatchObject({ kind: 'service-error' });
    // 1-19 November, then the last 7 complete days' average ((5 x 56.76 + 2 x 46.76) / 7 plus
    // the r5 from the 14th: 6 of those 7 days) for each of the 11 days left
    const rate = (5 * 56.76 + 2 * 46.76 + 6 * 24.192) / 7;
    expect(forecast.monthEnd.mean).toBeCloseTo(1018.44 + 6 * 24.192 + rate * 11, 6);
    expect(forecast.monthEnd.upper).toBeNull();
  });
});

describe('collectForecast', () => {
  it('given the month so far and the forecast of the rest, then where it lands and each budget', async () => {
    const forecast = await collectForecast(options());
    // 1-19 November: 13 weekdays at $56.76, 6 weekend days at $46.76, and the r5 for 6 days
    const actual = 13 * 56.76 + 6 * 46.76 + 6 * 24.192;

    expect(forecast.actual).toEqual({
      range: { start: '2025-11-01', end: '2025-11-20' },
      amount: expect.closeTo(actual, 6),
    });
    expect(forecast.monthEnd).toEqual({
      mean: expect.closeTo(actual + 1000, 6),
      lower: expect.closeTo(actual + 900, 6),
      upper: expect.closeTo(actual + 1100, 6),
      predictionIntervalLevel: 80,
    });
    // October 1-19 had the same 13 weekdays and 6 weekend days, and no r5
    expect(forecast.monthToDate).toMatchObject({
      amount: expect.closeTo(actual, 6),
      previous: { month: '2025-10', amount: expect.closeTo(1018.44, 6) },
      changeUsd: expect.closeTo(6 * 24.192, 6),
    });
    const [total, storefront, platform] = forecast.budgets;
    // $2,100: the mean (2,163.59) is past it
    expect(total).toMatchObject({ status: 'over', budgetUsd: 2100, basis: 'cost-explorer' });
    // storefront: $890 so far; 660 of the 14 days' 899.792 before the 20th, of $1,000 to come
    expect(storefront).toMatchObject({
      label: 'team: storefront',
      configPath: 'spend.budgets.tags.team.storefront',
      actualUsd: 940,
      forecastUsd: expect.closeTo(890 + (660 / (754.64 + 6 * 24.192)) * 1000, 6),
      basis: 'share-of-forecast',
    });
    expect(storefront?.status).toBe('under');
    // platform: $1.76 a day, $100 budget
    expect(platform).toMatchObject({ status: 'under', actualUsd: expect.closeTo(20 * 1.76, 6) });
  });
});

describe('the other views', () => {
  it('collectMovers: the forgotten r5 is the top mover by service, team and usage type', async () => {
    const report = await collectMovers(options());
    const top = report.byDimension.map((m) => [
      m.dimension,
      m.movers[0]?.key,
      m.movers[0]?.changeUsd,
    ]);

    // 13-19 November against 6-12: six days of the r5 at $24.192
    expect(top).toEqual([
      ['service', 'Amazon Elastic Compute Cloud - Compute', expect.closeTo(145.152, 6)],
      ['tag:team', 'data', expect.closeTo(145.152, 6)],
      ['usage-type', 'BoxUsage:r5.4xlarge', expect.closeTo(145.152, 6)],
    ]);
    expect(report.byDimension[2]?.movers[0]?.changePct).toBeNull();
  });

  it('collectAnomalies: the open anomaly with its root cause and impact', async () => {
    const report = await collectAnomalies(options());
    expect(report.open).toEqual({ count: 1, impactUsd: 145.15 });
    expect(report.anomalies[0]).toMatchObject({
      id: 'a-dev-r5',
      open: true,
      rootCauses: [{ linkedAccountName: 'store-dev', usageType: 'BoxUsage:r5.4xlarge' }],
    });
    expect(ce.calls[0]?.input).toMatchObject({
      DateInterval: { StartDate: '2025-08-22', EndDate: '2025-11-20' },
    });
  });

  it('collectSpotSavings: spot hours priced at the on-demand rate the account paid', async () => {
    const report = await collectSpotSavings(options());
    // 1-20 November: 400 spot hours for $16; on-demand m6i.large at $0.96 / 10 h
    expect(report.lines).toEqual([
      expect.objectContaining({
        instanceType: 'm6i.large',
        spotHours: 400,
        spotCostUsd: 16,
        onDemandRateUsd: 0.096,
        onDemandEquivalentUsd: 38.4,
        savingsUsd: 22.4,
      }),
    ]);
    expect(report.totals.savingsPct).toBeCloseTo(58.333333, 5);
  });

  it('collectUnitCosts: cost per order, per 1,000 views and per GB by day', async () => {
    const report = await collectUnitCosts({
      ...options(),
      since: '2025-11-03',
      until: '2025-11-03',
    });
    expect(report?.days).toEqual([
      {
        day: '2025-11-03',
        costUsd: 56.76,
        estimated: true,
        orders: 200,
        revenueUsd: 9000,
        modelViews: 50_000,
        modelGb: 500,
        costPerOrder: 0.2838,
        costPer1000Views: 1.1352,
        costPerGb: 0.11352,
        costPerRevenueUsd: 0.006307,
      },
    ]);
    expect(report?.metricsSource).toMatchObject({ source: 'business-metrics', ok: true });
  });

  it("collectMeter: the context's ledger rows of today and this month", () => {
    const call = (at: number, ctx: string, priceUsd: number) =>
      store.recordCall({
        at,
        context: ctx,
        service: 'costexplorer',
        operation: 'GetCostAndUsage',
        requests: 1,
        metrics: 0,
        priceUsd,
        ok: true,
      });
    call(NOW - 40 * 24 * HOUR, 'sandbox', 0.01); // October: not this month
    call(NOW - 24 * HOUR, 'sandbox', 0.01);
    call(NOW - HOUR, 'sandbox', 0.01);
    call(NOW - HOUR, 'prod', 0.01); // another context

    const meter = collectMeter({ context, store, now: NOW });

    expect(meter.today).toEqual({ day: '2025-11-20', requests: 1, usd: 0.01 });
    expect(meter.month).toEqual({ month: '2025-11', requests: 2, usd: 0.02 });
  });
});
