// `ballast cost forecast | anomalies | movers | unit` against the sandbox: the contract's
// --json lines, their screens and CSV, and what each says when its source fails.
import { addDays, dayOf, monthOf } from '@ballast/core';
import { describe, expect, it } from 'vitest';
import type { JsonSuccess } from '../../base-command.js';
import { visibleWidth } from '../../output/text.js';
import { csvObjects } from '../../testing/csv.js';
import { parseEnvelope, runCommand } from '../../testing/harness.js';
import { setFaults, useSandboxContext } from '../../testing/sandbox.js';
import CostAnomalies, { type CostAnomaliesResult } from './anomalies.js';
import CostForecast, { type CostForecastResult } from './forecast.js';
import CostMovers, { type CostMoversResult } from './movers.js';
import CostUnit, { type CostUnitResult } from './unit.js';

const sandbox = useSandboxContext();
const today = () => dayOf(Date.now());

describe('cost forecast', () => {
  it('ballast cost forecast --json: the month, its forecast with its band, every budget, last month closed', async () => {
    const { stdout } = await runCommand(CostForecast, ['--json']);
    const envelope = parseEnvelope<CostForecastResult>(stdout) as JsonSuccess<CostForecastResult>;
    expect(envelope).toMatchObject({ status: 0, warnings: [] });
    const forecast = envelope.result;
    expect(forecast.month).toBe(monthOf(today()));
    expect(forecast.basis).toBe('cost-explorer');
    expect(forecast.monthEnd.lower).toBeLessThan(forecast.monthEnd.mean);
    expect(forecast.monthEnd.upper).toBeGreaterThan(forecast.monthEnd.mean);
    // The reference platform: a monthly budget and one per team.
    expect(forecast.budgets.map((b) => b.configPath)).toEqual([
      'spend.budgets.monthly',
      'spend.budgets.tags.team.storefront',
      'spend.budgets.tags.team.platform',
      'spend.budgets.tags.team.data',
      'spend.budgets.tags.team.ml',
    ]);
    for (const b of forecast.budgets) expect(['under', 'at-risk', 'over']).toContain(b.status);
    expect(forecast.previousMonth?.amount).toBeGreaterThan(0);
    expect(forecast.previousMonth?.budgets.map((b) => b.label)).toEqual(
      forecast.budgets.map((b) => b.label),
    );
  }, 60_000);

  it('shows the month (or that it has just begun), the forecast, the budgets and last month, fitting 80 columns', async () => {
    process.env.COLUMNS = '80';
    try {
      const { stdout, result } = await runCommand<CostForecastResult>(CostForecast, []);
      const begun = result?.monthToDate.compared.start === result?.monthToDate.compared.end;
      expect(stdout).toMatch(begun ? /^\w+ \d{4} has just begun$/m : /^\w+ \d{4} so far$/m);
      expect(stdout).toMatch(/Month-end forecast +\$[\d,]+ +80% interval \$[\d,]+ to \$[\d,]+;/);
      expect(stdout).toMatch(/^Budgets for \w+ \d{4}$/m);
      expect(stdout).toMatch(/^ {2}Monthly budget +\$50,000 +\$[\d,.]+ +\$[\d,]+ +(●|▲|✖) /m);
      expect(stdout).toMatch(/^\w+ \d{4} closed at \$[\d,]+ \((final|estimated.*)\)$/m);
      for (const line of stdout.trimEnd().split('\n'))
        expect(visibleWidth(line)).toBeLessThanOrEqual(80);
    } finally {
      delete process.env.COLUMNS;
    }
  }, 60_000);

  it('as CSV: one record per budget, this month and last', async () => {
    const { stdout } = await runCommand(CostForecast, ['--csv']);
    const records = csvObjects(stdout);
    expect(records).toHaveLength(10);
    expect(records[0]).toMatchObject({ budget: 'Monthly budget', budget_usd: '50000' });
    for (const r of records) expect(r.spent_usd).toMatch(/^\d+(\.\d+)?$/);
  }, 60_000);

  it('given GetCostForecast denied, then the run rate stands in, with a warning naming ce:GetCostForecast: exit 0', async () => {
    await setFaults(sandbox, [
      { service: 'ce', operation: 'GetCostForecast', kind: 'access-denied', rate: 1 },
    ]);
    const { result, error, stderr, stdout } = await runCommand<CostForecastResult>(
      CostForecast,
      [],
    );
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ basis: 'run-rate', monthEnd: { lower: null, upper: null } });
    expect(stdout.replace(/\s+/g, ' ')).toContain(
      "run rate of the last 7 days (Cost Explorer's forecast could not be read)",
    );
    const warning = stderr.replace(/\n {2,}/g, ' ');
    expect(warning).toContain(
      'the month-end forecast is the run rate of the last 7 days instead, without an interval.',
    );
    expect(warning).toContain('Grant ce:GetCostForecast to the IAM identity of your credentials.');
  }, 60_000);

  it('given Cost Explorer throttling and nothing stored, then exit 1 with what to do', async () => {
    await setFaults(sandbox, [{ service: 'ce', operation: '*', kind: 'throttle', rate: 1 }]);
    const { error } = await runCommand(CostForecast, []);
    expect(error).toMatchObject({ code: 'AwsThrottled', exitCode: 1 });
  }, 90_000);
});

describe('cost anomalies', () => {
  it('ballast cost anomalies --json: the planted anomalies with root cause, impact and dates, open first', async () => {
    const { stdout } = await runCommand(CostAnomalies, ['--json']);
    const { result } = parseEnvelope<CostAnomaliesResult>(
      stdout,
    ) as JsonSuccess<CostAnomaliesResult>;
    expect(result.anomalies.length).toBeGreaterThan(0);
    const forgotten = result.anomalies.find((a) =>
      a.rootCauses.some((c) => c.usageType === 'BoxUsage:g5.12xlarge'),
    );
    expect(forgotten).toMatchObject({
      open: true,
      dimensionValue: 'Amazon Elastic Compute Cloud - Compute',
      start: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      impact: { totalUsd: expect.any(Number) },
    });
    expect(forgotten?.impact.totalUsd).toBeGreaterThan(0);
    expect(result.anomalies[0]?.open).toBe(true);
    expect(result.open.count).toBeGreaterThan(0);
  }, 60_000);

  it('shows each with its badge, dates and root cause; --open keeps the open ones; CSV reads back', async () => {
    const { stdout } = await runCommand(CostAnomalies, []);
    expect(stdout).toMatch(/^✖ OPEN +Amazon Elastic Compute Cloud - Compute +\+\$[\d,]+$/m);
    expect(stdout).toMatch(/root cause: BoxUsage:g5\.12xlarge · us-east-1/);
    const open = await runCommand<CostAnomaliesResult>(CostAnomalies, ['--open']);
    expect(open.result?.anomalies.every((a) => a.open)).toBe(true);
    expect(open.stdout).not.toContain('CLOSED');
    const records = csvObjects((await runCommand(CostAnomalies, ['--csv'])).stdout);
    expect(records.find((r) => r.root_cause_usage_type === 'BoxUsage:g5.12xlarge')).toMatchObject({
      status: 'open',
      impact_usd: expect.stringMatching(/^\d+(\.\d+)?$/),
    });
  }, 60_000);

  it('given GetAnomalies denied and nothing stored, then it says it could not read them (exit 1), never "no anomalies"', async () => {
    await setFaults(sandbox, [
      { service: 'ce', operation: 'GetAnomalies', kind: 'access-denied', rate: 1 },
    ]);
    const { error, stdout } = await runCommand(CostAnomalies, []);
    expect(error).toMatchObject({ code: 'AwsAccessDenied', exitCode: 1 });
    expect(error?.actions).toContain(
      'Grant ce:GetAnomalies to the IAM identity of your credentials.',
    );
    expect(stdout).not.toContain('No anomalies');
  }, 60_000);
});

describe('cost movers', () => {
  it('ballast cost movers --json: the last 7 complete days against the 7 before, by service, team and usage type', async () => {
    const { stdout } = await runCommand(CostMovers, ['--json']);
    const { result } = parseEnvelope<CostMoversResult>(stdout) as JsonSuccess<CostMoversResult>;
    expect(result.byDimension.map((d) => d.dimension)).toEqual([
      'service',
      'tag:team',
      'usage-type',
    ]);
    const service = result.byDimension[0]!;
    expect(service.current).toEqual({ start: addDays(today(), -7), end: today() });
    expect(service.movers.length).toBeGreaterThan(0);
  }, 60_000);

  it('shows each dimension, and --limit with --csv gives at most that many a dimension', async () => {
    const { stdout } = await runCommand(CostMovers, []);
    expect(stdout).toMatch(/^By service$/m);
    expect(stdout).toMatch(/^By team \(tag\)$/m);
    expect(stdout).toMatch(/^By usage type$/m);
    const records = csvObjects((await runCommand(CostMovers, ['--limit', '2', '--csv'])).stdout);
    for (const dimension of ['service', 'tag:team', 'usage-type'])
      expect(records.filter((r) => r.dimension === dimension).length).toBeLessThanOrEqual(2);
    expect(records[0]?.week_start).toBe(addDays(today(), -7));
  }, 60_000);

  it('given GetCostAndUsage denied and nothing stored, then exit 1 naming ce:GetCostAndUsage', async () => {
    await setFaults(sandbox, [
      { service: 'ce', operation: 'GetCostAndUsage', kind: 'access-denied', rate: 1 },
    ]);
    const { error } = await runCommand(CostMovers, []);
    expect(error).toMatchObject({ code: 'AwsAccessDenied', exitCode: 1 });
    expect(error?.actions).toContain(
      'Grant ce:GetCostAndUsage to the IAM identity of your credentials.',
    );
  }, 60_000);
});

describe('cost unit', () => {
  it('ballast cost unit --json: the 30 complete days before today, each unit cost unknown where a driver is', async () => {
    const { stdout } = await runCommand(CostUnit, ['--json']);
    const { result } = parseEnvelope<CostUnitResult>(stdout) as JsonSuccess<CostUnitResult>;
    expect(result.range).toEqual({ start: addDays(today(), -30), end: today() });
    expect(result.days).toHaveLength(30);
    // The test sandbox simulates the last day only: earlier days have no business metrics.
    const known = result.days.filter((d) => d.orders !== null);
    expect(known.length).toBeGreaterThan(0);
    for (const d of known) expect(d.costPerOrder).toBeGreaterThan(0);
    for (const d of result.days.filter((x) => x.orders === null)) expect(d.costPerOrder).toBeNull();
  }, 60_000);

  it('shows the unit costs with sparklines and the last days; CSV reads back', async () => {
    const { stdout } = await runCommand(CostUnit, []);
    expect(stdout).toMatch(/^per order +\$[\d.]+ /m);
    expect(stdout).toMatch(/^per 1,000 model views /m);
    expect(stdout).toMatch(/^Last 7 days$/m);
    const records = csvObjects((await runCommand(CostUnit, ['--csv'])).stdout);
    expect(records).toHaveLength(30);
    expect(records.at(-1)?.day).toBe(addDays(today(), -1));
  }, 60_000);

  it('given the business metrics denied and nothing stored, then exit 1 naming cloudwatch:GetMetricData', async () => {
    await setFaults(sandbox, [
      { service: 'cloudwatch', operation: 'GetMetricData', kind: 'access-denied', rate: 1 },
    ]);
    const { error } = await runCommand(CostUnit, []);
    expect(error).toMatchObject({ code: 'AwsAccessDenied', exitCode: 1 });
    expect(error?.actions.join(' ')).toContain('cloudwatch:GetMetricData');
  }, 60_000);

  it('given a reversed range, then exit 2 naming --until', async () => {
    const { error } = await runCommand(CostUnit, [
      '--since',
      '2026-11-10',
      '--until',
      '2026-11-01',
    ]);
    expect(error).toMatchObject({ exitCode: 2 });
    expect(error?.message).toMatch(/^--until: /);
  });
});
