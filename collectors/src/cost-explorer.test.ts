import {
  CostExplorerClient,
  CostExplorerServiceException,
  GetAnomaliesCommand,
  GetAnomalyMonitorsCommand,
  GetCostAndUsageCommand,
  GetCostForecastCommand,
} from '@aws-sdk/client-cost-explorer';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CostExplorerCollector } from './cost-explorer.js';

const ce = mockClient(CostExplorerClient);
// Should a mock ever miss, the request goes to a closed loopback port, never to AWS.
const client = new CostExplorerClient({
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

beforeEach(() => ce.reset());

const usd = (amount: string) => ({ UnblendedCost: { Amount: amount, Unit: 'USD' } });
const query = {
  start: '2025-11-19',
  end: '2025-11-21',
  granularity: 'DAILY' as const,
  groupBy: ['SERVICE', 'TAG:team'],
  metrics: ['UnblendedCost'],
};

describe('CostExplorerCollector.getCostAndUsage', () => {
  it('given two pages, the second continuing the first page’s last day, then one answer with each day’s groups merged', async () => {
    ce.on(GetCostAndUsageCommand)
      .resolvesOnce({
        GroupDefinitions: [
          { Type: 'DIMENSION', Key: 'SERVICE' },
          { Type: 'TAG', Key: 'team' },
        ],
        ResultsByTime: [
          {
            TimePeriod: { Start: '2025-11-19', End: '2025-11-20' },
            Total: {},
            Groups: [{ Keys: ['Amazon CloudFront', 'team$storefront'], Metrics: usd('50.1') }],
            Estimated: true,
          },
          {
            TimePeriod: { Start: '2025-11-20', End: '2025-11-21' },
            Total: {},
            Groups: [{ Keys: ['Amazon CloudFront', 'team$storefront'], Metrics: usd('12.5') }],
            Estimated: true,
          },
        ],
        NextPageToken: 'page-2',
      })
      .resolvesOnce({
        ResultsByTime: [
          {
            TimePeriod: { Start: '2025-11-20', End: '2025-11-21' },
            Total: {},
            Groups: [{ Keys: ['Amazon Simple Storage Service', 'team$'], Metrics: usd('5') }],
            Estimated: true,
          },
        ],
      });
    let paid = 0;

    const answer = await new CostExplorerCollector(client, {
      onPaidRequest: () => paid++,
    }).getCostAndUsage(query);

    expect(ce.commandCalls(GetCostAndUsageCommand).map((c) => c.args[0].input)).toEqual([
      {
        TimePeriod: { Start: '2025-11-19', End: '2025-11-21' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: [
          { Type: 'DIMENSION', Key: 'SERVICE' },
          { Type: 'TAG', Key: 'team' },
        ],
      },
      {
        TimePeriod: { Start: '2025-11-19', End: '2025-11-21' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: [
          { Type: 'DIMENSION', Key: 'SERVICE' },
          { Type: 'TAG', Key: 'team' },
        ],
        NextPageToken: 'page-2',
      },
    ]);
    expect(paid).toBe(2);
    expect(answer).toEqual({
      granularity: 'DAILY',
      groupBy: ['SERVICE', 'TAG:team'],
      metrics: ['UnblendedCost'],
      periods: [
        {
          start: '2025-11-19',
          end: '2025-11-20',
          estimated: true,
          total: {},
          groups: [
            {
              keys: ['Amazon CloudFront', 'team$storefront'],
              metrics: { UnblendedCost: { amount: 50.1, unit: 'USD' } },
            },
          ],
        },
        {
          start: '2025-11-20',
          end: '2025-11-21',
          estimated: true,
          total: {},
          groups: [
            {
              keys: ['Amazon CloudFront', 'team$storefront'],
              metrics: { UnblendedCost: { amount: 12.5, unit: 'USD' } },
            },
            {
              keys: ['Amazon Simple Storage Service', 'team$'],
              metrics: { UnblendedCost: { amount: 5, unit: 'USD' } },
            },
          ],
        },
      ],
    });
  });

  it('given no GroupBy, then the amounts come from Total, and no GroupBy is sent', async () => {
    ce.on(GetCostAndUsageCommand).resolves({
      ResultsByTime: [
        {
          TimePeriod: { Start: '2025-10-01', End: '2025-11-01' },
          Total: usd('1519.56'),
          Groups: [],
          Estimated: false,
        },
      ],
    });
    const answer = await new CostExplorerCollector(client).getCostAndUsage({
      ...query,
      start: '2025-10-01',
      end: '2025-11-01',
      granularity: 'MONTHLY',
      groupBy: [],
    });
    expect(ce.commandCalls(GetCostAndUsageCommand)[0]?.args[0].input).not.toHaveProperty('GroupBy');
    expect(answer.periods).toEqual([
      {
        start: '2025-10-01',
        end: '2025-11-01',
        estimated: false,
        total: { UnblendedCost: { amount: 1519.56, unit: 'USD' } },
        groups: [],
      },
    ]);
  });

  it('given the data changed between pages, then the query starts again without a token, once', async () => {
    const changed = new CostExplorerServiceException({
      name: 'RequestChangedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: 'Your request parameters changed between pages',
    });
    const page = {
      ResultsByTime: [
        {
          TimePeriod: { Start: '2025-11-19', End: '2025-11-20' },
          Total: {},
          Groups: [],
          Estimated: true,
        },
      ],
    };
    ce.on(GetCostAndUsageCommand)
      .resolvesOnce({ ...page, NextPageToken: 'p2' })
      .rejectsOnce(changed)
      .resolvesOnce(page);

    const answer = await new CostExplorerCollector(client).getCostAndUsage(query);

    expect(
      ce.commandCalls(GetCostAndUsageCommand).map((c) => c.args[0].input.NextPageToken),
    ).toEqual([undefined, 'p2', undefined]);
    expect(answer.periods).toHaveLength(1);
  });

  it('given an amount that is not a number, then the answer is refused rather than shown as a cost', async () => {
    ce.on(GetCostAndUsageCommand).resolves({
      ResultsByTime: [
        {
          TimePeriod: { Start: '2025-11-19', End: '2025-11-20' },
          Total: {},
          Groups: [{ Keys: ['Amazon S3', 'team$'], Metrics: usd('n/a') }],
          Estimated: true,
        },
      ],
    });
    await expect(new CostExplorerCollector(client).getCostAndUsage(query)).rejects.toThrow();
  });
});

describe('CostExplorerCollector.getCostForecast', () => {
  it('given the rest of the month, then its mean and the 80% interval, metric in capitals', async () => {
    ce.on(GetCostForecastCommand).resolves({
      Total: { Amount: '4210.5', Unit: 'USD' },
      ForecastResultsByTime: [
        {
          TimePeriod: { Start: '2025-11-20', End: '2025-12-01' },
          MeanValue: '4210.5',
          PredictionIntervalLowerBound: '3900.25',
          PredictionIntervalUpperBound: '4602',
        },
      ],
    });
    const forecast = await new CostExplorerCollector(client).getCostForecast({
      start: '2025-11-20',
      end: '2025-12-01',
      metric: 'UnblendedCost',
    });
    expect(ce.commandCalls(GetCostForecastCommand)[0]?.args[0].input).toEqual({
      TimePeriod: { Start: '2025-11-20', End: '2025-12-01' },
      Metric: 'UNBLENDED_COST',
      Granularity: 'MONTHLY',
      PredictionIntervalLevel: 80,
    });
    expect(forecast).toEqual({
      metric: 'UnblendedCost',
      start: '2025-11-20',
      end: '2025-12-01',
      mean: 4210.5,
      lower: 3900.25,
      upper: 4602,
      predictionIntervalLevel: 80,
      unit: 'USD',
    });
  });

  it('given no interval in the answer, then the bounds are unknown (null), not zero', async () => {
    ce.on(GetCostForecastCommand).resolves({
      Total: { Amount: '100', Unit: 'USD' },
      ForecastResultsByTime: [{ MeanValue: '100' }],
    });
    const forecast = await new CostExplorerCollector(client).getCostForecast({
      start: '2025-11-20',
      end: '2025-12-01',
      metric: 'AmortizedCost',
    });
    expect([forecast.lower, forecast.upper]).toEqual([null, null]);
    expect(ce.commandCalls(GetCostForecastCommand)[0]?.args[0].input.Metric).toBe('AMORTIZED_COST');
  });
});

describe('CostExplorerCollector anomalies', () => {
  it('given anomalies on two pages, then every one, with root causes and impact', async () => {
    ce.on(GetAnomaliesCommand)
      .resolvesOnce({
        Anomalies: [
          {
            AnomalyId: 'a1',
            AnomalyStartDate: '2025-11-10T00:00:00Z',
            AnomalyEndDate: '2025-11-12T00:00:00Z',
            DimensionValue: 'Amazon CloudFront',
            MonitorArn: 'arn:aws:ce::1:anomalymonitor/m',
            RootCauses: [
              {
                Service: 'Amazon CloudFront',
                Region: 'global',
                LinkedAccountName: 'store-prod',
                UsageType: 'US-DataTransfer-Out-Bytes',
                Impact: { Contribution: 812.4 },
              },
            ],
            AnomalyScore: { MaxScore: 0.97, CurrentScore: 0.2 },
            Impact: {
              MaxImpact: 400,
              TotalImpact: 812.4,
              TotalActualSpend: 1412.4,
              TotalExpectedSpend: 600,
              TotalImpactPercentage: 135.4,
            },
            Feedback: 'YES',
          },
        ],
        NextPageToken: 'n2',
      })
      .resolvesOnce({
        Anomalies: [
          {
            AnomalyId: 'a2',
            MonitorArn: 'arn:aws:ce::1:anomalymonitor/m',
            AnomalyScore: { MaxScore: 0.5, CurrentScore: 0.5 },
            Impact: { MaxImpact: 20 },
          },
        ],
      });

    const anomalies = await new CostExplorerCollector(client).getAnomalies({
      start: '2025-08-22',
      end: '2025-11-20',
    });

    expect(ce.commandCalls(GetAnomaliesCommand).map((c) => c.args[0].input)).toEqual([
      { DateInterval: { StartDate: '2025-08-22', EndDate: '2025-11-20' }, MaxResults: 100 },
      {
        DateInterval: { StartDate: '2025-08-22', EndDate: '2025-11-20' },
        MaxResults: 100,
        NextPageToken: 'n2',
      },
    ]);
    expect(anomalies).toEqual([
      {
        id: 'a1',
        start: '2025-11-10',
        end: '2025-11-12',
        monitorArn: 'arn:aws:ce::1:anomalymonitor/m',
        dimensionValue: 'Amazon CloudFront',
        rootCauses: [
          {
            service: 'Amazon CloudFront',
            region: 'global',
            linkedAccountName: 'store-prod',
            usageType: 'US-DataTransfer-Out-Bytes',
            contributionUsd: 812.4,
          },
        ],
        impact: {
          totalUsd: 812.4,
          maxUsd: 400,
          actualUsd: 1412.4,
          expectedUsd: 600,
          percent: 135.4,
        },
        score: { max: 0.97, current: 0.2 },
        feedback: 'YES',
      },
      {
        id: 'a2',
        start: null,
        end: null,
        monitorArn: 'arn:aws:ce::1:anomalymonitor/m',
        rootCauses: [],
        // no TotalImpact: the one day's impact is all there is
        impact: { totalUsd: 20, maxUsd: 20, actualUsd: null, expectedUsd: null, percent: null },
        score: { max: 0.5, current: 0.5 },
      },
    ]);
  });

  it('given monitors on two pages, then they are all counted', async () => {
    ce.on(GetAnomalyMonitorsCommand)
      .resolvesOnce({
        AnomalyMonitors: [{ MonitorName: 'services', MonitorType: 'DIMENSIONAL' }],
        NextPageToken: 'n2',
      })
      .resolvesOnce({
        AnomalyMonitors: [{ MonitorName: 'teams', MonitorType: 'CUSTOM' }],
      });
    expect(await new CostExplorerCollector(client).countAnomalyMonitors()).toBe(2);
  });
});
