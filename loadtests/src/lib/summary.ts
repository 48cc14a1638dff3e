// The end-of-test summary. k6 calls handleSummary() with its aggregated metrics (k6 v0.30 and
// later); exporting it replaces k6's default text, and `--summary-export` is still written
// from the same data. The summary printed here is a readable text for whoever runs `k6 run`
// directly, followed by ONE marked line, `BALLAST-SUMMARY {json}`, that Ballast reads back from
// each k6-operator runner pod's log (no remote imports: k6 v0.4x and current releases alike).

/** The prefix of the machine-readable line; collectors/src/loadtest reads it. */
export const SUMMARY_MARKER = 'BALLAST-SUMMARY';

interface SummaryMetric {
  type?: string;
  values?: Record<string, unknown>;
  thresholds?: Record<string, { ok?: boolean } | boolean>;
}
interface SummaryData {
  state?: { testRunDurationMs?: number };
  metrics?: Record<string, SummaryMetric>;
}

/** The marked line's document: the shape of Ballast's LoadSummary (without its source). */
export interface MarkedSummary {
  durationMs: number | null;
  metrics: Record<string, Record<string, number>>;
  thresholds: { metric: string; expression: string; failed: boolean }[];
}

export function markedSummary(data: SummaryData): MarkedSummary {
  const metrics: MarkedSummary['metrics'] = {};
  const thresholds: MarkedSummary['thresholds'] = [];
  const all = data.metrics ?? {};
  for (const name of Object.keys(all)) {
    const metric = all[name] ?? {};
    const values: Record<string, number> = {};
    const source = metric.values ?? {};
    for (const key of Object.keys(source)) {
      const v = source[key];
      if (typeof v === 'number' && isFinite(v)) values[key] = v;
    }
    metrics[name] = values;
    const t = metric.thresholds ?? {};
    for (const expression of Object.keys(t)) {
      const result = t[expression];
      // handleSummary says `ok` (true: held); a bare boolean is the export's "failed"
      const failed = typeof result === 'boolean' ? result : result?.ok === false;
      thresholds.push({ metric: name, expression, failed });
    }
  }
  const durationMs = data.state?.testRunDurationMs;
  return { durationMs: typeof durationMs === 'number' ? durationMs : null, metrics, thresholds };
}

const round = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
const trendKeys = ['avg', 'med', 'p(90)', 'p(95)', 'p(99)', 'max', 'count'];

/** A short text: each metric's main values, then every threshold with ✓ or ✗. */
export function summaryText(summary: MarkedSummary): string {
  const names = Object.keys(summary.metrics).sort();
  const width = names.reduce((w, n) => Math.max(w, n.length), 0) + 3;
  const lines = names.map((name) => {
    const v = summary.metrics[name] ?? {};
    const keys =
      'avg' in v
        ? trendKeys.filter((k) => k in v)
        : Object.keys(v).filter((k) => k !== 'thresholds');
    const dots = '.'.repeat(Math.max(1, width - name.length));
    return `  ${name}${dots}: ${keys.map((k) => `${k}=${round(v[k] ?? 0)}`).join(' ')}`;
  });
  const checks = summary.thresholds.map(
    (t) => `  ${t.failed ? '✗' : '✓'} ${t.metric}: ${t.expression}`,
  );
  const duration =
    summary.durationMs === null ? '' : ` (${(summary.durationMs / 1000).toFixed(1)} s)`;
  return [
    '',
    `  Summary${duration}`,
    ...lines,
    ...(checks.length ? ['', '  Thresholds', ...checks] : []),
    '',
  ].join('\n');
}

/** k6's end-of-test hook: the text above on stdout, then the marked line. */
export function handleSummary(data: SummaryData): Record<string, string> {
  const summary = markedSummary(data);
  return { stdout: `${summaryText(summary)}\n${SUMMARY_MARKER} ${JSON.stringify(summary)}\n` };
}
