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
import { formatAge, formatDuration, formatNumber, formatTimestamp } from '@ballast/core/format';
import type { Palette } from '../output/style.js';
import { renderTable } from '../output/table.js';
import { wrap } from '../output/text.js';

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
  const labelWidth = Math.min(34, Math.max(...diff.map((c) => c.label.length)));
  return diff.flatMap((c) => {
    const mark = diffMark(c);
    const label = c.label.padEnd(labelWidth);
    const text = `${formatFieldValue(c, c.before)} -> ${formatFieldValue(c, c.after)}`;
    const indent = ' '.repeat(4 + labelWidth + 2);
    return wrap(`  ${mark} ${label}  ${text}`, width, indent, { breakWords: true }).map(
      (line, i) => (i === 0 ? `  ${color[mark](mark)}${line.slice(3)}` : line),
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
    return wrap(`  ${mark} ${g.message}${note}`, width, '    ');
  });
}

type Measure = {
  label: string;
  value: (o: Partial<ReplayOutcome>, e: Effect) => number | undefined;
  format: (v: number) => string;
  /** a lower value is better (costs, minutes over an SLO); colors the change */
  lowerIsBetter?: boolean;
};

const hours = (v: number) => formatNumber(Math.round(v));
const minutes = (v: number) => formatNumber(Math.round(v));

/** The measures of the effect table, in the order people ask about them. */
function measures(effect: Effect): Measure[] {
  const signals = [
    ...new Set([
      ...Object.keys(effect.current.minutesOverSlo),
      ...Object.keys(effect.candidate.minutesOverSlo),
    ]),
  ];
  const list: Measure[] = [
    {
      label: 'instance-hours',
      value: (o) => o.instanceHours,
      format: hours,
      lowerIsBetter: true,
    },
    { label: '  on-demand', value: (o) => o.onDemandHours, format: hours, lowerIsBetter: true },
    { label: '  spot', value: (o) => o.spotHours, format: hours },
    { label: 'cost', value: (o) => o.costUsd, format: formatUsd, lowerIsBetter: true },
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
  for (const signal of signals)
    for (const level of ['degraded', 'critical'] as const)
      list.push({
        label: `min over ${signal} SLO (${level})`,
        value: (o) => o.minutesOverSlo?.[signal]?.[level],
        format: minutes,
        lowerIsBetter: true,
      });
  if (
    effect.current.peakQueueAgeSeconds !== undefined ||
    effect.candidate.peakQueueAgeSeconds !== undefined
  )
    list.push({
      label: 'peak queue age',
      value: (o) => o.peakQueueAgeSeconds,
      format: (v) => formatDuration(v * 1000),
      lowerIsBetter: true,
    });
  list.push(
    { label: 'peak instances', value: (o) => o.peakInstances, format: formatNumber },
    {
      label: 'scaling activities',
      value: (o) => o.scalingActivities,
      format: formatNumber,
      lowerIsBetter: true,
    },
    { label: 'minutes at max', value: (o) => o.minutesAtMax, format: minutes, lowerIsBetter: true },
  );
  return list;
}

function change(m: Measure, from: number, to: number, p: Palette): string {
  const d = to - from;
  if (Math.abs(d) < 1e-9) return p.dim('=');
  const text = `${d > 0 ? '+' : '-'}${m.format(Math.abs(d)).replace(/^-/, '')}`;
  const pct = from !== 0 ? ` ${d > 0 ? '+' : ''}${Math.round((d / from) * 100)}%` : '';
  const good = m.lowerIsBetter === undefined ? undefined : m.lowerIsBetter ? d < 0 : d > 0;
  const paint = good === undefined ? (s: string) => s : good ? p.green : p.red;
  return paint(`${text}${pct}`);
}

/** The what-if: current vs candidate vs what was recorded, with the backtest stated. */
export function renderEffect(effect: Effect, options: ChangeViewOptions): string[] {
  const { palette: p, width } = options;
  const minutesInWindow = Math.round(
    (effect.window.end - effect.window.start) / (effect.window.periodSeconds * 1000),
  );
  const lines = wrap(
    `  Replayed ${formatTimestamp(effect.window.start)} to ${formatTimestamp(effect.window.end)} (${formatNumber(effect.coveredMinutes)} of ${formatNumber(minutesInWindow)} minutes with traffic).`,
    width,
    '  ',
  ).map(p.dim);
  const actual = effect.actual;
  const header = ['', 'current', 'candidate', 'change', ...(actual ? ['recorded'] : [])];
  const rows = measures(effect).flatMap((m) => {
    const cur = m.value(effect.current, effect);
    const cand = m.value(effect.candidate, effect);
    if (cur === undefined && cand === undefined) return [];
    const rec = actual ? m.value(actual, effect) : undefined;
    return [
      [
        m.label,
        cur === undefined ? '—' : m.format(cur),
        cand === undefined ? '—' : m.format(cand),
        cur === undefined || cand === undefined ? '' : change(m, cur, cand, p),
        ...(actual ? [rec === undefined ? p.dim('—') : m.format(rec)] : []),
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
  lines.push(
    '',
    `  ${p.bold('Backtest')} ${p.dim('(the replay of the current configuration vs what was recorded)')}`,
  );
  if (effect.backtest.length === 0)
    lines.push(
      ...wrap(
        '  Nothing recorded to compare with: the backtest error is unknown, so read these numbers as the model alone.',
        width,
        '  ',
      ),
    );
  for (const b of effect.backtest) lines.push(...wrap(`  - ${b.sentence}`, width, '    '));
  lines.push(...wrap(`  Prices: ${priceLine(effect)}`, width, '    ').map(p.dim));
  return lines;
}

function priceLine(effect: Effect): string {
  const { onDemandPerHour, spotPerHour, source } = effect.prices;
  return `on-demand ${formatUsd(onDemandPerHour)}/h, spot ${formatUsd(spotPerHour)}/h (${source}).`;
}

/** The assumptions behind an effect, for --verbose. */
export function renderAssumptions(effect: Effect, options: ChangeViewOptions): string[] {
  const { palette: p, width } = options;
  return effect.assumptions.flatMap((a) => wrap(`  - ${a}`, width, '    ').map(p.dim));
}

export interface PlanViewOptions extends ChangeViewOptions {
  /** the guardrails that refuse the plan with the overrides given */
  blocking: readonly GuardrailResult[];
  /** show the effect's assumptions */
  verbose?: boolean;
  /** lines shown instead of the diff (a Black-Friday schedule as a table) */
  changes?: string[];
}

/** A whole plan: title, diff, writes, effect, guardrails. */
export function renderPlan(plan: Plan, options: PlanViewOptions): string[] {
  const { palette: p, width } = options;
  const where = `${plan.target.group}${plan.target.tier ? ` (tier ${plan.target.tier})` : ''}`;
  const lines = [
    ...wrap(p.bold(plan.title), width, '  '),
    p.dim(`${plan.id} · ${plan.kind} · ${where} · context ${plan.target.context}`),
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
    if (options.verbose)
      lines.push(p.dim('  Assumptions:'), ...renderAssumptions(plan.effect, options));
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
  if (records.length === 0) lines.push(p.dim('No changes recorded in this context.'));
  else
    lines.push(
      ...renderTable(
        [
          { header: 'change' },
          { header: 'when', align: 'right' },
          { header: 'status' },
          { header: 'what', shrink: true, minWidth: 20 },
          { header: 'by', shrink: 2, minWidth: 8 },
        ],
        records.map((r) => [
          r.changeId,
          formatAge(r.at, now),
          statusText(r.status, p),
          `${r.revertedBy.length ? '(reverted) ' : ''}${r.title}`,
          r.actor.user,
        ]),
        { width, header: p.dim },
      ),
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
  const kv = (k: string, v: string) => wrap(`${p.dim(k.padEnd(10))}${v}`, width, ' '.repeat(10));
  const lines = [
    ...wrap(p.bold(record.title), width, '  '),
    ...kv('change', `${record.changeId} · ${statusText(record.status, p)}`),
    ...kv(
      'kind',
      `${record.kind} · ${record.target.group}${record.target.tier ? ` (tier ${record.target.tier})` : ''} · context ${record.target.context}`,
    ),
    ...kv(
      'when',
      `${formatTimestamp(record.at)} (${formatAge(record.at, now)})${record.finishedAt !== undefined ? `, done in ${formatDuration(record.finishedAt - record.at)}` : ''}`,
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
