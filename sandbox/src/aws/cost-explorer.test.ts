// Cost Explorer through the real SDK client, over the simulated platform's bill.
import {
  CostExplorerClient,
  GetAnomaliesCommand,
  GetAnomalyMonitorsCommand,
  GetCostAndUsageCommand,
  GetCostForecastCommand,
  GetDimensionValuesCommand,
  GetTagsCommand,
  type Expression,
  type GetCostAndUsageCommandInput,
  type GetCostAndUsageCommandOutput,
  type ResultByTime,
} from '@aws-sdk/client-cost-explorer';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients, startTestSandbox } from '../../test/helpers.js';
import type { RunningSandbox } from '../start-sandbox.js';
import { COST_AND_USAGE_PAGE_ROWS } from './cost-explorer.js';

type TestSandbox = RunningSandbox & { setTime(ms: number): void };
let sandbox: TestSandbox;
let ce: CostExplorerClient;

beforeAll(async () => {
  // FIXED_NOW is Sunday 2025-11-23 20:00 UTC: the bill shows November 23 up to 16:00.
  sandbox = await startTestSandbox({ backfillDays: 1 });
  ce = costExplorer(sandbox.url);
});
afterAll(() => sandbox.stop());

function costExplorer(url: string): CostExplorerClient {
  return new CostExplorerClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

const usage = (
  input: Partial<GetCostAndUsageCommandInput> & Pick<GetCostAndUsageCommandInput, 'TimePeriod'>,
) =>
  ce.send(
    new GetCostAndUsageCommand({ Granularity: 'DAILY', Metrics: ['UnblendedCost'], ...input }),
  );

/** Every page of a GetCostAndUsage, following NextPageToken. */
async function allPages(
  input: GetCostAndUsageCommandInput,
): Promise<GetCostAndUsageCommandOutput[]> {
  const pages: GetCostAndUsageCommandOutput[] = [];
  let token: string | undefined;
  do {
    const page = await ce.send(new GetCostAndUsageCommand({ ...input, NextPageToken: token }));
    pages.push(page);
    token = page.NextPageToken;
  } while (token);
  return pages;
}

const num = (amount: string | undefined) => Number(amount);
const total = (r: ResultByTime, metric = 'UnblendedCost') => num(r.Total?.[metric]?.Amount);
const groupSum = (r: ResultByTime, metric = 'UnblendedCost') =>
  (r.Groups ?? []).reduce((s, g) => s + num(g.Metrics?.[metric]?.Amount), 0);
const NOVEMBER = { Start: '2025-11-01', End: '2025-12-01' };

describe('GetCostAndUsage', () => {
  it('answers 14 months by month: only the current one Estimated, and its days add up to it', async () => {
    const monthly = await usage({
      TimePeriod: { Start: '2024-10-01', End: '2025-12-01' },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost', 'AmortizedCost', 'UsageQuantity'],
    });
    const months = monthly.ResultsByTime!;
    expect(months.map((r) => r.TimePeriod!.Start)).toHaveLength(14);
    expect(months.map((r) => r.Estimated)).toEqual([...Array(13).fill(false), true]);
    for (const r of months) {
      expect(r.Groups).toEqual([]);
      expect(r.Total!.UnblendedCost!.Unit).toBe('USD');
      expect(r.Total!.AmortizedCost).toEqual(r.Total!.UnblendedCost);
      // Hours, GB and requests do not add up to one unit.
      expect(r.Total!.UsageQuantity!.Unit).toBe('N/A');
      expect(r.Total!.UnblendedCost!.Amount).toMatch(/^\d+(\.\d{1,10})?$/);
    }
    const daily = await usage({ TimePeriod: NOVEMBER });
    expect(daily.ResultsByTime).toHaveLength(30);
    // Days after the last refresh have nothing yet.
    expect(daily.ResultsByTime!.slice(23).map((r) => total(r))).toEqual(Array(7).fill(0));
    const days = daily.ResultsByTime!.reduce((s, r) => s + total(r), 0);
    expect(days).toBeCloseTo(total(months[13]!), 4);
  });

  it('groups by a dimension and a tag: TAG keys spelled team$storefront, untagged team$', async () => {
    const out = await usage({
      TimePeriod: { Start: '2025-11-20', End: '2025-11-22' },
      GroupBy: [
        { Type: 'DIMENSION', Key: 'SERVICE' },
        { Type: 'TAG', Key: 'team' },
      ],
    });
    expect(out.GroupDefinitions).toEqual([
      { Type: 'DIMENSION', Key: 'SERVICE' },
      { Type: 'TAG', Key: 'team' },
    ]);
    const day = out.ResultsByTime![0]!;
    expect(day.Total).toEqual({});
    const keys = day.Groups!.map((g) => g.Keys!.join(' | '));
    expect(keys).toContain('Amazon CloudFront | team$storefront');
    expect(keys).toContain('Amazon Elastic Compute Cloud - Compute | team$ml');
    expect(keys).toContain('AmazonCloudWatch | team$');
    // The groups add up to the day's total.
    const plain = await usage({ TimePeriod: { Start: '2025-11-20', End: '2025-11-21' } });
    expect(groupSum(day)).toBeCloseTo(total(plain.ResultsByTime![0]!), 6);
    expect(out.DimensionValueAttributes).toEqual([]);
  });

  it('filters with And, Or and Not on dimensions and tags, and ABSENT tags', async () => {
    const period = { Start: '2025-11-20', End: '2025-11-21' };
    const cost = async (Filter?: Expression) =>
      total(
        (await usage({ TimePeriod: period, ...(Filter ? { Filter } : {}) })).ResultsByTime![0]!,
      );
    const cloudFront: Expression = {
      Dimensions: { Key: 'SERVICE', Values: ['Amazon CloudFront'] },
    };
    const all = await cost();
    expect((await cost(cloudFront)) + (await cost({ Not: cloudFront }))).toBeCloseTo(all, 6);
    const dev: Expression = { Tags: { Key: 'env', Values: ['dev'] } };
    const ec2: Expression = {
      Dimensions: { Key: 'SERVICE', Values: ['Amazon Elastic Compute Cloud - Compute'] },
    };
    const devCompute = await cost({ And: [dev, ec2] });
    // A g5.12xlarge ($5.672/h) and a t3.large ($0.0832/h) all day.
    expect(devCompute).toBeCloseTo(24 * (5.672 + 0.0832), 6);
    expect(await cost({ Or: [dev, ec2] })).toBeGreaterThan(devCompute);
    const untagged = await cost({ Tags: { Key: 'team', MatchOptions: ['ABSENT'] } });
    const grouped = await usage({ TimePeriod: period, GroupBy: [{ Type: 'TAG', Key: 'team' }] });
    const none = grouped.ResultsByTime![0]!.Groups!.find((g) => g.Keys![0] === 'team$')!;
    expect(untagged).toBeCloseTo(num(none.Metrics!.UnblendedCost!.Amount), 6);
    // Usage of one usage type has its unit.
    const gpu = await usage({
      TimePeriod: period,
      Metrics: ['UsageQuantity', 'NormalizedUsageAmount'],
      Filter: { Dimensions: { Key: 'USAGE_TYPE', Values: ['BoxUsage:g5.12xlarge'] } },
    });
    expect(gpu.ResultsByTime![0]!.Total).toEqual({
      UsageQuantity: { Amount: '24', Unit: 'Hrs' },
      NormalizedUsageAmount: { Amount: '2304', Unit: 'Hrs' },
    });
  });

  it('pages 1,000 group rows at a time, and the pages add up to the whole', async () => {
    const input: GetCostAndUsageCommandInput = {
      TimePeriod: { Start: '2025-07-01', End: '2025-11-23' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [
        { Type: 'DIMENSION', Key: 'USAGE_TYPE' },
        { Type: 'TAG', Key: 'env' },
      ],
    };
    const pages = await allPages(input);
    expect(pages.length).toBeGreaterThan(2);
    const rows = pages.map((p) => p.ResultsByTime!.reduce((n, r) => n + r.Groups!.length, 0));
    expect(rows.slice(0, -1).every((n) => n === COST_AND_USAGE_PAGE_ROWS)).toBe(true);
    // A day cut by a page boundary continues on the next page; no row is repeated.
    const seen = new Set<string>();
    let sum = 0;
    for (const page of pages)
      for (const r of page.ResultsByTime!)
        for (const g of r.Groups!) {
          const id = `${r.TimePeriod!.Start} ${g.Keys!.join('|')}`;
          expect(seen.has(id)).toBe(false);
          seen.add(id);
          sum += num(g.Metrics!.UnblendedCost!.Amount);
        }
    const whole = await usage({ TimePeriod: input.TimePeriod, Granularity: 'MONTHLY' });
    expect(sum).toBeCloseTo(
      whole.ResultsByTime!.reduce((s, r) => s + total(r), 0),
      3,
    );
  });

  it('names the linked account in DimensionValueAttributes', async () => {
    const out = await usage({
      TimePeriod: { Start: '2025-11-01', End: '2025-11-03' },
      GroupBy: [{ Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' }],
    });
    expect(out.DimensionValueAttributes).toEqual([
      { Value: '123456789012', Attributes: { description: '3d-store (production)' } },
    ]);
    expect(out.ResultsByTime![0]!.Groups!.map((g) => g.Keys)).toEqual([['123456789012']]);
  });
});

describe('GetCostForecast', () => {
  it('forecasts the rest of the month and the next with a prediction interval', async () => {
    const forecast = (level?: number) =>
      ce.send(
        new GetCostForecastCommand({
          TimePeriod: { Start: '2025-11-23', End: '2026-01-01' },
          Granularity: 'MONTHLY',
          Metric: 'UNBLENDED_COST',
          ...(level ? { PredictionIntervalLevel: level } : {}),
        }),
      );
    const at80 = await forecast();
    const at95 = await forecast(95);
    expect(at80.ForecastResultsByTime!.map((r) => r.TimePeriod)).toEqual([
      { Start: '2025-11-23', End: '2025-12-01' },
      { Start: '2025-12-01', End: '2026-01-01' },
    ]);
    const [rest, december] = at80.ForecastResultsByTime!;
    for (const r of [rest!, december!]) {
      expect(num(r.PredictionIntervalLowerBound)).toBeLessThan(num(r.MeanValue));
      expect(num(r.PredictionIntervalUpperBound)).toBeGreaterThan(num(r.MeanValue));
    }
    const width = (r: typeof rest) =>
      num(r!.PredictionIntervalUpperBound) - num(r!.PredictionIntervalLowerBound);
    expect(width(at95.ForecastResultsByTime![1])).toBeGreaterThan(width(december));
    expect(num(at80.Total!.Amount)).toBeCloseTo(num(rest!.MeanValue) + num(december!.MeanValue), 4);
    // December lands near last December, grown by a year.
    const lastDecember = await usage({
      TimePeriod: { Start: '2024-12-01', End: '2025-01-01' },
      Granularity: 'MONTHLY',
    });
    const ratio = num(december!.MeanValue) / total(lastDecember.ResultsByTime![0]!);
    expect(ratio).toBeGreaterThan(1);
    expect(ratio).toBeLessThan(1.6);
  });

  it('forecasts day by day, filtered', async () => {
    const out = await ce.send(
      new GetCostForecastCommand({
        TimePeriod: { Start: '2025-11-24', End: '2025-12-08' },
        Granularity: 'DAILY',
        Metric: 'AMORTIZED_COST',
        Filter: { Dimensions: { Key: 'SERVICE', Values: ['Amazon Relational Database Service'] } },
      }),
    );
    expect(out.ForecastResultsByTime).toHaveLength(14);
    // Multi-AZ db.r6g.xlarge ($0.898/h) and its storage, and the staging database: steady.
    for (const r of out.ForecastResultsByTime!) {
      expect(num(r.MeanValue)).toBeGreaterThan(23);
      expect(num(r.MeanValue)).toBeLessThan(28);
    }
  });
});

describe('anomalies', () => {
  it('reports the forgotten dev instance and the hot-linked model with root causes and impact', async () => {
    const monitors = await ce.send(new GetAnomalyMonitorsCommand({}));
    expect(monitors.AnomalyMonitors).toEqual([
      expect.objectContaining({
        MonitorName: 'Default-Services-Monitor',
        MonitorType: 'DIMENSIONAL',
        MonitorDimension: 'SERVICE',
        LastEvaluatedDate: '2025-11-22',
      }),
    ]);
    const arn = monitors.AnomalyMonitors![0]!.MonitorArn!;
    const out = await ce.send(
      new GetAnomaliesCommand({ DateInterval: { StartDate: '2025-10-01' }, MonitorArn: arn }),
    );
    const byService = new Map(out.Anomalies!.map((a) => [a.DimensionValue, a]));
    const gpu = byService.get('Amazon Elastic Compute Cloud - Compute')!;
    expect(gpu.RootCauses).toEqual([
      expect.objectContaining({
        Service: 'Amazon Elastic Compute Cloud - Compute',
        Region: 'us-east-1',
        LinkedAccount: '123456789012',
        UsageType: 'BoxUsage:g5.12xlarge',
      }),
    ]);
    // Still running: the anomaly lasts to the last complete day.
    expect(gpu.AnomalyEndDate).toBe('2025-11-22T00:00:00Z');
    expect(gpu.Impact!.MaxImpact).toBeCloseTo(24 * 5.672, 1);
    const hotlink = byService.get('Amazon CloudFront')!;
    expect(hotlink.RootCauses![0]).toMatchObject({ UsageType: 'US-DataTransfer-Out-Bytes' });
    for (const a of [gpu, hotlink]) {
      const i = a.Impact!;
      expect(i.TotalImpact).toBeCloseTo(i.TotalActualSpend! - i.TotalExpectedSpend!, 1);
      expect(i.TotalImpactPercentage).toBeCloseTo(
        (100 * i.TotalImpact!) / i.TotalExpectedSpend!,
        0,
      );
      expect(a.AnomalyScore!.MaxScore).toBeGreaterThan(0.3);
      expect(a.MonitorArn).toBe(arn);
    }
    // Filters: by the end date's interval, and by total impact.
    const after = await ce.send(
      new GetAnomaliesCommand({
        DateInterval: { StartDate: hotlink.AnomalyEndDate!.slice(0, 10) },
        TotalImpact: { NumericOperator: 'GREATER_THAN', StartValue: 0 },
      }),
    );
    expect(after.Anomalies!.map((a) => a.DimensionValue).sort()).toEqual([
      'Amazon CloudFront',
      'Amazon Elastic Compute Cloud - Compute',
    ]);
    const big = await ce.send(
      new GetAnomaliesCommand({
        DateInterval: { StartDate: '2025-10-01' },
        TotalImpact: {
          NumericOperator: 'GREATER_THAN_OR_EQUAL',
          StartValue: Math.max(gpu.Impact!.TotalImpact!, hotlink.Impact!.TotalImpact!),
        },
      }),
    );
    expect(big.Anomalies).toHaveLength(1);
    const paged = await ce.send(
      new GetAnomaliesCommand({ DateInterval: { StartDate: '2025-10-01' }, MaxResults: 1 }),
    );
    expect(paged.Anomalies).toHaveLength(1);
    const rest = await ce.send(
      new GetAnomaliesCommand({
        DateInterval: { StartDate: '2025-10-01' },
        MaxResults: 1,
        NextPageToken: paged.NextPageToken,
      }),
    );
    expect(rest.Anomalies).toHaveLength(1);
    expect(rest.NextPageToken).toBeUndefined();
  });
});

describe('GetDimensionValues and GetTags', () => {
  it('lists the services, usage types and account with usage in the period', async () => {
    const values = async (Dimension: string, extra: object = {}) =>
      ce.send(
        new GetDimensionValuesCommand({
          TimePeriod: NOVEMBER,
          Dimension: Dimension as never,
          ...extra,
        }),
      );
    const services = await values('SERVICE');
    expect(services.DimensionValues!.map((v) => v.Value)).toEqual(
      expect.arrayContaining([
        'Amazon CloudFront',
        'EC2 - Other',
        'AmazonCloudWatch',
        'AWS Cost Explorer',
      ]),
    );
    expect(services).toMatchObject({ ReturnSize: services.DimensionValues!.length });
    const boxes = await values('USAGE_TYPE', { SearchString: 'boxusage' });
    expect(boxes.DimensionValues!.map((v) => v.Value)).toEqual(
      expect.arrayContaining(['BoxUsage:m6i.large', 'BoxUsage:g5.12xlarge']),
    );
    expect(boxes.DimensionValues!.every((v) => v.Value!.startsWith('BoxUsage:'))).toBe(true);
    expect((await values('LINKED_ACCOUNT')).DimensionValues).toEqual([
      { Value: '123456789012', Attributes: { description: '3d-store (production)' } },
    ]);
    const top = await values('SERVICE', {
      SortBy: [{ Key: 'UnblendedCost', SortOrder: 'DESCENDING' }],
      MaxResults: 2,
    });
    expect(top.DimensionValues!.map((v) => v.Value)).toEqual([
      'Amazon CloudFront',
      'Amazon Elastic Compute Cloud - Compute',
    ]);
  });

  it('lists the cost-allocation tag keys, and the values of one', async () => {
    const keys = await ce.send(new GetTagsCommand({ TimePeriod: NOVEMBER }));
    expect(keys.Tags).toEqual(['env', 'team', 'tier']);
    const env = await ce.send(new GetTagsCommand({ TimePeriod: NOVEMBER, TagKey: 'env' }));
    expect(env).toMatchObject({
      Tags: ['dev', 'production', 'staging'],
      ReturnSize: 3,
      TotalSize: 3,
    });
    const search = await ce.send(
      new GetTagsCommand({ TimePeriod: NOVEMBER, TagKey: 'team', SearchString: 'STORE' }),
    );
    expect(search.Tags).toEqual(['storefront']);
  });
});

describe('the bill of the calls made to the sandbox', () => {
  it('counts each Cost Explorer request and each GetMetricData metric, once refreshed', async () => {
    // Given a sandbox whose clock is just past midnight
    const own = await startTestSandbox({ backfillDays: 0.1, seed: 21 });
    try {
      const midnight = Date.parse('2025-11-24T00:00:00Z');
      own.setTime(midnight + 60_000);
      const client = costExplorer(own.url);
      const { cloudWatch } = awsClients(own.url);
      // When it answers 5 Cost Explorer requests and a GetMetricData of 3 metrics
      for (let i = 0; i < 5; i++)
        await client.send(
          new GetTagsCommand({ TimePeriod: { Start: '2025-11-01', End: '2025-11-02' } }),
        );
      await cloudWatch.send(
        new GetMetricDataCommand({
          StartTime: new Date(midnight - 3_600_000),
          EndTime: new Date(midnight),
          MetricDataQueries: ['CPUUtilization', 'NetworkIn', 'NetworkOut'].map((name, i) => ({
            Id: `m${i}`,
            MetricStat: {
              Metric: { Namespace: 'AWS/EC2', MetricName: name },
              Period: 60,
              Stat: 'Average',
            },
          })),
        }),
      );
      // Then after the 08:00 refresh, the day's lines have them on top of the other tools'
      own.setTime(midnight + 8 * 3_600_000 + 60_000);
      const quantity = async (usageType: string) => {
        const out = await client.send(
          new GetCostAndUsageCommand({
            TimePeriod: { Start: '2025-11-24', End: '2025-11-25' },
            Granularity: 'DAILY',
            Metrics: ['UsageQuantity', 'UnblendedCost'],
            Filter: { Dimensions: { Key: 'USAGE_TYPE', Values: [usageType] } },
          }),
        );
        return out.ResultsByTime![0]!.Total!;
      };
      // (The other tools make 4 Cost Explorer requests and read 57,600 metrics a day.)
      expect(await quantity('USE1-APIRequest')).toEqual({
        UsageQuantity: { Amount: amountOf(4 / 3 + 5), Unit: 'Requests' },
        UnblendedCost: { Amount: amountOf((4 / 3 + 5) * 0.01), Unit: 'USD' },
      });
      expect((await quantity('CW:GMD-Metrics')).UsageQuantity).toEqual({
        Amount: amountOf(19_200 + 3),
        Unit: 'Metrics',
      });
    } finally {
      await own.stop();
    }
  });
});

const amountOf = (n: number) => n.toFixed(10).replace(/\.?0+$/, '');
