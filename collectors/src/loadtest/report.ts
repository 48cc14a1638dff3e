// The report of a load test: k6's results per journey step (the summary export's
// http_req_duration{step:...} submetrics) next to what the platform did in the same window,
// as CloudWatch saw it through the health collection (capacity, CPU, latency, 5xx, queue
// age, scaling activities), the cost of the window at list prices, and the knee: the load at
// which latency or errors broke. As JSON, and as one self-contained HTML file.
import {
  changesConfig,
  describeExit,
  estimateLoadTestCost,
  findKnee,
  formatDuration,
  formatNumber,
  formatValue,
  loadPlatformConfig,
  LOAD_STEPS,
  pricesFor,
  type Knee,
  type KneeLimits,
  type LoadSample,
  type LoadTestCost,
  type LoadTestRun,
  type PlatformConfig,
  type Point,
  type ResolvedContext,
  type ScalingActivity,
  type Store,
  type ThresholdResult,
} from '@ballast/core';
import { AutoScalingChanges } from '../autoscaling.js';
import { collectHealth } from '../health.js';
import type { CollectorSession } from '../session.js';
import { createCollectorSession } from '../session.js';

export interface StepResult {
  step: string;
  /** requests of the step, when k6's summary counted them (summaryTrendStats with count) */
  requests: number | null;
  /** ms */
  avgMs: number | null;
  medMs: number | null;
  p90Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
  thresholds: ThresholdResult[];
  failed: boolean;
}

export interface PlatformSignal {
  tier: string;
  signal: string;
  label: string;
  unit: string;
  min: number | null;
  max: number | null;
  /** at the knee, when there is one */
  atKnee: number | null;
  points: Point[];
}

export interface LoadTestReport {
  run: LoadTestRun;
  window: { start: number; end: number };
  exit: string;
  overall: {
    requests: number | null;
    requestsPerSecond: number | null;
    failedShare: number | null;
    p95Ms: number | null;
    p99Ms: number | null;
    bytesReceived: number | null;
    iterations: number | null;
    maxVus: number | null;
    modelTtlbP95Ms: number | null;
  };
  thresholds: ThresholdResult[];
  steps: StepResult[];
  knee: Knee | null;
  kneeLimits: KneeLimits;
  platform: {
    signals: PlatformSignal[];
    capacity: {
      group: string;
      tier?: string;
      inServiceMin: number | null;
      inServiceMax: number | null;
      points: { t: number; inService: number | null; desired: number | null }[];
    }[];
    activities: ScalingActivity[];
    /** sources that could not be read, with why */
    unavailable: { source: string; message: string }[];
  };
  cost: LoadTestCost;
  samples: LoadSample[];
}

const STEP_METRIC = /^http_req_duration\{step:([^}]+)\}$/;
/** Padding around the test in the platform view: the warm-up before and the scale-in after. */
export const REPORT_PADDING_MS = 5 * 60_000;

/** k6's request duration, or its API requests' alone (thresholdsFromSlos tags them kind:api). */
const API_DURATION = /^http_req_duration(\{kind:api\})?$/;

/** The knee limits from the run's own thresholds (p95 and error rate), else the web SLO. */
export function kneeLimitsOf(run: LoadTestRun, platform: PlatformConfig): KneeLimits {
  const limits: KneeLimits = {};
  for (const t of run.summary?.thresholds ?? []) {
    const p95 = API_DURATION.test(t.metric) && /^p\(95\)\s*<=?\s*([\d.]+)$/.exec(t.expression);
    if (p95) limits.p95Ms = Number(p95[1]);
    const rate = t.metric === 'http_req_failed' && /^rate\s*<=?\s*([\d.]+)$/.exec(t.expression);
    if (rate) limits.errorRate = Number(rate[1]);
  }
  const web = platform.tiers.find((t) => t.id === 'web');
  const latency = web?.slo.latency?.degraded;
  const errors = web?.slo.errors?.degraded;
  if (limits.p95Ms === undefined && latency !== undefined) limits.p95Ms = latency;
  if (limits.errorRate === undefined && errors !== undefined) limits.errorRate = errors / 100;
  return limits;
}

/** k6's side of the report, from the stored run and samples alone (no AWS call). */
export function k6Results(
  run: LoadTestRun,
  samples: LoadSample[],
  limits: KneeLimits,
): Pick<LoadTestReport, 'overall' | 'thresholds' | 'steps' | 'knee' | 'exit'> {
  const m = run.summary?.metrics ?? {};
  const v = (metric: string, key: string) => m[metric]?.[key] ?? null;
  const thresholds = run.summary?.thresholds ?? [];
  const steps: StepResult[] = Object.keys(m)
    .flatMap((name) => {
      const step = STEP_METRIC.exec(name)?.[1];
      if (!step) return [];
      const own = thresholds.filter((t) => t.metric === name);
      return [
        {
          step,
          requests: v(name, 'count'),
          avgMs: v(name, 'avg'),
          medMs: v(name, 'med'),
          p90Ms: v(name, 'p(90)'),
          p95Ms: v(name, 'p(95)'),
          maxMs: v(name, 'max'),
          thresholds: own,
          failed: own.some((t) => t.failed),
        },
      ];
    })
    .sort((a, b) => stepOrder(a.step) - stepOrder(b.step));
  const failed = m.http_req_failed;
  return {
    exit: run.status === 'running' ? 'running' : describeExit(run.exitCode),
    overall: {
      requests: v('http_reqs', 'count'),
      requestsPerSecond: v('http_reqs', 'rate'),
      failedShare: failed ? (failed.value ?? failed.rate ?? null) : null,
      p95Ms: v('http_req_duration', 'p(95)'),
      p99Ms: v('http_req_duration', 'p(99)'),
      bytesReceived: v('data_received', 'count'),
      iterations: v('iterations', 'count'),
      maxVus:
        v('vus_max', 'value') ??
        v('vus', 'max') ??
        (samples.length ? Math.max(...samples.map((s) => s.vus)) : null),
      modelTtlbP95Ms: v('model_ttlb', 'p(95)'),
    },
    thresholds,
    steps,
    knee: findKnee(samples, limits) ?? null,
  };
}

/** Journey order (LOAD_STEPS); steps the profile does not know last. */
const stepOrder = (step: string) => {
  const i = (LOAD_STEPS as readonly string[]).indexOf(step);
  return i < 0 ? LOAD_STEPS.length : i;
};

export interface LoadTestReportOptions {
  context: ResolvedContext;
  store: Store;
  run: LoadTestRun;
  session?: CollectorSession;
  platform?: PlatformConfig;
  now: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The whole report: k6's results, the platform's view of the window and its cost. */
export async function loadTestReport(options: LoadTestReportOptions): Promise<LoadTestReport> {
  const { run, store, context, now } = options;
  const platform = options.platform ?? loadPlatformConfig(context.platformConfig);
  const session = options.session ?? createCollectorSession(context, store, { now: () => now });
  const samples = store.loadTests.samples(run.id);
  const kneeLimits = kneeLimitsOf(run, platform);
  const k6 = k6Results(run, samples, kneeLimits);
  const end = Math.min(now, (run.endedAt ?? now) + REPORT_PADDING_MS);
  const start = run.startedAt - REPORT_PADDING_MS;
  const health = await collectHealth({
    context,
    store,
    session,
    now: end,
    sinceMs: end - start,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const atKnee = (points: Point[]) => {
    if (!k6.knee) return null;
    const before = points.filter((p) => p.t <= k6.knee!.at);
    return before.at(-1)?.v ?? null;
  };
  // A datapoint stands for the period it starts: the one the test began in counts too.
  const period = 60_000;
  const inTest = (t: number) => t > run.startedAt - period && t <= (run.endedAt ?? now);
  const signals: PlatformSignal[] = health.tiers.flatMap((tier) =>
    tier.signals.map((s) => {
      const values = s.points.filter((p) => inTest(p.t)).map((p) => p.v);
      return {
        tier: tier.tier,
        signal: s.signal,
        label: s.label,
        unit: s.unit,
        min: values.length ? Math.min(...values) : null,
        max: values.length ? Math.max(...values) : null,
        atKnee: atKnee(s.points),
        points: s.points,
      };
    }),
  );
  const capacity = health.tiers.flatMap((tier) =>
    (tier.capacity ?? []).map((g) => {
      const during = g.points.filter((p) => inTest(p.t) && p.inService !== undefined);
      const inService = during.map((p) => p.inService!);
      return {
        group: g.group,
        tier: tier.tier,
        inServiceMin: inService.length ? Math.min(...inService) : null,
        inServiceMax: inService.length ? Math.max(...inService) : null,
        points: g.points.map((p) => ({
          t: p.t,
          inService: p.inService ?? null,
          desired: p.desired ?? null,
        })),
      };
    }),
  );
  const cost = await windowCost(run, k6.overall, capacity, platform, session, options.signal);
  return {
    run,
    window: { start, end },
    ...k6,
    kneeLimits,
    platform: {
      signals,
      capacity,
      activities: health.activities.filter((a) => a.startTime >= start && a.startTime <= end),
      unavailable: health.sources
        .filter((s) => !s.ok)
        .map((s) => ({ source: s.source, message: s.error?.message ?? 'could not be read' })),
    },
    cost,
    samples,
  };
}

/**
 * The cost of the window at list prices: the test's traffic through CloudFront and the load
 * balancer, and the instance-hours each group ran above where it stood when the test began.
 */
async function windowCost(
  run: LoadTestRun,
  overall: LoadTestReport['overall'],
  capacity: LoadTestReport['platform']['capacity'],
  platform: PlatformConfig,
  session: CollectorSession,
  signal?: AbortSignal,
): Promise<LoadTestCost> {
  const durationSeconds = Math.max(1, ((run.endedAt ?? Date.now()) - run.startedAt) / 1000);
  let extra: { instanceHours: number; instanceType: string; usdPerHour?: number } | undefined;
  const notes: string[] = [];
  const web = capacity.find((c) => c.tier === 'web');
  if (web) {
    const during = web.points.filter((p) => p.t >= run.startedAt && p.inService !== null);
    const base = during[0]?.inService ?? null;
    if (base !== null && during.length > 1) {
      let hours = 0;
      for (let i = 1; i < during.length; i++)
        hours +=
          Math.max(0, during[i - 1]!.inService! - base) *
          ((during[i]!.t - during[i - 1]!.t) / 3_600_000);
      try {
        const live = await new AutoScalingChanges(session.clients.autoscaling).describeGroup(
          web.group,
          signal,
        );
        const prices = pricesFor(
          changesConfig(platform).groups[web.group]?.prices,
          live?.instanceTypes ?? [],
          platform.region,
        );
        if (prices)
          extra = {
            instanceHours: hours,
            instanceType: live?.instanceTypes[0] ?? web.group,
            usdPerHour: prices.onDemandPerHour,
          };
        else
          notes.push(
            `No price for the instance types of ${web.group}: its extra instance-hours (${formatNumber(hours)}) are not priced.`,
          );
      } catch (err) {
        notes.push(
          `Could not read ${web.group}'s instance types (${(err as Error).message}): its extra instance-hours are not priced.`,
        );
      }
    }
  }
  const cost = estimateLoadTestCost(
    {
      durationSeconds,
      requests: overall.requests ?? 0,
      bytes: overall.bytesReceived ?? 0,
      peakRequestsPerSecond: overall.requestsPerSecond ?? 0,
      ...(overall.maxVus !== null ? { peakVus: overall.maxVus } : {}),
    },
    extra ? { extraInstances: extra } : {},
  );
  return {
    ...cost,
    notes: [
      ...cost.notes.filter((n) => !(extra === undefined && notes.length && /not included/.test(n))),
      ...notes,
    ],
  };
}

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A small inline SVG line chart of `points`, with the test window shaded and the knee marked. */
function svgChart(
  points: { t: number; v: number }[],
  window: { start: number; end: number },
  band: { start: number; end: number },
  knee: number | null,
  unit: string,
): string {
  const w = 560;
  const h = 120;
  const pad = 4;
  if (points.length === 0) return '<p class="none">No data in the window.</p>';
  const max = Math.max(...points.map((p) => p.v), 0) || 1;
  const x = (t: number) =>
    pad + ((t - window.start) / Math.max(1, window.end - window.start)) * (w - 2 * pad);
  const y = (v: number) => h - pad - (v / max) * (h - 2 * pad);
  const path = points
    .map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`)
    .join(' ');
  return `<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img">
<rect x="${x(band.start).toFixed(1)}" y="0" width="${Math.max(1, x(band.end) - x(band.start)).toFixed(1)}" height="${h}" class="band"/>
${knee !== null ? `<line x1="${x(knee).toFixed(1)}" x2="${x(knee).toFixed(1)}" y1="0" y2="${h}" class="knee"/>` : ''}
<path d="${path}" class="line"/>
<text x="${w - pad}" y="12" text-anchor="end">max ${esc(formatValue(max, unit))}</text>
</svg>`;
}

/** The report as one HTML file: inline styles and SVG charts, no scripts, nothing fetched. */
export function renderLoadTestReportHtml(report: LoadTestReport): string {
  const { run } = report;
  const band = { start: run.startedAt, end: run.endedAt ?? report.window.end };
  const knee = report.knee?.at ?? null;
  const ms = (v: number | null) => formatValue(v, 'ms');
  const k6Charts = [
    ['Requests a second (k6)', report.samples.map((s) => ({ t: s.t, v: s.requestRate })), 'req/s'],
    [
      'p95 latency (k6, whole run so far)',
      report.samples.filter((s) => s.p95Ms !== null).map((s) => ({ t: s.t, v: s.p95Ms! })),
      'ms',
    ],
    [
      'Error rate (k6)',
      report.samples
        .filter((s) => s.errorRate !== null)
        .map((s) => ({ t: s.t, v: s.errorRate! * 100 })),
      '%',
    ],
    ['Virtual users', report.samples.map((s) => ({ t: s.t, v: s.vus })), ''],
  ] as const;
  const rows = (cells: string[][]) =>
    cells.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  const o = report.overall;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Load test ${esc(run.id)} — ${esc(run.scenario)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1200px;color:#1d2330;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}table{border-collapse:collapse;margin:.5rem 0}
td,th{border-bottom:1px solid #dde;padding:.25rem .6rem;text-align:right}td:first-child,th:first-child{text-align:left}
.bad{color:#b3261e;font-weight:600}.ok{color:#1b7f3b}.knee-box{background:#fff4e5;border-left:4px solid #e8710a;padding:.6rem 1rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(580px,1fr));gap:1rem}
svg{background:#fafbfd;border:1px solid #e3e6ee}.band{fill:#dbe8ff;opacity:.6}.knee{stroke:#e8710a;stroke-width:2;stroke-dasharray:4 3}
.line{fill:none;stroke:#2456c6;stroke-width:1.6}text{font-size:11px;fill:#556}.none{color:#889}
</style></head><body>
<h1>Load test ${esc(run.id)}: ${esc(run.scenario)} against ${esc(run.target)}</h1>
<p>${esc(run.context)} · ${esc(new Date(run.startedAt).toISOString())} · ${esc(formatDuration((run.endedAt ?? report.window.end) - run.startedAt))} · status <b class="${run.status === 'passed' ? 'ok' : 'bad'}">${esc(run.status)}</b> · exit ${esc(report.exit)}${run.k6Version ? ` · k6 v${esc(run.k6Version)}` : ''}</p>
${run.message ? `<p class="bad">${esc(run.message)}</p>` : ''}
<div class="knee-box">${
    report.knee
      ? `<b>Knee:</b> ${report.knee.reason === 'latency' ? 'latency' : 'errors'} broke at ${esc(formatNumber(report.knee.requestRate))} requests a second (${report.knee.vus} VUs) at ${esc(new Date(report.knee.at).toISOString())}: p95 ${esc(ms(report.knee.p95Ms))}, errors ${esc(formatValue(report.knee.errorRate === null ? null : report.knee.errorRate * 100, '%'))}${report.knee.lastGoodRequestRate !== null ? `; the highest rate before it held was ${esc(formatNumber(report.knee.lastGoodRequestRate))}/s` : ''}.`
      : `<b>No knee:</b> latency and errors stayed within p95 ${esc(ms(report.kneeLimits.p95Ms ?? null))} and ${esc(formatValue(report.kneeLimits.errorRate === undefined ? null : report.kneeLimits.errorRate * 100, '%'))} errors for the whole run.`
  }</div>
<h2>k6</h2>
<table><tbody>${rows([
    [
      'Requests',
      esc(formatNumber(o.requests ?? NaN)),
      'Rate',
      esc(formatValue(o.requestsPerSecond, 'req/s')),
    ],
    [
      'Failed',
      esc(formatValue(o.failedShare === null ? null : o.failedShare * 100, '%')),
      'p95 / p99',
      `${esc(ms(o.p95Ms))} / ${esc(ms(o.p99Ms))}`,
    ],
    [
      'Received',
      esc(formatValue(o.bytesReceived, 'bytes')),
      'Model TTLB p95',
      esc(ms(o.modelTtlbP95Ms)),
    ],
    [
      'Iterations',
      esc(formatNumber(o.iterations ?? NaN)),
      'Max VUs',
      esc(formatNumber(o.maxVus ?? NaN)),
    ],
  ])}</tbody></table>
${report.run.summary?.note ? `<p>${esc(report.run.summary.note)}</p>` : ''}
<h2>Journey steps</h2>
<table><thead><tr><th>Step</th><th>avg</th><th>med</th><th>p90</th><th>p95</th><th>max</th><th>Thresholds</th></tr></thead><tbody>
${rows(report.steps.map((s) => [esc(s.step), esc(ms(s.avgMs)), esc(ms(s.medMs)), esc(ms(s.p90Ms)), esc(ms(s.p95Ms)), esc(ms(s.maxMs)), s.thresholds.map((t) => `<span class="${t.failed ? 'bad' : 'ok'}">${t.failed ? '✗' : '✓'} ${esc(t.expression)}</span>`).join(' ')]))}
</tbody></table>
<h2>Thresholds</h2>
<table><tbody>${rows(report.thresholds.map((t) => [esc(t.metric), esc(t.expression), t.failed ? '<span class="bad">failed</span>' : '<span class="ok">held</span>']))}</tbody></table>
<div class="grid">${k6Charts.map(([title, pts, unit]) => `<div><h3>${esc(title)}</h3>${svgChart(pts, report.window, band, knee, unit)}</div>`).join('\n')}</div>
<h2>The platform in the same window (CloudWatch)</h2>
${report.platform.unavailable.length ? `<p class="bad">Not read: ${report.platform.unavailable.map((u) => `${esc(u.source)} (${esc(u.message)})`).join('; ')}</p>` : ''}
<div class="grid">
${report.platform.capacity
  .map(
    (c) =>
      `<div><h3>${esc(c.group)}: instances in service ${c.inServiceMin ?? '—'} → ${c.inServiceMax ?? '—'}</h3>${svgChart(
        c.points.filter((p) => p.inService !== null).map((p) => ({ t: p.t, v: p.inService! })),
        report.window,
        band,
        knee,
        '',
      )}</div>`,
  )
  .join('\n')}
${report.platform.signals.map((s) => `<div><h3>${esc(s.tier)} · ${esc(s.label)}: ${esc(formatValue(s.min, s.unit))} → ${esc(formatValue(s.max, s.unit))}${s.atKnee !== null ? ` (at the knee ${esc(formatValue(s.atKnee, s.unit))})` : ''}</h3>${svgChart(s.points, report.window, band, knee, s.unit)}</div>`).join('\n')}
</div>
<h2>Scaling activities</h2>
${report.platform.activities.length ? `<table><tbody>${rows(report.platform.activities.map((a) => [esc(new Date(a.startTime).toISOString()), esc(a.group), esc(a.description), esc(a.status)]))}</tbody></table>` : '<p class="none">None in the window.</p>'}
<h2>Cost of the window (list prices)</h2>
<table><tbody>${rows(report.cost.lines.map((l) => [esc(l.item), esc(formatNumber(l.quantity)), esc(l.unit), `$${l.usd.toFixed(4)}`, esc(l.basis)]))}
<tr><td><b>Total</b></td><td></td><td></td><td><b>$${report.cost.totalUsd.toFixed(4)}</b></td><td></td></tr></tbody></table>
${report.cost.notes.map((n) => `<p class="none">${esc(n)}</p>`).join('\n')}
</body></html>
`;
}
