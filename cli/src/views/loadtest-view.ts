// Pure renderings of load tests for the terminal: the preflight, the live lines while k6
// runs, the outcome, the list of runs, one run, and the report.
import type {
  LoadTestPlan,
  LoadTestReport,
  PreflightCheck,
  TestRunStatus,
} from '@ballast/collectors';
import {
  describeExit,
  formatDuration,
  formatNumber,
  formatUsd,
  formatValue,
  type LoadSample,
  type LoadTestRun,
} from '@ballast/core';
import type { Palette } from '../output/style.js';
import { sparkline } from '../output/sparkline.js';
import { renderTable } from '../output/table.js';

export interface LoadTestViewOptions {
  palette: Palette;
  width: number;
}

const pct = (share: number | null | undefined) =>
  formatValue(share === null || share === undefined ? null : share * 100, '%');
const ms = (v: number | null | undefined) => formatValue(v ?? null, 'ms');
const bytes = (v: number | null | undefined) => formatValue(v ?? null, 'bytes');
const rate = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${formatNumber(v)} req/s`;

function checkLine(c: PreflightCheck, p: Palette): string {
  const mark = c.ok ? p.green('✓') : c.overridden ? p.yellow('!') : p.red('✗');
  const tail =
    !c.ok && c.override
      ? c.overridden
        ? ` (overridden: --${c.override})`
        : ` (override: --${c.override})`
      : '';
  const actions = !c.ok && !c.overridden ? (c.actions ?? []).map((a) => p.dim(`      ${a}`)) : [];
  return [`  ${mark} ${c.message}${tail}`, ...actions].join('\n');
}

export function renderPreflight(plan: LoadTestPlan, o: LoadTestViewOptions): string[] {
  const p = o.palette;
  const e = plan.estimate;
  const lines = [
    `${p.bold(`Load test ${plan.scenario}`)} → ${plan.target}${plan.scale !== 1 ? `  (scale ${plan.scale})` : ''}`,
    `  ${plan.description}`,
    '',
    p.bold('What it sends'),
    `  ${formatDuration(e.durationSeconds * 1000)} · ${formatNumber(e.iterations)} shopper sessions · ${formatNumber(e.requests)} requests · ${bytes(e.bytes)} downloaded`,
    `  peak ${rate(e.peakRequestsPerSecond)} from ${formatNumber(e.peakVus)} VUs · stages: ${plan.profile.stages.map((s) => `${formatNumber(s.shoppers)} shoppers/${formatDuration(s.duration * 1000)}`).join(' → ')}`,
    '',
    p.bold('Estimated AWS cost (list prices)'),
    ...renderTable(
      [
        { header: 'Item' },
        { header: 'Quantity', align: 'right' },
        { header: 'USD', align: 'right' },
      ],
      [
        ...plan.cost.lines.map((l) => [
          l.item,
          `${formatNumber(l.quantity)} ${l.unit}`,
          formatUsd(l.usd),
        ]),
        ['total', '', formatUsd(plan.cost.totalUsd)],
      ],
      { width: o.width, indent: 2, header: p.dim },
    ),
    ...plan.cost.notes.map((n) => p.dim(`  ${n}`)),
    '',
    p.bold('Checks and guardrails'),
    ...plan.checks.map((c) => checkLine(c, p)),
    '',
    p.bold('Thresholds (from the platform SLOs)'),
    `  ${Object.entries(plan.thresholds)
      .filter(([metric]) => !metric.includes('{step:'))
      .map(
        ([metric, list]) =>
          `${metric}: ${list.map((t) => (typeof t === 'string' ? t : `${t.threshold}${t.abortOnFail ? ' (aborts)' : ''}`)).join(', ')}`,
      )
      .join('; ')}`,
  ];
  return lines;
}

/** The live block on a terminal: redrawn in place each sample. */
export function renderLive(
  scenario: string,
  target: string,
  samples: readonly LoadSample[],
  elapsedMs: number,
  totalMs: number,
  o: LoadTestViewOptions,
): string[] {
  const p = o.palette;
  const s = samples.at(-1);
  const spark = (values: (number | null)[]) =>
    sparkline(values, { width: Math.max(10, Math.min(40, o.width - 30)) });
  const failing = s?.failingThresholds ?? [];
  return [
    `${p.bold(scenario)} → ${target} · ${formatDuration(elapsedMs)} of ${formatDuration(totalMs)} · ${p.dim('Ctrl-C stops it and keeps the result')}`,
    s
      ? `  VUs ${formatNumber(s.vus)} · ${rate(s.requestRate)} · p95 ${ms(s.p95Ms)} · errors ${pct(s.errorRate)} · ${formatNumber(s.requests)} requests · ${bytes(s.bytesReceived)} received`
      : p.dim('  waiting for k6…'),
    `  thresholds ${failing.length ? p.red(`✗ failing: ${failing.join(', ')}`) : p.green('✓ holding')}`,
    `  req/s ${spark(samples.map((x) => x.requestRate))}  p95 ${spark(samples.map((x) => x.p95Ms))}`,
  ];
}

/** One plain line per reading, when stdout is not a terminal. */
export function renderLiveLine(sample: LoadSample, startedAt: number): string {
  return `${formatDuration(sample.t - startedAt)}  vus=${sample.vus}  rate=${sample.requestRate.toFixed(1)}/s  p95=${ms(sample.p95Ms)}  errors=${pct(sample.errorRate)}  requests=${sample.requests}  received=${bytes(sample.bytesReceived)}  thresholds=${sample.failingThresholds.length ? `failing:${sample.failingThresholds.join(',')}` : 'ok'}`;
}

const STATUS_PAINT = (status: LoadTestRun['status'], p: Palette) =>
  status === 'passed'
    ? p.green(status)
    : status === 'running'
      ? p.cyan(status)
      : status === 'stopped'
        ? p.yellow(status)
        : p.red(status);

export function renderOutcome(run: LoadTestRun, o: LoadTestViewOptions): string[] {
  const p = o.palette;
  const m = run.summary?.metrics ?? {};
  const failed = run.summary?.thresholds.filter((t) => t.failed) ?? [];
  return [
    `${p.bold(`Load test ${run.id}`)}: ${STATUS_PAINT(run.status, p)} · k6 exit ${describeExit(run.exitCode)} · ${formatDuration((run.endedAt ?? Date.now()) - run.startedAt)}`,
    `  ${formatNumber(m.http_reqs?.count ?? NaN)} requests · ${rate(m.http_reqs?.rate)} · p95 ${ms(m.http_req_duration?.['p(95)'])} · failed ${pct(m.http_req_failed?.value ?? null)} · ${bytes(m.data_received?.count)} received${run.summary?.source === 'rest-api' ? p.dim(' (k6 wrote no summary: its last live reading)') : ''}`,
    failed.length
      ? `  ${p.red('Thresholds failed:')} ${failed.map((t) => `${t.metric} ${t.expression}`).join('; ')}`
      : run.summary?.thresholds.length
        ? `  ${p.green('Every threshold held.')}`
        : '',
    ...(run.summary?.note ? [`  ${p.dim(run.summary.note)}`] : []),
    ...(run.message ? [`  ${p.dim(run.message)}`] : []),
    `  The report, with the platform's view of the same window: ballast loadtest report ${run.id}`,
  ].filter(Boolean);
}

export function renderRunList(runs: readonly LoadTestRun[], o: LoadTestViewOptions): string[] {
  if (runs.length === 0)
    return ['No load tests recorded yet. Plan one with: ballast loadtest plan smoke --target URL'];
  return renderTable(
    [
      { header: 'Run' },
      { header: 'Scenario' },
      { header: 'Status' },
      { header: 'Started (UTC)' },
      { header: 'Length', align: 'right' },
      { header: 'Exit', align: 'right' },
      { header: 'Requests', align: 'right' },
      { header: 'p95', align: 'right' },
      { header: 'Target', shrink: true, minWidth: 12 },
    ],
    runs.map((r) => [
      r.id,
      r.scenario,
      STATUS_PAINT(r.status, o.palette),
      new Date(r.startedAt).toISOString().slice(0, 16).replace('T', ' '),
      r.endedAt ? formatDuration(r.endedAt - r.startedAt) : '—',
      r.exitCode === undefined ? '—' : String(r.exitCode),
      formatNumber(r.summary?.metrics.http_reqs?.count ?? NaN),
      ms(r.summary?.metrics.http_req_duration?.['p(95)']),
      r.target,
    ]),
    { width: o.width, header: o.palette.dim },
  );
}

export function renderSteps(
  report: Pick<LoadTestReport, 'steps'>,
  o: LoadTestViewOptions,
): string[] {
  const p = o.palette;
  if (report.steps.length === 0)
    return [p.dim('  No per-step figures: k6 wrote no http_req_duration{step:...} submetrics.')];
  return renderTable(
    [
      { header: 'Step' },
      { header: 'Requests', align: 'right' },
      { header: 'avg', align: 'right' },
      { header: 'p90', align: 'right' },
      { header: 'p95', align: 'right' },
      { header: 'max', align: 'right' },
      { header: 'Thresholds', shrink: true, minWidth: 10 },
    ],
    report.steps.map((s) => [
      s.step,
      s.requests === null ? '—' : formatNumber(s.requests),
      ms(s.avgMs),
      ms(s.p90Ms),
      ms(s.p95Ms),
      ms(s.maxMs),
      s.thresholds
        .map((t) => (t.failed ? p.red(`✗ ${t.expression}`) : p.green(`✓ ${t.expression}`)))
        .join(' '),
    ]),
    { width: o.width, indent: 2, header: p.dim },
  );
}

export function renderReport(report: LoadTestReport, o: LoadTestViewOptions): string[] {
  const p = o.palette;
  const k = report.knee;
  const lines = [
    ...renderOutcome(report.run, o).slice(0, -1),
    '',
    k
      ? `${p.yellow(p.bold('Knee:'))} ${k.reason} broke at ${rate(k.requestRate)} (${formatNumber(k.vus)} VUs), ${new Date(k.at).toISOString().slice(11, 19)} UTC: p95 ${ms(k.p95Ms)}, errors ${pct(k.errorRate)}${k.lastGoodRequestRate !== null ? `; it held up to ${rate(k.lastGoodRequestRate)}` : ''}.`
      : `${p.green(p.bold('No knee:'))} p95 stayed under ${ms(report.kneeLimits.p95Ms)} and errors under ${pct(report.kneeLimits.errorRate)}.`,
    '',
    p.bold('Journey steps (k6)'),
    ...renderSteps(report, o),
    '',
    p.bold(
      `The platform, ${new Date(report.window.start).toISOString().slice(11, 16)}–${new Date(report.window.end).toISOString().slice(11, 16)} UTC (CloudWatch)`,
    ),
    ...report.platform.capacity.map(
      (c) =>
        `  ${c.group}: in service ${c.inServiceMin ?? '—'} → ${c.inServiceMax ?? '—'} instances  ${sparkline(
          c.points.map((x) => x.inService),
          { width: 30 },
        )}`,
    ),
    ...report.platform.signals
      .filter((s) => s.tier === 'web' || (s.tier === 'workers' && s.signal === 'latency'))
      .map(
        (s) =>
          `  ${s.tier} ${s.label}: ${formatValue(s.min, s.unit)} → ${formatValue(s.max, s.unit)}${s.atKnee !== null ? ` (at the knee ${formatValue(s.atKnee, s.unit)})` : ''}  ${sparkline(
            s.points.map((x) => x.v),
            { width: 30 },
          )}`,
      ),
    ...(report.platform.capacity.every((c) => c.inServiceMax === null) &&
    report.platform.signals.every((s) => s.max === null)
      ? [
          p.dim(
            '  No datapoint inside the test yet: CloudWatch publishes each minute once it ends. Read the report again in a minute or two.',
          ),
        ]
      : []),
    `  scaling activities in the window: ${report.platform.activities.length}${
      report.platform.activities.length
        ? ` (${report.platform.activities
            .slice(0, 3)
            .map((a) => a.description)
            .join('; ')}${report.platform.activities.length > 3 ? '; …' : ''})`
        : ''
    }`,
    ...report.platform.unavailable.map((u) => p.yellow(`  not read: ${u.source}: ${u.message}`)),
    '',
    p.bold('Cost of the window (list prices)'),
    ...report.cost.lines.map(
      (l) => `  ${l.item}: ${formatNumber(l.quantity)} ${l.unit} = ${formatUsd(l.usd)}`,
    ),
    `  total ${formatUsd(report.cost.totalUsd)}`,
    ...report.cost.notes.map((n) => p.dim(`  ${n}`)),
  ];
  return lines;
}

export function renderTestRunStatus(name: string, status: TestRunStatus): string {
  return `TestRun ${name}: ${status.stage ?? 'no stage yet'}${status.conditions.length ? ` (${status.conditions.map((c) => `${c.type}=${c.status}`).join(', ')})` : ''}`;
}
