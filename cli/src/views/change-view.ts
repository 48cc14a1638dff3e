// The screens of a change, as pure functions of the engine's documents: a plan (the diff,
// the writes, the what-if effect next to the current configuration and what was recorded,
// the guardrails), the outcome of an apply, the audit's changes and the chain check. The
// CLI prints them; the words are the engine's (titles, guardrail messages, backtest
// sentences) so the dashboard and the CLI say the same thing.
import type {
  ApplyResult,
  AuditChainReport,
  ChangeRecord,
  Effect,
  FieldChange,
  GuardrailResult,
  Plan,
  ReplayOutcome,
  StepOutcome,
} from '@ballast/core';
import { formatAge, formatDuration, formatTimestamp } from '@ballast/core/format';
import type { Palette } from '../output/style.js';
import { renderTable, renderTableRows } from '../output/table.js';
import { visibleWidth, wrap } from '../output/text.js';

export interface ChangeViewOptions {
  palette: Palette;
  width: number;
  now: number;
}

/** "$1,234.56", "$0.42", "-$3.10" */
export function formatUsd(value: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const fixed = abs >= 1_000 ? Math.round(abs).toString() : abs.toFixed(2);
  return `${sign}$${fixed.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

/** One side of a diff entry as text: times as timestamps, lists and objects compact. */
export function formatFieldValue(change: FieldChange, value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  if (change.unit === 'epoch ms' && typeof value === 'number') return formatTimestamp(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') {
    const unit = change.unit && change.unit !== 'epoch ms' ? ` ${change.unit}` : '';
    return `${String(value)}${unit}`;
  }
  return JSON.stringify(value);
}

/** "+", "-" or "~": a field added, removed or changed. */
function diffMark(change: FieldChange): '+' | '-' | '~' {
  if (change.before === undefined) return '+';
  if (change.after === undefined) return '-';
  return '~';
}

/** The readable diff: one line per field, "~ Target value  70 -> 50". */
export function renderDiff(diff: readonly FieldChange[], options: ChangeViewOptions): string[] {
  const { palette: p, width } = options;
  if (diff.length === 0) return [p.dim('  No difference: the live state already is the plan.')];
  const color = { '+': p.green, '-': p.red, '~': p.yellow };
  const labelWidth = Math.min(32, Math.max(...diff.map((c) => c.label.length)));
  return diff.flatMap((c) => {
    const mark = diffMark(c);
    const label = c.label.length > labelWidth ? c.label : c.label.padEnd(labelWidth);
    return labeled(
      `  ${color[mark](mark)} ${label}  `,
      `${formatFieldValue(c, c.before)} -> ${formatFieldValue(c, c.after)}`,
      width,
    );
  });
}

/** ✓ / ✖ per guardrail; a refusal says which flag overrides it, if any. */
export function renderGuardrails(
  guardrails: readonly GuardrailResult[],
  blocking: readonly GuardrailResult[],
  options: ChangeViewOptions,
): string[] {
  const { palette: p, width } = options;
  return guardrails.flatMap((g) => {
    const blocks = blocking.includes(g);
    const mark = g.ok ? p.green('✓') : blocks ? p.red('✖') : p.yellow('!');
    const note = g.ok
      ? ''
      : blocks
        ? g.override
          ? ` (override: --${g.override})`
          : ' (no override)'
        : ` (overridden by --${g.override})`;
    return labeled(`  ${mark} `, `${g.message}${note}`, width);
  });
}

type Measure = {
  label: string;
  /** the engine's backtest measure this row is, when it has one */
  backtest?: string;
  value: (o: Partial<ReplayOutcome>, e: Effect) => number | undefined;
  format: (v: number) => string;
  /** a lower value is better (costs, minutes over an SLO); colors the change */
  lowerIsBetter?: boolean;
};

const rounded = (v: number) => formatCount(Math.round(v));

/** 10080 -> "10,080": whole numbers, grouped. */
export function formatCount(value: number): string {
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The measures of the effect table, in the order people ask about them. */
function measures(effect: Effect): Measure[] {
  const order = ['latency', 'errors', 'saturation'];
  const rank = (signal: string) => (order.includes(signal) ? order.indexOf(signal) : order.length);
  const signals = [
    ...new Set([
      ...Object.keys(effect.current.minutesOverSlo),
      ...Object.keys(effect.candidate.minutesOverSlo),
    ]),
  ].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const list: Measure[] = [
    {
      label: 'instance-hours',
      backtest: 'instance-hours',
      value: (o) => o.instanceHours,
      format: rounded,
      lowerIsBetter: true,
    },
    { label: '  on-demand', value: (o) => o.onDemandHours, format: rounded, lowerIsBetter: true },
    { label: '  spot', value: (o) => o.spotHours, format: rounded },
    {
      label: 'cost',
      backtest: 'cost',
      value: (o) => o.costUsd,
      format: formatUsd,
      lowerIsBetter: true,
    },
    {
      label: '  on-demand',
      value: (o, e) =>
        o.onDemandHours === undefined ? undefined : o.onDemandHours * e.prices.onDemandPerHour,
      format: formatUsd,
      lowerIsBetter: true,
    },
    {
      label: '  spot',
      value: (o, e) => (o.spotHours === undefined ? undefined : o.spotHours * e.prices.spotPerHour),
      format: formatUsd,
      lowerIsBetter: true,
    },
  ];
  if (signals.length > 0)
    list.push({ label: 'minutes over SLO', value: () => undefined, format: rounded });
  for (const signal of signals)
    for (const level of ['degraded', 'critical'] as const)
      list.push({
        label: `  ${signal} ${level}`,
        backtest: `minutes over the ${signal} SLO (${level})`,
        value: (o) => o.minutesOverSlo?.[signal]?.[level],
        format: rounded,
        lowerIsBetter: true,
      });
  if (
    effect.current.peakQueueAgeSeconds !== undefined ||
    effect.candidate.peakQueueAgeSeconds !== undefined
  )
    list.push({
      label: 'peak queue age',
      backtest: 'peak queue age',
      value: (o) => o.peakQueueAgeSeconds,
      format: (v) => formatDuration(v * 1000),
      lowerIsBetter: true,
    });
  list.push(
    { label: 'peak instances', value: (o) => o.peakInstances, format: rounded },
    {
      label: 'scaling activities',
      backtest: 'scaling activities',
      value: (o) => o.scalingActivities,
      format: rounded,
      lowerIsBetter: true,
    },
    { label: 'minutes at max', value: (o) => o.minutesAtMax, format: rounded, lowerIsBetter: true },
  );
  return list;
}

function change(m: Measure, from: number, to: number, p: Palette): string {
  const d = to - from;
  if (Math.abs(d) < 1e-9) return p.dim('=');
  const text = `${d > 0 ? '+' : '-'}${m.format(Math.abs(d)).replace(/^-/, '')}`;
  const share = (d / from) * 100;
  const pct =
    from !== 0
      ? ` ${d > 0 ? '+' : ''}${Math.abs(share) < 1 ? share.toFixed(1) : Math.round(share)}%`
      : '';
  const good = m.lowerIsBetter === undefined ? undefined : m.lowerIsBetter ? d < 0 : d > 0;
  const paint = good === undefined ? (s: string) => s : good ? p.green : p.red;
  return paint(`${text}${pct}`);
}

/** A backtest error as a percentage: "-0.3%", "exact", "n/a" (nothing recorded to divide by). */
function backtestCell(entry: Effect['backtest'][number] | undefined, p: Palette): string {
  if (!entry) return '';
  if (entry.relativeError === undefined)
    return entry.replayed === entry.actual ? p.dim('exact') : p.dim('n/a');
  const pct = entry.relativeError * 100;
  const text = `${pct >= 0 ? '+' : ''}${Math.abs(pct) < 10 ? pct.toFixed(1) : Math.round(pct)}%`;
  return Math.abs(pct) > 25 ? p.yellow(text) : text;
}

/**
 * The what-if: current vs candidate vs what was recorded, and per measure the backtest error
 * (how far the replay of the current configuration lands from what was recorded).
 */
export function renderEffect(effect: Effect, options: ChangeViewOptions): string[] {
  const { palette: p, width } = options;
  const minutesInWindow = Math.round(
    (effect.window.end - effect.window.start) / (effect.window.periodSeconds * 1000),
  );
  const lines = labeled(
    '  ',
    `Replayed ${formatTimestamp(effect.window.start)} to ${formatTimestamp(effect.window.end)}: ${formatCount(effect.coveredMinutes)} of ${formatCount(minutesInWindow)} minutes had traffic.`,
    width,
  ).map(p.dim);
  const actual = effect.actual;
  const backtest = new Map(effect.backtest.map((b) => [b.measure, b]));
  const header = [
    '',
    'current',
    'candidate',
    'change',
    ...(actual ? ['recorded'] : []),
    ...(effect.backtest.length ? ['backtest'] : []),
  ];
  const rows = measures(effect).flatMap((m) => {
    const cur = m.value(effect.current, effect);
    const cand = m.value(effect.candidate, effect);
    if (cur === undefined && cand === undefined)
      return m.backtest ? [] : [[m.label, '', '', '', ...header.slice(4).map(() => '')]];
    const rec = actual ? m.value(actual, effect) : undefined;
    return [
      [
        m.label,
        cur === undefined ? '—' : m.format(cur),
        cand === undefined ? '—' : m.format(cand),
        cur === undefined || cand === undefined ? '' : change(m, cur, cand, p),
        ...(actual ? [rec === undefined ? p.dim('—') : m.format(rec)] : []),
        ...(effect.backtest.length
          ? [backtestCell(m.backtest ? backtest.get(m.backtest) : undefined, p)]
          : []),
      ],
    ];
  });
  lines.push(
    ...renderTable(
      header.map((h, i) =>
        i === 0
          ? { header: h, shrink: true, minWidth: 14 }
          : { header: h, align: 'right' as const },
      ),
      rows,
      { width, indent: 2, header: p.dim },
    ),
  );
  const notes = [
    effect.backtest.length
      ? 'backtest: the error of the replay of the current configuration against what was recorded.'
      : 'Nothing was recorded to compare the replay with: its error is unknown; read these numbers as the model alone.',
    `Prices: ${priceLine(effect)}`,
    ...effect.assumptions,
  ];
  for (const note of notes) lines.push(...labeled('  · ', note, width).map(p.dim));
  return lines;
}

function priceLine(effect: Effect): string {
  const { onDemandPerHour, spotPerHour, source } = effect.prices;
  return `on-demand ${formatUsd(onDemandPerHour)}/h, spot ${formatUsd(spotPerHour)}/h (${source}).`;
}

/**
 * `text` wrapped to `width` after `prefix` (whose spaces are kept), continuing under the
 * text's first column.
 */
export function labeled(prefix: string, text: string, width: number): string[] {
  const indent = ' '.repeat(visibleWidth(prefix));
  return wrap(text, Math.max(20, width - indent.length), '', { breakWords: true }).map(
    (line, i) => (i === 0 ? prefix : indent) + line,
  );
}

export interface PlanViewOptions extends ChangeViewOptions {
  /** the guardrails that refuse the plan with the overrides given */
  blocking: readonly GuardrailResult[];
  /** lines shown instead of the diff (a Black-Friday schedule as a table) */
  changes?: string[];
}

/** A whole plan: title, diff, writes, effect, guardrails. */
export function renderPlan(plan: Plan, options: PlanViewOptions): string[] {
  const { palette: p, width } = options;
  const where = `${plan.target.group}${plan.target.tier ? ` (tier ${plan.target.tier})` : ''}`;
  const lines = [
    ...wrap(p.bold(plan.title), width, '  '),
    ...labeled(
      '',
      `${plan.id} · ${plan.kind} · ${where} · context ${plan.target.context}`,
      width,
    ).map(p.dim),
    ...(plan.revertOf ? [p.dim(`Reverts change ${plan.revertOf}.`)] : []),
    '',
    p.bold('Changes'),
    ...(options.changes ?? renderDiff(plan.diff, options)),
  ];
  if (plan.steps.length > 0)
    lines.push(
      '',
      p.bold('Writes'),
      ...plan.steps.flatMap((s, i) => wrap(`  ${i + 1}. ${s.description}`, width, '     ')),
    );
  lines.push('', p.bold('Effect (what-if over the recorded traffic)'));
  if (plan.effect) {
    lines.push(...renderEffect(plan.effect, options));
  } else
    lines.push(
      ...wrap(`  ${plan.effectUnavailable ?? 'Not replayed for this change.'}`, width, '  ').map(
        p.dim,
      ),
    );
  lines.push(
    '',
    p.bold('Guardrails'),
    ...renderGuardrails(plan.guardrails, options.blocking, options),
  );
  return lines;
}

const STATUS_WORDS: Record<ChangeRecord['status'], string> = {
  applied: 'APPLIED',
  unverified: 'UNVERIFIED',
  failed: 'FAILED',
  interrupted: 'INTERRUPTED',
  pending: 'PENDING',
};

export function statusText(status: ChangeRecord['status'], palette: Palette): string {
  const word = STATUS_WORDS[status];
  if (status === 'applied') return palette.green(`✓ ${word}`);
  if (status === 'failed') return palette.red(`✖ ${word}`);
  return palette.yellow(`! ${word}`);
}

function renderSteps(steps: readonly StepOutcome[], options: ChangeViewOptions): string[] {
  const { palette: p, width } = options;
  const mark: Record<StepOutcome['status'], string> = {
    applied: p.green('✓'),
    failed: p.red('✖'),
    'not-applied': p.dim('-'),
    unknown: p.yellow('?'),
  };
  return steps.flatMap((s) => [
    ...wrap(
      `  ${mark[s.status]} ${s.description}${s.status === 'not-applied' ? ' (not applied)' : ''}`,
      width,
      '    ',
    ),
    ...(s.error ? wrap(`    ${s.error}`, width, '    ').map(p.dim) : []),
  ]);
}

/** What an apply did: its change id, status, each write, and what to do next. */
export function renderApplyResult(result: ApplyResult, options: ChangeViewOptions): string[] {
  const { palette: p, width } = options;
  const headline =
    result.status === 'applied'
      ? `Change ${result.changeId} applied and read back.`
      : result.status === 'unverified'
        ? `Change ${result.changeId} was written, but the live state did not show it yet.`
        : `Change ${result.changeId} failed.`;
  const lines = [
    `${statusText(result.status, p)}  ${headline}`,
    ...renderSteps(result.steps, options),
  ];
  if (result.error && result.status !== 'failed')
    lines.push(...wrap(`  ${result.error}`, width, '  ').map(p.dim));
  lines.push(p.dim(`  Undo it: ballast changes revert ${result.changeId} --reason "..."`));
  return lines;
}

export interface ChangeListOptions extends ChangeViewOptions {
  /** the audit chain's state, shown as the last line */
  chain?: AuditChainReport;
}

/** The audit log, newest first: when, status, what, who and why. */
export function renderChangeList(
  records: readonly ChangeRecord[],
  options: ChangeListOptions,
): string[] {
  const { palette: p, width, now } = options;
  const lines: string[] = [];
  const cells = records.map((r) => ({
    cells: [r.changeId, formatAge(r.at, now), statusText(r.status, p), r.actor.user],
    what: `${r.revertOf ? 'Revert: ' : ''}${r.revertedBy.length ? '(reverted) ' : ''}${r.title}`,
  }));
  const head = [
    { header: 'change' },
    { header: 'when', align: 'right' as const },
    { header: 'status' },
    { header: 'by' },
  ];
  const { header, rows } = renderTableRows(
    head,
    cells.map((c) => c.cells),
    { width, header: p.dim },
  );
  if (records.length === 0) lines.push(p.dim('No changes recorded in this context.'));
  else if (width - visibleWidth(header) - 2 >= 30)
    // what each change did, in a last column that wraps
    lines.push(
      ...renderTable(
        [...head, { header: 'what', shrink: true, minWidth: 30, wrap: true }],
        cells.map((c) => [...c.cells, c.what]),
        { width, header: p.dim },
      ),
    );
  else
    // narrow: what it did on the lines beneath each change
    lines.push(
      header,
      ...rows.flatMap((row, i) => [...row, ...labeled('    ', cells[i]!.what, width).map(p.dim)]),
    );
  if (options.chain) lines.push('', renderChainLine(options.chain, p));
  return lines;
}

/** One line: the chain holds, or where it breaks. */
export function renderChainLine(report: AuditChainReport, p: Palette): string {
  return report.ok
    ? p.green(`✓ Audit chain intact: ${report.entries} entries.`)
    : p.red(`✖ Audit chain broken at entry #${report.brokenAt}: ${report.message}`);
}

/** One change in full: who, when, why, the diff, each write, how it ended. */
export function renderChangeRecord(record: ChangeRecord, options: ChangeViewOptions): string[] {
  const { palette: p, width, now } = options;
  const kv = (k: string, v: string) => labeled(p.dim(k.padEnd(10)), v, width);
  const lines = [
    ...wrap(p.bold(record.title), width, '  '),
    ...kv('change', `${record.changeId} · ${statusText(record.status, p)}`),
    ...kv(
      'kind',
      `${record.kind} · ${record.target.group}${record.target.tier ? ` (tier ${record.target.tier})` : ''} · context ${record.target.context}`,
    ),
    ...kv(
      'when',
      `${formatTimestamp(record.at)} (${formatAge(record.at, now)})${record.finishedAt !== undefined ? `, done in ${record.finishedAt - record.at < 1000 ? 'under a second' : formatDuration(record.finishedAt - record.at)}` : ''}`,
    ),
    ...kv('by', `${record.actor.user} as ${record.actor.principal} (${record.actor.via})`),
    ...kv('reason', record.reason || p.dim('(none given)')),
    ...kv('plan', record.planId),
  ];
  if (record.revertOf) lines.push(...kv('reverts', record.revertOf));
  if (record.revertedBy.length) lines.push(...kv('reverted', record.revertedBy.join(', ')));
  lines.push('', p.bold('Changes'), ...renderDiff(record.diff, options));
  if (record.steps.length) lines.push('', p.bold('Writes'), ...renderSteps(record.steps, options));
  if (record.error) lines.push('', ...wrap(record.error, width, '').map(p.dim));
  return lines;
}
