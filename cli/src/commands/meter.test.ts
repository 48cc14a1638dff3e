// `ballast meter`: Ballast's own AWS bill from the call ledger, after the reads it made.
import { dayOf, monthOf } from '@ballast/core';
import { describe, expect, it } from 'vitest';
import type { JsonSuccess } from '../base-command.js';
import { csvObjects } from '../testing/csv.js';
import { parseEnvelope, runCommand } from '../testing/harness.js';
import { useSandboxContext } from '../testing/sandbox.js';
import CostForecast from './cost/forecast.js';
import Meter, { type MeterResult } from './meter.js';

useSandboxContext();

describe('meter', () => {
  it('given nothing read yet, then no calls, and nothing projected', async () => {
    const { result, stdout, error } = await runCommand<MeterResult>(Meter, []);
    expect(error).toBeUndefined();
    expect(result?.lines).toEqual([]);
    expect(stdout).toContain('No AWS API calls for context sandbox this month.');
    expect(stdout).toContain('Projected for');
  });

  it('ballast meter --json: each Cost Explorer request of the forecast, priced at $0.01, today and this month', async () => {
    const forecast = await runCommand<{ freshness: { paidRequests: number } }>(CostForecast, []);
    const paid = forecast.result?.freshness.paidRequests ?? 0;
    expect(paid).toBeGreaterThan(0);
    const { stdout } = await runCommand(Meter, ['--json']);
    const { result } = parseEnvelope<MeterResult>(stdout) as JsonSuccess<MeterResult>;
    expect(result.today.day).toBe(dayOf(Date.now()));
    expect(result.month.month).toBe(monthOf(dayOf(Date.now())));
    const ce = result.lines.filter((l) => l.service === 'costexplorer');
    expect(ce.map((l) => l.operation).sort()).toEqual(['GetCostAndUsage', 'GetCostForecast']);
    const requests = ce.reduce((n, l) => n + l.today.requests, 0);
    expect(requests).toBe(paid);
    for (const l of ce) expect(l.month.usd).toBeCloseTo(l.month.requests * 0.01, 6);
    expect(result.projectedMonthUsd).toBeGreaterThanOrEqual(result.month.usd);
  }, 60_000);

  it('shows a line per service and operation with a total, and as CSV reads back', async () => {
    await runCommand(CostForecast, []);
    const { stdout } = await runCommand(Meter, []);
    expect(stdout).toMatch(
      /^Cost Explorer +GetCostAndUsage +\d+ +\$0\.\d\d +\d+ +\d+ +0 +\$0\.\d\d$/m,
    );
    expect(stdout).toMatch(/^Total +\d+ +\$0\.\d\d +\d+ +\$0\.\d\d$/m);
    const records = csvObjects((await runCommand(Meter, ['--csv'])).stdout);
    expect(records.find((r) => r.operation === 'GetCostForecast')).toMatchObject({
      service: 'costexplorer',
      today_requests: '1',
      today_usd: '0.01',
    });
  }, 60_000);
});
