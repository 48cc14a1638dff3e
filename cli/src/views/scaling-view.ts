// `ballast scaling show` and `ballast workers show`: an Auto Scaling group as the change
// engine reads it (bounds, purchase options, scaling policies, scheduled actions).
import {
  replayMetricOf,
  type LiveGroup,
  type ScalingPolicy,
  type ScheduledAction,
} from '@ballast/core';
import { formatDuration, formatTimestamp } from '@ballast/core/format';
import type { Palette } from '../output/style.js';
import { renderTable } from '../output/table.js';
import { labeled } from './change-view.js';

export interface ScalingGroupView {
  group: LiveGroup;
  /** the platform config's tier of the group, and whether it serves web or works a queue */
  tier?: string;
  tierKind?: 'web' | 'worker';
  policies: ScalingPolicy[];
  scheduledActions: ScheduledAction[];
}

export interface ScalingViewOptions {
  palette: Palette;
  width: number;
}

const METRIC_WORDS: Record<string, string> = {
  cpu: 'CPU',
  'requests-per-target': 'requests per target',
  'backlog-per-instance': 'backlog per instance',
};

/** "CPU at 50", "backlog per instance at 20 (scale-in off)", "StepScaling". */
export function describePolicy(policy: ScalingPolicy): string {
  const tt = policy.targetTracking;
  if (!tt) return policy.type;
  const metric = replayMetricOf(tt.metric);
  const words = metric
    ? METRIC_WORDS[metric]
    : tt.metric.type === 'predefined'
      ? tt.metric.metric
      : 'a custom metric';
  const unit = metric === 'cpu' ? '%' : '';
  const notes = [
    tt.disableScaleIn ? 'scale-in off' : '',
    policy.estimatedInstanceWarmup !== undefined
      ? `warm-up ${formatDuration(policy.estimatedInstanceWarmup * 1000)}`
      : '',
    policy.enabled ? '' : 'disabled',
  ].filter(Boolean);
  return `${words} at ${tt.targetValue}${unit}${notes.length ? ` (${notes.join(', ')})` : ''}`;
}

/** "on-demand base 2, then 70% spot (price-capacity-optimized)", or on-demand only. */
export function describePurchase(group: LiveGroup): string {
  const d = group.distribution;
  if (!d) return 'on-demand only (no mixed instances policy)';
  const spot = 100 - d.onDemandPercentageAboveBaseCapacity;
  return `on-demand base ${d.onDemandBaseCapacity}, then ${spot}% spot (${d.spotAllocationStrategy})`;
}

/** When a scheduled action runs: its start, or its cron with its time zone. */
export function describeWhen(action: ScheduledAction): string {
  if (action.recurrence)
    return `cron ${action.recurrence} (${action.timeZone ?? 'UTC'})${action.endTime !== undefined ? ` until ${formatTimestamp(action.endTime)}` : ''}`;
  return action.startTime !== undefined ? formatTimestamp(action.startTime) : '—';
}

export function renderScalingGroup(view: ScalingGroupView, options: ScalingViewOptions): string[] {
  const { palette: p, width } = options;
  const g = view.group;
  const kv = (k: string, v: string) => labeled(`  ${p.dim(k.padEnd(11))}`, v, width);
  const lines = [
    `${p.bold(g.name)}${view.tier ? p.dim(`  tier ${view.tier}${view.tierKind ? ` (${view.tierKind})` : ''}`) : ''}`,
    ...kv(
      'capacity',
      `min ${g.min} · desired ${g.desired} · max ${g.max} · in service ${g.inService}`,
    ),
    ...kv('purchase', describePurchase(g)),
    ...kv(
      'instances',
      `${g.instanceTypes.join(', ') || '—'}${g.defaultInstanceWarmup !== undefined ? ` · default warm-up ${formatDuration(g.defaultInstanceWarmup * 1000)}` : ''}`,
    ),
    '',
    `  ${p.bold('Scaling policies')}`,
  ];
  if (view.policies.length === 0) lines.push(p.dim('    none'));
  else
    lines.push(
      ...renderTable(
        [
          { header: 'policy', shrink: 1, minWidth: 12 },
          { header: 'type' },
          { header: 'tracks', shrink: 2, minWidth: 16, wrap: true },
        ],
        [...view.policies]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((pol) => [
            pol.name,
            pol.type.replace('Scaling', ''),
            pol.targetTracking ? describePolicy(pol) : p.dim('(not changed by Ballast)'),
          ]),
        { width, indent: 4, header: p.dim },
      ),
    );
  lines.push('', `  ${p.bold('Scheduled actions')}`);
  if (view.scheduledActions.length === 0) lines.push(p.dim('    none'));
  else
    lines.push(
      ...renderTable(
        [
          { header: 'action', shrink: 1, minWidth: 12 },
          { header: 'when', shrink: 2, minWidth: 16 },
          { header: 'min', align: 'right' },
          { header: 'desired', align: 'right' },
          { header: 'max', align: 'right' },
        ],
        [...view.scheduledActions]
          .sort(
            (a, b) =>
              (a.startTime ?? Infinity) - (b.startTime ?? Infinity) || a.name.localeCompare(b.name),
          )
          .map((a) => [
            a.name,
            describeWhen(a),
            a.min === undefined ? '-' : String(a.min),
            a.desired === undefined ? '-' : String(a.desired),
            a.max === undefined ? '-' : String(a.max),
          ]),
        { width, indent: 4, header: p.dim },
      ),
    );
  return lines;
}
