// The spend screens as pure functions of their data: what a founder reads, at 80 and 100
// columns, with or without color, and the CSV a spreadsheet reads back.
import type {
  AnomalyReport,
  CostTable,
  MeterReport,
  MoversReport,
  SpendFreshness,
  UnitCosts,
} from '@ballast/core';
import { describe, expect, it } from 'vitest';
import { createPalette } from '../output/style.js';
import { stripAnsi, visibleWidth } from '../output/text.js';
import { csvObjects } from '../testing/csv.js';
import { anomaliesCsv, renderAnomalies } from './anomalies-view.js';
import { costTableCsv, MAX_GROUP_ROWS, renderCostTable } from './cost-view.js';
import { closedMonth, forecastCsv, renderForecast, type ForecastView } from './forecast-view.js';
import { meterCsv, renderMeter } from './meter-view.js';
import { moversCsv, renderMovers } from './movers-view.js';
import { describeFreshness, staleWarning } from './spend-view.js';
import { renderUnitCosts, unitCostsCsv } from './unit-view.js';

const HOUR = 3_600_000;
/** Monday 1 December 2026, 01:30 UTC: the month has just begun. */
const FIRST = Date.UTC(2026, 11, 1, 1, 30);
/** Monday 14 December 2026, 12:00 UTC */
const MID = Date.UTC(2026, 11, 14, 12);
const plain = createPalette(false);
const color = createPalette(true);

const cached = (now: number, ageMs = 2 * HOUR, nextMs = 6 * HOUR): SpendFreshness => ({
  fetchedAt: now - ageMs,
  ageMs,
  fromCache: true,
  paidRequests: 0,
  paidUsd: 0,
  nextRefreshAt: now + nextMs,
});

const meter: MeterReport = {
  asOf: MID,
  today: { day: '2026-12-14', requests: 3, usd: 0.03 },
  month: { month: '2026-12', requests: 14, usd: 0.12004 },
  projectedMonthUsd: 0.31,
  projectionBasis:
    'this month so far, with today and the 17 day(s) after it at least the median of the last 7 complete day(s) ($0.01 a day)',
  lines: [
    {
      service: 'costexplorer',
      operation: 'GetCostAndUsage',
      today: { requests: 3, usd: 0.03 },
      month: { requests: 11, pages: 7, usd: 0.11, errors: 1 },
    },
    {
      service: 'cloudwatch',
      operation: 'GetMetricData',
      today: { requests: 0, usd: 0 },
      month: { requests: 3, pages: 0, usd: 0.00004, errors: 0 },
    },
  ],
};

const SERVICES = [
  ['Amazon CloudFront', 41_080.7],
  ['Amazon Elastic Compute Cloud - Compute', 1_970.28],
  ['EC2 - Other', 1_174.95],
  ['Amazon Relational Database Service', 791.11],
  ['Amazon ElastiCache', 412.5],
  ['Amazon DynamoDB', 120.04],
  ['Amazon Simple Storage Service', 98.3],
  ['AWS Lambda', 44.1],
  ['Amazon Simple Queue Service', 12.2],
  ['AmazonCloudWatch', 9.87],
  ['Amazon Route 53', 6.5],
  ['AWS Cost Explorer', 1.23],
  ['Amazon Virtual Private Cloud', 0.9],
  ['Elastic Load Balancing, "classic"', 0.4],
] as const;

/** By service, monthly: October and November closed, December open and not billed yet. */
function costTable(): CostTable {
  const groups = SERVICES.map(([name, total]) => ({
    id: name,
    keys: [name],
    label: name,
    total: total * 2,
    untagged: false,
  }));
  const amounts = Object.fromEntries(SERVICES.map(([name, total]) => [name, total]));
  const sum = SERVICES.reduce((s, [, t]) => s + t, 0);
  return {
    metric: 'UnblendedCost',
    unit: 'USD',
    granularity: 'monthly',
    groupBy: ['service'],
    range: { start: '2026-10-01', end: '2026-12-02' },
    covered: { start: '2026-10-01', end: '2026-12-02' },
    groups,
    periods: [
      { start: '2026-10-01', end: '2026-11-01', estimated: false, total: sum, amounts },
      { start: '2026-11-01', end: '2026-12-01', estimated: false, total: sum, amounts },
      { start: '2026-12-01', end: '2026-12-02', estimated: true, total: 0, amounts: {} },
    ],
    total: sum * 2,
    estimated: true,
    freshness: cached(FIRST),
  };
}

describe('renderCostTable', () => {
  const lines = renderCostTable(costTable(), { palette: plain, width: 100, now: FIRST, meter });
  const text = lines.join('\n');

  it('names what it shows: the grouping, the days, the granularity and the metric', () => {
    expect(lines[0]).toBe('Cost by service');
    expect(lines[1]).toBe('2026-10-01 to 2026-12-01 · monthly · UnblendedCost, USD');
  });

  it('lists the largest groups with their totals and shares, the rest summed, and the total', () => {
    expect(text).toMatch(/^█ {2}Amazon CloudFront +\$82,161 +90%$/m);
    expect(text).toMatch(/^▓ {2}Amazon Elastic Compute Cloud - Compute +\$3,941 +4\.3%$/m);
    expect(text).toMatch(/^· {2}2 more +\$2\.60 +<0\.1%$/m);
    expect(text).toMatch(/^ {3}Total +\$91,446 +100%$/m);
    expect(lines.filter((l) => /^[█▓▒░·] /.test(l))).toHaveLength(MAX_GROUP_ROWS + 1);
  });

  it('draws a bar per month, stacked by the four largest groups, the open month marked estimated', () => {
    const november = lines.find((l) => l.startsWith('2026-11')) ?? '';
    expect(november).toMatch(/^2026-11 {2}\$45,723 {2}█+▓+▒+░+·*$/);
    expect(lines.find((l) => l.startsWith('2026-12'))).toMatch(
      /^2026-12 ~ +\$0 {2}not billed yet$/,
    );
    expect(text).toContain('~ estimated: not final yet');
  });

  it('ends with where the data came from and what Ballast itself spends', () => {
    expect(text).toContain('From cache (no request), 2 h old, next refresh in 6 h.');
    expect(text).toContain(
      "Ballast's own AWS API calls this month: $0.12 (14 requests), projected $0.31 (ballast meter).",
    );
  });

  it.each([80, 100])('fits %i columns and cuts no group name', (width) => {
    const out = renderCostTable(costTable(), { palette: color, width, now: FIRST, meter });
    for (const line of out) expect(visibleWidth(line)).toBeLessThanOrEqual(width);
    const joined = out.map((l) => stripAnsi(l).trim()).join(' ');
    expect(joined).not.toContain('…');
    for (const [name] of SERVICES.slice(0, MAX_GROUP_ROWS))
      expect(joined.replace(/\s+/g, ' ')).toContain(name.split(' ')[0]);
  });

  it('colors only with a color palette', () => {
    expect(text).not.toContain('\u001b[');
    const colored = renderCostTable(costTable(), { palette: color, width: 100, now: FIRST });
    expect(colored.join('\n')).toContain('\u001b[');
    expect(colored.map(stripAnsi)).toEqual(
      renderCostTable(costTable(), { palette: plain, width: 100, now: FIRST }),
    );
  });

  it('given a grouping by tag, then the untagged share is said in words', () => {
    const table: CostTable = {
      ...costTable(),
      groupBy: ['tag:team'],
      untagged: { tagKey: 'team', amount: 3_106.72, share: 0.0062 },
    };
    expect(renderCostTable(table, { palette: plain, width: 100, now: FIRST }).join('\n')).toContain(
      '$3,107 (0.6%) of the spend carries no team tag, shown as (untagged).',
    );
  });
});

describe('costTableCsv', () => {
  it('reads back as one record per month and group: ISO dates, plain numbers, quoted names', () => {
    const csv = costTableCsv(costTable());
    expect(csv.startsWith('period_start,period_end,service,cost_usd,estimated\r\n')).toBe(true);
    const records = csvObjects(csv);
    expect(records).toHaveLength(2 * SERVICES.length);
    expect(records[0]).toEqual({
      period_start: '2026-10-01',
      period_end: '2026-10-31',
      service: 'Amazon CloudFront',
      cost_usd: '41080.7',
      estimated: 'false',
    });
    // A name with a comma and quotes survives the round trip.
    expect(records.map((r) => r.service)).toContain('Elastic Load Balancing, "classic"');
    expect(csv).toContain('"Elastic Load Balancing, ""classic"""');
    for (const r of records) {
      expect(r.cost_usd).toMatch(/^-?\d+(\.\d+)?$/);
      expect(r.period_start).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('given no grouping, then one record per period', () => {
    const table = { ...costTable(), groupBy: [] };
    expect(csvObjects(costTableCsv(table)).map((r) => r.period_start)).toEqual([
      '2026-10-01',
      '2026-11-01',
      '2026-12-01',
    ]);
  });
});

/** Budgets of the reference platform, against a December forecast of $51,681. */
function forecastView(now: number): ForecastView {
  const first = now === FIRST;
  const spent = first ? 0 : 20_123.4;
  const budget = (
    label: string,
    configPath: string,
    budgetUsd: number,
    forecastUsd: number,
    status: 'under' | 'at-risk' | 'over',
  ) => ({
    scope: { kind: 'total' as const },
    label,
    configPath,
    budgetUsd,
    actualUsd: first ? 0 : forecastUsd / 3,
    usedPct: first ? 0 : (forecastUsd / 3 / budgetUsd) * 100,
    forecastUsd,
    lowerUsd: forecastUsd * 0.87,
    upperUsd: forecastUsd * 1.13,
    status,
    overByUsd: forecastUsd - budgetUsd,
    exceeded: false,
    basis: 'cost-explorer' as const,
  });
  return {
    month: '2026-12',
    actual: {
      range: { start: '2026-12-01', end: first ? '2026-12-01' : '2026-12-14' },
      amount: spent,
    },
    forecast: null,
    monthEnd: { mean: 51_680.67, lower: 44_957.06, upper: 58_404.28, predictionIntervalLevel: 80 },
    basis: 'cost-explorer',
    monthToDate: {
      month: '2026-12',
      compared: { start: '2026-12-01', end: first ? '2026-12-01' : '2026-12-14' },
      amount: spent,
      previous: {
        month: '2026-11',
        range: { start: '2026-11-01', end: first ? '2026-11-01' : '2026-11-14' },
        amount: first ? 0 : 19_000,
      },
      changeUsd: first ? 0 : 1_123.4,
      changePct: first ? null : 5.91,
      amountWithToday: first ? 0 : 20_635.4,
    },
    budgets: [
      budget('Monthly budget', 'spend.budgets.monthly', 60_000, 51_680.67, 'under'),
      budget('team: storefront', 'spend.budgets.tags.team.storefront', 6_000, 45_704.24, 'over'),
      budget('team: ml', 'spend.budgets.tags.team.ml', 4_000, 3_904.01, 'at-risk'),
    ],
    freshness: cached(now),
    previousMonth: closedMonth({
      month: '2026-11',
      totals: { ...costTable(), groupBy: [], groups: [], total: 55_777.47, estimated: false },
      tagTables: new Map([
        [
          'team',
          {
            ...costTable(),
            groupBy: ['tag:team'],
            groups: [
              {
                id: 'storefront',
                keys: ['storefront'],
                label: 'storefront',
                total: 51_696.11,
                untagged: false,
              },
              {
                id: '(untagged)',
                keys: ['(untagged)'],
                label: '(untagged)',
                total: 279.67,
                untagged: true,
              },
            ],
          },
        ],
      ]),
      spend: {
        tagKeys: ['team'],
        budgets: { monthly: 60_000, tags: { team: { storefront: 6_000, ml: 1_500 } } },
      },
    }),
  };
}

describe('closedMonth', () => {
  it('judges each budget against what the month spent; a tag value without spend spent $0', () => {
    expect(forecastView(FIRST).previousMonth?.budgets).toEqual([
      {
        label: 'Monthly budget',
        configPath: 'spend.budgets.monthly',
        budgetUsd: 60_000,
        actualUsd: 55_777.47,
        usedPct: expect.closeTo(92.96, 2),
        exceeded: false,
        overByUsd: -4_222.53,
      },
      expect.objectContaining({ label: 'team: storefront', exceeded: true, overByUsd: 45_696.11 }),
      expect.objectContaining({ label: 'team: ml', actualUsd: 0, exceeded: false }),
    ]);
  });
});

describe('renderForecast', () => {
  it('given the first of the month, then it says the month just began and leads with last month closed, never a bare $0 to compare', () => {
    const lines = renderForecast(forecastView(FIRST), { palette: plain, width: 100, now: FIRST });
    const text = lines.join('\n');
    expect(lines[0]).toBe('December 2026 has just begun');
    expect(text).toContain('No complete day of December is billed yet');
    expect(text).not.toContain('Month to date');
    expect(text).toMatch(/Today so far +\$0 +not billed yet/);
    expect(text).toMatch(
      /Month-end forecast +\$51,681 +80% interval \$44,957 to \$58,404; Cost Explorer's forecast/,
    );
    // Last month before this month's budgets.
    expect(text.indexOf('November 2026 closed at $55,777 (final)')).toBeGreaterThan(0);
    expect(text.indexOf('November 2026 closed')).toBeLessThan(text.indexOf('Budgets for December'));
    expect(text).toMatch(/Monthly budget +\$60,000 +\$55,777 +93% +● UNDER, \$4,223 to spare/);
    expect(text).toMatch(/team: storefront +\$6,000 +\$51,696 +862% +✖ OVER by \$45,696/);
  });

  it('given the middle of the month, then month to date against the same days of last month, today so far, and the forecast', () => {
    const text = renderForecast(forecastView(MID), { palette: plain, width: 100, now: MID }).join(
      '\n',
    );
    expect(text).toMatch(/^December 2026 so far$/m);
    expect(text).toMatch(/Month to date +\$20,123 +2026-12-01 to 2026-12-13, 13 complete days/);
    expect(text).toMatch(/Same days of November +\$19,000 +\+\$1,123 \(\+5\.9%\) this month/);
    expect(text).toMatch(/Today so far +\$512 +estimated/);
    expect(text).toMatch(/Monthly budget +\$60,000 +\$17,227 +\$51,681 +● UNDER, \$8,319 to spare/);
    expect(text).toMatch(/team: storefront +\$6,000 +\$15,235 +\$45,704 +✖ OVER by \$39,704/);
    expect(text).toMatch(/team: ml +\$4,000 +\$1,301 +\$3,904 +▲ AT RISK, up to \$412 over/);
    // Last month after this month's budgets.
    expect(text.indexOf('November 2026 closed')).toBeGreaterThan(text.indexOf('Budgets for'));
  });

  it.each([80, 100])('fits %i columns', (width) => {
    for (const now of [FIRST, MID])
      for (const line of renderForecast(forecastView(now), { palette: color, width, now, meter }))
        expect(visibleWidth(line)).toBeLessThanOrEqual(width);
  });

  it('as CSV: one record per budget, this month with its forecast, last month as spent', () => {
    const records = csvObjects(forecastCsv(forecastView(FIRST)));
    expect(records[0]).toEqual({
      month: '2026-12',
      budget: 'Monthly budget',
      config_path: 'spend.budgets.monthly',
      budget_usd: '60000',
      spent_usd: '0',
      forecast_usd: '51680.67',
      forecast_lower_usd: '44962.1829',
      forecast_upper_usd: '58399.1571',
      status: 'under',
    });
    expect(records.filter((r) => r.month === '2026-11').map((r) => [r.budget, r.status])).toEqual([
      ['Monthly budget', 'under'],
      ['team: storefront', 'over'],
      ['team: ml', 'under'],
    ]);
  });
});

const anomalies: AnomalyReport = {
  range: { start: '2025-12-01', end: '2026-12-02' },
  anomalies: [
    {
      id: 'b7e9',
      start: '2026-11-16',
      end: '2026-11-30',
      monitorArn: 'arn:aws:ce::123456789012:anomalymonitor/services',
      dimensionValue: 'Amazon Elastic Compute Cloud - Compute',
      rootCauses: [
        {
          service: 'Amazon Elastic Compute Cloud - Compute',
          region: 'us-east-1',
          linkedAccount: '123456789012',
          linkedAccountName: '3d-store (production)',
          usageType: 'BoxUsage:g5.12xlarge',
          contributionUsd: 1_951.17,
        },
      ],
      impact: {
        totalUsd: 1_951.17,
        maxUsd: 136.13,
        actualUsd: 2_449.97,
        expectedUsd: 498.8,
        percent: 391.17,
      },
      score: { max: 0.99, current: 0.99 },
      open: true,
    },
    {
      id: 'a2bd',
      start: '2026-11-24',
      end: '2026-11-25',
      monitorArn: 'arn:aws:ce::123456789012:anomalymonitor/services',
      dimensionValue: 'Amazon CloudFront',
      rootCauses: [
        {
          service: 'Amazon CloudFront',
          region: 'global',
          usageType: 'US-DataTransfer-Out-Bytes',
          contributionUsd: 1_659.09,
        },
      ],
      impact: {
        totalUsd: 1_659.09,
        maxUsd: 888.97,
        actualUsd: 4_101.03,
        expectedUsd: 2_441.93,
        percent: 67.94,
      },
      score: { max: 0.59, current: 0.59 },
      open: false,
    },
  ],
  open: { count: 1, impactUsd: 1_951.17 },
  past: { count: 1, impactUsd: 1_659.09 },
  monitors: null,
  freshness: cached(FIRST, 20 * 60_000, 24 * HOUR),
};

describe('renderAnomalies', () => {
  const lines = renderAnomalies(anomalies, { palette: plain, width: 80, now: FIRST });
  const text = lines.join('\n');
  /** The text with its wrapping undone. */
  const flat = lines.map((l) => l.trim()).join(' ');

  it('shows open ones first with what they hit, dates, impact against expected and root cause', () => {
    expect(text).toContain('1 open: $1,951 more than expected · 1 closed: $1,659');
    expect(text).toMatch(/^✖ OPEN {4}Amazon Elastic Compute Cloud - Compute +\+\$1,951$/m);
    expect(flat).toContain(
      '2026-11-16 to 2026-11-30, 15 days, still seen · $2,450 spent against $499 expected (+391%), at most $136 over in a day',
    );
    // The service is the anomaly's name: not said again in its root cause.
    expect(flat).toContain(
      'root cause: BoxUsage:g5.12xlarge · us-east-1 · account 3d-store (production) · $1,951',
    );
    expect(text).toMatch(/^● CLOSED {2}Amazon CloudFront +\+\$1,659$/m);
    expect(text.indexOf('OPEN')).toBeLessThan(text.indexOf('CLOSED'));
    expect(text).toContain('From cache (no request), 20 min old, next refresh in 24 h.');
  });

  it.each([
    [0, 'No anomaly monitor is set up, so nothing is watched'],
    [2, 'No anomalies in this range (2 monitors watching).'],
  ])('given none found and %i monitors, then it says which', (monitors, says) => {
    const empty = { ...anomalies, anomalies: [], open: { count: 0, impactUsd: 0 }, monitors };
    expect(renderAnomalies(empty, { palette: plain, width: 100, now: FIRST }).join(' ')).toContain(
      says,
    );
  });

  it('fits 80 columns', () => {
    for (const line of renderAnomalies(anomalies, { palette: color, width: 80, now: FIRST, meter }))
      expect(visibleWidth(line)).toBeLessThanOrEqual(80);
  });

  it('as CSV: one record per anomaly, its largest root cause in columns', () => {
    const records = csvObjects(anomaliesCsv(anomalies));
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      id: 'b7e9',
      status: 'open',
      start: '2026-11-16',
      end: '2026-11-30',
      impact_usd: '1951.17',
      impact_pct: '391.17',
      root_cause_usage_type: 'BoxUsage:g5.12xlarge',
      root_cause_account: '3d-store (production)',
      other_root_causes: '0',
    });
    expect(records[1]?.root_cause_account).toBe('');
  });
});

const movers: MoversReport = {
  byDimension: [
    {
      dimension: 'service',
      current: { start: '2026-11-24', end: '2026-12-01' },
      previous: { start: '2026-11-17', end: '2026-11-24' },
      floorUsd: 63.69,
      movers: [
        {
          key: 'Amazon CloudFront',
          label: 'Amazon CloudFront',
          current: 12_879.05,
          previous: 8_528.13,
          changeUsd: 4_350.92,
          changePct: 51.02,
        },
        {
          key: 'Amazon Elastic Compute Cloud - Compute',
          label: 'Amazon Elastic Compute Cloud - Compute',
          current: 1_218.38,
          previous: 1_156.71,
          changeUsd: 61.67,
          changePct: 5.33,
        },
        {
          key: 'AWS Lambda',
          label: 'AWS Lambda',
          current: 80,
          previous: 120,
          changeUsd: -40,
          changePct: -33.3,
        },
      ],
    },
    {
      dimension: 'tag:team',
      current: { start: '2026-11-24', end: '2026-12-01' },
      previous: { start: '2026-11-17', end: '2026-11-24' },
      floorUsd: 63.69,
      movers: [
        {
          key: 'ml',
          label: 'ml',
          current: 952.35,
          previous: 0,
          changeUsd: 952.35,
          changePct: null,
        },
      ],
    },
  ],
  unavailable: [
    {
      dimension: 'usage-type',
      error: {
        kind: 'access-denied',
        message: 'Access denied to ce:GetCostAndUsage',
        iamAction: 'ce:GetCostAndUsage',
      },
    },
  ],
  freshness: { ...cached(FIRST), nextRefreshAt: null },
};

describe('renderMovers', () => {
  const lines = renderMovers(movers, { palette: plain, width: 80, now: FIRST });
  const text = lines.join('\n');

  it('shows each dimension, largest change first, up and down, new spend as new', () => {
    expect(text).toContain('2026-11-24 to 2026-11-30 against 2026-11-17 to 2026-11-23');
    expect(text).toMatch(/▲ {2}Amazon CloudFront +\$12,879 +\$8,528 +\+\$4,351 +\+51%/);
    expect(text).toMatch(/▼ {2}AWS Lambda +\$80\.00 +\$120 +-\$40\.00 +-33%/);
    expect(text).toMatch(/By team \(tag\)\n.*\n {2}▲ {2}ml +\$952 +\$0 +\+\$952 +new/);
    expect(lines.map((l) => l.trim()).join(' ')).toContain(
      'By usage type: not available (access denied: Access denied to ce:GetCostAndUsage).',
    );
    expect(text).toContain(
      'From cache (no request), 2 h old, final: closed months are never read again.',
    );
  });

  it('fits 80 columns and wraps long names instead of cutting them', () => {
    const lines = renderMovers(movers, { palette: color, width: 80, now: FIRST, meter });
    for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(80);
    expect(lines.join('\n')).not.toContain('…');
  });

  it('as CSV: one record per mover with both weeks', () => {
    const records = csvObjects(moversCsv(movers));
    expect(records).toHaveLength(4);
    expect(records[3]).toEqual({
      dimension: 'tag:team',
      key: 'ml',
      week_start: '2026-11-24',
      week_end: '2026-11-30',
      week_usd: '952.35',
      week_before_start: '2026-11-17',
      week_before_end: '2026-11-23',
      week_before_usd: '0',
      change_usd: '952.35',
      change_pct: '',
    });
  });
});

function unitCosts(): UnitCosts {
  const days = Array.from({ length: 30 }, (_, i) => {
    const day = `2026-11-${String(i + 1).padStart(2, '0')}`;
    const cost = 1_300 + i * 10;
    const orders = i === 26 ? null : 6_000 + i * 10;
    return {
      day,
      costUsd: cost,
      estimated: false,
      orders,
      revenueUsd: 240_000,
      modelViews: 2_000_000,
      modelGb: 33_000,
      costPerOrder: orders === null ? null : cost / orders,
      costPer1000Views: (cost / 2_000_000) * 1000,
      costPerGb: cost / 33_000,
      costPerRevenueUsd: cost / 240_000,
    };
  });
  return {
    range: { start: '2026-11-01', end: '2026-12-01' },
    days,
    overall: {
      costPerOrder: 0.2281,
      costPer1000Views: 0.7,
      costPerGb: 0.0424,
      costPerRevenueUsd: 0.00583,
    },
    metrics: [],
    metricsSource: { source: 'business-metrics', ok: true, fetchedAt: FIRST },
    freshness: { ...cached(FIRST), nextRefreshAt: null },
  };
}

describe('renderUnitCosts', () => {
  const text = renderUnitCosts(unitCosts(), { palette: plain, width: 100, now: FIRST }).join('\n');

  it('gives each unit cost over the range, a sparkline by day and its low and high', () => {
    expect(text).toMatch(/per order +\$0\.23 +▁[▁▂▃▄▅▆▇█ ]{28}█ +\$0\.22 to \$0\.25/);
    expect(text).toMatch(/per 1,000 model views +\$0\.70 +▁[▁▂▃▄▅▆▇█]{28}█ +\$0\.65 to \$0\.80/);
    expect(text).toMatch(/per GB of models delivered +\$0\.04/);
    expect(text).toMatch(/per dollar of revenue +\$0\.0058/);
  });

  it('lists the last 7 days; an unknown driver is —, never $0', () => {
    expect(text).toContain('Last 7 days');
    expect(text).toMatch(/^2026-11-27 +\$1,560 +— +— +2M +\$0\.78 +33K +\$0\.05$/m);
    expect(text).not.toContain('2026-11-23');
    expect(text).toContain('Every day: --json or --csv.');
  });

  it('given business metrics that could not be read, then it says so', () => {
    const units = {
      ...unitCosts(),
      metricsSource: {
        source: 'business-metrics',
        ok: false,
        error: {
          kind: 'access-denied' as const,
          message: 'not authorized to perform cloudwatch:GetMetricData',
        },
      },
    };
    expect(renderUnitCosts(units, { palette: plain, width: 100, now: FIRST }).join(' ')).toContain(
      'Business metrics: access denied — not authorized to perform cloudwatch:GetMetricData.',
    );
  });

  it('fits 80 columns', () => {
    for (const line of renderUnitCosts(unitCosts(), {
      palette: color,
      width: 80,
      now: FIRST,
      meter,
    }))
      expect(visibleWidth(line)).toBeLessThanOrEqual(80);
  });

  it('as CSV: one record per day, unknown values empty', () => {
    const records = csvObjects(unitCostsCsv(unitCosts()));
    expect(records).toHaveLength(30);
    expect(records[26]).toMatchObject({
      day: '2026-11-27',
      orders: '',
      cost_per_order_usd: '',
      cost_usd: '1560',
    });
    expect(records[0]?.cost_per_order_usd).toBe('0.216667');
  });
});

describe('renderMeter', () => {
  const text = renderMeter(meter, { palette: plain, width: 80, context: 'sandbox' }).join('\n');

  it('lists each service and operation today and this month, with totals and the projection', () => {
    expect(text).toMatch(/Cost Explorer +GetCostAndUsage +3 +\$0\.03 +11 +7 +1 +\$0\.11/);
    expect(text).toMatch(/CloudWatch +GetMetricData +0 +\$0 +3 +0 +0 +\$0\.00004/);
    expect(text).toMatch(/Total +3 +\$0\.03 +14 +\$0\.12/);
    expect(text).toContain('Projected for December 2026: $0.31');
  });

  it('fits 80 columns', () => {
    for (const line of renderMeter(meter, { palette: color, width: 80, context: 'sandbox' }))
      expect(visibleWidth(line)).toBeLessThanOrEqual(80);
  });

  it('as CSV: plain numbers, the day and month as ISO dates', () => {
    expect(csvObjects(meterCsv(meter))[1]).toEqual({
      service: 'cloudwatch',
      operation: 'GetMetricData',
      today: '2026-12-14',
      today_requests: '0',
      today_usd: '0',
      month: '2026-12',
      month_requests: '3',
      month_pages: '0',
      month_failed: '0',
      month_usd: '0.00004',
    });
  });
});

describe('describeFreshness and staleWarning', () => {
  const now = MID;
  it.each([
    [cached(now), 'From cache (no request), 2 h old, next refresh in 6 h.'],
    [
      { ...cached(now, 10_000), nextRefreshAt: null },
      'From cache (no request), just read, final: closed months are never read again.',
    ],
    [
      { ...cached(now, 0, 8 * HOUR), fromCache: false, paidRequests: 3, paidUsd: 0.03 },
      'Read from Cost Explorer: 3 requests, $0.03; next refresh in 8 h.',
    ],
    [
      { ...cached(now, 3 * HOUR, 5 * HOUR), fromCache: false, paidRequests: 1, paidUsd: 0.01 },
      'Read from Cost Explorer: 1 request, $0.01; the rest from cache, 3 h old; next refresh in 5 h.',
    ],
    [
      { ...cached(now), error: { kind: 'throttled' as const, message: 'Rate exceeded' } },
      'From cache, 2 h old; reading Cost Explorer again failed (throttled by AWS): see the warning.',
    ],
  ])('given %j, then "%s"', (freshness, says) => {
    expect(describeFreshness(freshness, now)).toBe(says);
  });

  it('says what failed and how old the stored data shown instead is', () => {
    expect(staleWarning(cached(now), now)).toBeUndefined();
    expect(
      staleWarning(
        {
          ...cached(now),
          error: { kind: 'unreachable', message: 'Cannot reach http://127.0.0.1:9' },
        },
        now,
      ),
    ).toBe(
      'Cost Explorer could not be read (endpoint unreachable: Cannot reach http://127.0.0.1:9); showing what was stored 2 h ago (2026-12-14 10:00:00 UTC).',
    );
  });
});
