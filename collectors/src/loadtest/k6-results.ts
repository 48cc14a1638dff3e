// Reading what k6 reports: its REST API while it runs (GET /v1/status, GET /v1/metrics,
// JSON:API documents) into live samples, and its --summary-export file at the end into a
// LoadSummary. Shapes as k6 v0.4x and v1 write them (grafana.com/docs/k6/latest/reference/k6-rest-api/).
import type { LoadSample, LoadSummary, ThresholdResult } from '@ballast/core';
import { z } from 'zod';

const StatusSchema = z.object({
  data: z.object({
    attributes: z
      .object({
        vus: z.number().optional(),
        'vus-max': z.number().optional(),
        running: z.boolean().optional(),
        paused: z.boolean().optional(),
        stopped: z.boolean().optional(),
        tainted: z.boolean().optional(),
        status: z.union([z.number(), z.string()]).optional(),
      })
      .loose(),
  }),
});
export type K6Status = z.infer<typeof StatusSchema>['data']['attributes'];

const MetricsSchema = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      attributes: z
        .object({
          type: z.string().optional(),
          contains: z.string().optional(),
          tainted: z.boolean().nullable().optional(),
          sample: z.record(z.string(), z.number().nullable()).optional(),
        })
        .loose(),
    }),
  ),
});

/** One metric from GET /v1/metrics: its aggregated values so far, and its thresholds' state. */
export interface K6Metric {
  type?: string;
  /** a threshold on it fails now */
  tainted: boolean | null;
  sample: Record<string, number>;
}

export function parseK6Status(body: unknown): K6Status {
  return StatusSchema.parse(body).data.attributes;
}

export function parseK6Metrics(body: unknown): Record<string, K6Metric> {
  const metrics: Record<string, K6Metric> = {};
  for (const m of MetricsSchema.parse(body).data) {
    const sample: Record<string, number> = {};
    for (const [k, v] of Object.entries(m.attributes.sample ?? {}))
      if (typeof v === 'number') sample[k] = v;
    metrics[m.id] = {
      ...(m.attributes.type ? { type: m.attributes.type } : {}),
      tainted: m.attributes.tainted ?? null,
      sample,
    };
  }
  return metrics;
}

/**
 * A live sample from one reading of the REST API; rates are over the time since `previous`.
 * http_req_failed is a Rate: its `rate` is the share of requests that failed so far.
 */
export function toSample(
  t: number,
  status: K6Status,
  metrics: Record<string, K6Metric>,
  previous: LoadSample | undefined,
): LoadSample {
  const value = (id: string, key: string) => metrics[id]?.sample[key];
  const requests = value('http_reqs', 'count') ?? 0;
  const failed = Math.round((value('http_req_failed', 'rate') ?? 0) * requests);
  const dt = previous ? (t - previous.t) / 1000 : 0;
  const newRequests = requests - (previous?.requests ?? 0);
  const newFailed = failed - (previous?.failed ?? 0);
  return {
    t,
    vus: status.vus ?? value('vus', 'value') ?? 0,
    requests,
    requestRate: previous
      ? dt > 0
        ? Math.max(0, newRequests) / dt
        : previous.requestRate
      : (value('http_reqs', 'rate') ?? 0),
    p95Ms: value('http_req_duration', 'p(95)') ?? null,
    failed,
    errorRate: newRequests > 0 ? Math.min(1, Math.max(0, newFailed / newRequests)) : null,
    iterations: value('iterations', 'count') ?? 0,
    bytesReceived: value('data_received', 'count') ?? 0,
    bytesSent: value('data_sent', 'count') ?? 0,
    failingThresholds: Object.entries(metrics)
      .filter(([, m]) => m.tainted === true)
      .map(([id]) => id)
      .sort(),
  };
}

const SummaryExportSchema = z.object({
  state: z.object({ testRunDurationMs: z.number().optional() }).loose().optional(),
  metrics: z.record(
    z.string(),
    z.object({ thresholds: z.record(z.string(), z.boolean()).optional() }).catchall(z.unknown()),
  ),
});

/**
 * k6's --summary-export document. In it a threshold's boolean is true when the threshold
 * FAILED (k6 kept that inverted meaning for compatibility: grafana/k6#1498).
 */
export function parseSummaryExport(body: unknown): LoadSummary {
  const parsed = SummaryExportSchema.parse(body);
  const metrics: LoadSummary['metrics'] = {};
  const thresholds: ThresholdResult[] = [];
  for (const [name, metric] of Object.entries(parsed.metrics)) {
    const values: Record<string, number> = {};
    for (const [k, v] of Object.entries(metric)) if (typeof v === 'number') values[k] = v;
    metrics[name] = values;
    for (const [expression, failed] of Object.entries(metric.thresholds ?? {}))
      thresholds.push({ metric: name, expression, failed });
  }
  return {
    durationMs: parsed.state?.testRunDurationMs ?? null,
    metrics,
    thresholds,
    source: 'summary-export',
  };
}

/** The summary when k6 wrote none (killed, crashed): its last REST API reading. */
export function summaryFromMetrics(
  metrics: Record<string, K6Metric>,
  durationMs: number | null,
): LoadSummary {
  return {
    durationMs,
    metrics: Object.fromEntries(Object.entries(metrics).map(([id, m]) => [id, m.sample])),
    thresholds: Object.entries(metrics)
      .filter(([, m]) => m.tainted !== null)
      .map(([id, m]) => ({
        metric: id,
        expression: '(all thresholds of the metric)',
        failed: m.tainted === true,
      })),
    source: 'rest-api',
  };
}
