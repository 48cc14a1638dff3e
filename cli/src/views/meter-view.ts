// The `ballast meter` screen: what Ballast itself spent on AWS API calls for the context,
// from its call ledger: each service and operation today and this month (requests, pages,
// failed attempts, list price), and the month projected.
import type { MeterReport } from '@ballast/core';
import { toCsv } from '@ballast/core/format';
import { formatUsd } from '@ballast/core/format';
import type { Palette } from '../output/style.js';
import { renderTable } from '../output/table.js';
import { wrap } from '../output/text.js';
import { monthName } from './spend-view.js';

export interface MeterViewOptions {
  palette: Palette;
  width: number;
  context: string;
}

/** The metered services by the names AWS gives them. */
const SERVICE_NAMES: Record<string, string> = {
  costexplorer: 'Cost Explorer',
  cloudwatch: 'CloudWatch',
  autoscaling: 'Auto Scaling',
};

export function serviceName(service: string): string {
  return SERVICE_NAMES[service] ?? service;
}

export function renderMeter(report: MeterReport, options: MeterViewOptions): string[] {
  const { palette: p, width } = options;
  const lines = [
    p.bold('What Ballast spent on AWS API calls'),
    p.dim(`context ${options.context} · ${report.today.day} UTC · AWS list prices`),
    '',
  ];
  if (report.lines.length === 0)
    lines.push(`No AWS API calls for context ${options.context} this month.`);
  else {
    const rows = report.lines.map((l) => [
      serviceName(l.service),
      l.operation,
      String(l.today.requests),
      formatUsd(l.today.usd),
      String(l.month.requests),
      String(l.month.pages),
      l.month.errors ? p.yellow(String(l.month.errors)) : '0',
      formatUsd(l.month.usd),
    ]);
    rows.push([
      p.bold('Total'),
      '',
      p.bold(String(report.today.requests)),
      p.bold(formatUsd(report.today.usd)),
      p.bold(String(report.month.requests)),
      '',
      '',
      p.bold(formatUsd(report.month.usd)),
    ]);
    lines.push(
      ...renderTable(
        [
          { header: 'service' },
          { header: 'operation', shrink: true, minWidth: 12 },
          { header: 'today', align: 'right' },
          { header: 'today $', align: 'right' },
          { header: 'month', align: 'right' },
          { header: 'pages', align: 'right' },
          { header: 'failed', align: 'right' },
          { header: 'month $', align: 'right' },
        ],
        rows,
        { width, header: p.dim },
      ),
    );
  }
  lines.push(
    '',
    `${p.bold(`Projected for ${monthName(report.month.month)}:`)} ${formatUsd(report.projectedMonthUsd)}`,
    ...wrap(`  ${report.projectionBasis}.`, width, '  ').map(p.dim),
    ...wrap(
      'today and month: requests (each page of an answer is one); failed: attempts that got no answer (throttled, denied, errors), not billed. Cost Explorer bills $0.01 a request; GetMetricData $0.01 per 1,000 metrics.',
      width,
    ).map(p.dim),
  );
  return lines;
}

export function meterCsv(report: MeterReport): string {
  return toCsv(
    [
      'service',
      'operation',
      'today',
      'today_requests',
      'today_usd',
      'month',
      'month_requests',
      'month_pages',
      'month_failed',
      'month_usd',
    ],
    report.lines.map((l) => [
      l.service,
      l.operation,
      report.today.day,
      l.today.requests,
      l.today.usd,
      report.month.month,
      l.month.requests,
      l.month.pages,
      l.month.errors,
      l.month.usd,
    ]),
  );
}
