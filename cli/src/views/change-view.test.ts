import type { ChangeRecord, Effect, GuardrailResult, Plan } from '@ballast/core';
import { describe, expect, it } from 'vitest';
import { createPalette } from '../output/style.js';
import { stripAnsi, visibleWidth } from '../output/text.js';
import {
  formatUsd,
  renderChangeList,
  renderChainLine,
  renderDiff,
  renderEffect,
  renderGuardrails,
  renderPlan,
} from './change-view.js';
import { describePolicy, describePurchase, renderScalingGroup } from './scaling-view.js';

const plain = createPalette(false);
const color = createPalette(true);
const NOW = Date.UTC(2026, 10, 20, 15, 0);
const opts = { palette: plain, width: 80, now: NOW };

const outcome = (over: Partial<Effect['current']> = {}): Effect['current'] => ({
  instanceHours: 1208,
  onDemandHours: 675,
  spotHours: 533,
  costUsd: 82.71,
  minutesOverSlo: { latency: { degraded: 37, critical: 0 }, errors: { degraded: 0, critical: 0 } },
  peakInstances: 30,
  scalingActivities: 230,
  minutesAtMax: 305,
  ...over,
});

const effect: Effect = {
  window: { start: NOW - 7 * 86_400_000, end: NOW, periodSeconds: 60 },
  coveredMinutes: 10_080,
  current: outcome(),
  candidate: outcome({
    instanceHours: 1559,
    onDemandHours: 785,
    spotHours: 774,
    costUsd: 101.35,
    minutesOverSlo: { latency: { degraded: 3, critical: 0 }, errors: { degraded: 0, critical: 0 } },
  }),
  actual: {
    instanceHours: 1211,
    costUsd: 82.94,
    minutesOverSlo: {
      latency: { degraded: 52, critical: 0 },
      errors: { degraded: 35, critical: 35 },
    },
  },
  backtest: [
    {
      measure: 'instance-hours',
      replayed: 1208,
      actual: 1211,
      relativeError: -0.0025,
      sentence: 's',
    },
    {
      measure: 'minutes over the errors SLO (degraded)',
      replayed: 0,
      actual: 35,
      relativeError: -1,
      sentence: 's',
    },
    {
      measure: 'minutes over the latency SLO (critical)',
      replayed: 0,
      actual: 0,
      sentence: 's',
    },
  ],
  assumptions: ['Failures capacity does not cause are not replayed.'],
  prices: { onDemandPerHour: 0.096, spotPerHour: 0.0336, source: 'the public price' },
};

const guardrails: GuardrailResult[] = [
  { id: 'capacity-bounds', ok: true, message: 'min 2 <= desired 8 <= max 30.', actions: [] },
  {
    id: 'step-size',
    ok: false,
    message: 'A step of 150% of capacity.',
    override: 'force',
    actions: [],
  },
  { id: 'spot-bounds', ok: false, message: 'Spot 30% is outside 50-100%.', actions: [] },
];

const plan: Plan = {
  format: 'ballast.change-plan',
  version: 1,
  id: 'plan-0123456789ab',
  kind: 'target-tracking-policy',
  title: 'Target tracking of store-web on CPU: 70 -> 50',
  target: { context: 'sandbox', group: 'store-web', tier: 'web', policyName: 'store-web-cpu70' },
  createdAt: NOW,
  before: {},
  after: {},
  diff: [
    { field: 'policy.targetTracking.targetValue', label: 'Target value', before: 70, after: 50 },
  ],
  steps: [
    {
      description: 'Update target-tracking policy store-web-cpu70 of store-web (CPU at 50)',
      write: {
        op: 'DeletePolicy',
        group: 'store-web',
        policyName: 'x',
      },
    },
  ],
  effect,
  guardrails,
  overrides: [],
  fingerprint: 'f',
};

describe('renderDiff', () => {
  it('marks each field added, removed or changed, and shows times as timestamps', () => {
    const lines = renderDiff(
      [
        { field: 'max', label: 'Max size', before: 20, after: 40, unit: 'instances' },
        {
          field: 'actions[bf-warm].startTime',
          label: 'bf-warm: Start time',
          after: Date.UTC(2026, 10, 26, 23, 35),
          unit: 'epoch ms',
        },
        { field: 'actions[old].min', label: 'old: Min size', before: 4 },
      ],
      opts,
    );
    expect(lines).toEqual([
      '  ~ Max size             20 instances -> 40 instances',
      '  + bf-warm: Start time  (none) -> 2026-11-26 23:35:00 UTC',
      '  - old: Min size        4 -> (none)',
    ]);
  });

  it('given no difference, then it says the live state already is the plan', () => {
    expect(renderDiff([], opts)).toEqual(['  No difference: the live state already is the plan.']);
  });
});

describe('renderGuardrails', () => {
  it('names the flag of a refusal that may be overridden, says when none may, and when one was', () => {
    expect(renderGuardrails(guardrails, guardrails.slice(1), opts)).toEqual([
      '  ✓ min 2 <= desired 8 <= max 30.',
      '  ✖ A step of 150% of capacity. (override: --force)',
      '  ✖ Spot 30% is outside 50-100%. (no override)',
    ]);
    expect(renderGuardrails(guardrails, guardrails.slice(2), opts)[1]).toBe(
      '  ! A step of 150% of capacity. (overridden by --force)',
    );
  });
});

describe('renderEffect', () => {
  it('puts current, candidate, the change, what was recorded and the backtest error side by side', () => {
    const lines = renderEffect(effect, opts);
    const row = (label: string) => lines.find((l) => l.trimStart().startsWith(label));

    expect(row('instance-hours') ?? lines.join('\n')).toMatch(
      /^ {2}instance-hours +1,208 +1,559 +\+351 \+29% +1,211 +-0\.3%$/,
    );
    expect(row('cost')).toMatch(/\$82\.71 +\$101\.35 +\+\$18\.64 \+23% +\$82\.94$/);
    expect(row('errors degraded')).toMatch(/0 +0 += +35 +-100%$/);
    expect(row('latency critical')).toMatch(/0 +0 += +0 +exact$/);
    // latency before errors, whatever order the effect lists them in
    expect(lines.findIndex((l) => l.includes('latency degraded'))).toBeLessThan(
      lines.findIndex((l) => l.includes('errors degraded')),
    );
    expect(lines.join('\n')).toContain('· Failures capacity does not cause are not replayed.');
  });

  it('given nothing recorded to compare with, then it says the error is unknown', () => {
    const { actual: _actual, ...rest } = effect;
    const lines = renderEffect({ ...rest, backtest: [] }, opts);
    expect(lines.join(' ')).toContain('its error is unknown');
    expect(lines.join('\n')).not.toMatch(/recorded +backtest/);
  });

  it('colors a change for the better green and for the worse red', () => {
    const lines = renderEffect(effect, { ...opts, palette: color });
    const cost = lines.find((l) => stripAnsi(l).trimStart().startsWith('cost'))!;
    expect(cost).toContain('\u001b[31m+$18.64 +23%\u001b[39m');
    const latency = lines.find((l) => stripAnsi(l).includes('latency degraded'))!;
    expect(latency).toContain('\u001b[32m-34 -92%\u001b[39m');
  });
});

describe('renderPlan', () => {
  it.each([80, 120])('fits %i columns: title, changes, writes, effect, guardrails', (width) => {
    const lines = renderPlan(plan, { ...opts, width, blocking: guardrails.slice(1) });
    expect(lines.filter((line) => visibleWidth(line) > width)).toEqual([]);
    const text = lines.join('\n');
    for (const heading of ['Changes', 'Writes', 'Effect (what-if', 'Guardrails'])
      expect(text).toContain(`\n${heading}`);
    expect(lines[0]).toBe('Target tracking of store-web on CPU: 70 -> 50');
  });

  it('given no effect, then it says why', () => {
    const { effect: _effect, ...rest } = plan;
    const text = renderPlan(
      { ...rest, effectUnavailable: 'No traffic of store-web was recorded in the last 7 days.' },
      { ...opts, blocking: [] },
    ).join('\n');
    expect(text).toContain('No traffic of store-web was recorded in the last 7 days.');
  });
});

describe('the audit views', () => {
  const record: ChangeRecord = {
    changeId: 'chg-20261120-145000-1a2b',
    kind: 'worker-fleet',
    title: 'Worker fleet store-workers: max size, on-demand above base',
    target: { context: 'sandbox', group: 'store-workers', tier: 'workers' },
    actor: { principal: 'arn:aws:iam::123456789012:user/test', user: 'jane', via: 'cli' },
    reason: 'backlog',
    at: NOW - 10 * 60_000,
    finishedAt: NOW - 10 * 60_000 + 1500,
    status: 'applied',
    planId: 'plan-1',
    revertedBy: [],
    before: {},
    after: {},
    diff: [],
    steps: [],
  };

  it('lists changes newest first with when, status, who and what, the chain last; the title wraps, never cut', () => {
    const lines = renderChangeList([record], {
      ...opts,
      width: 60,
      chain: { ok: true, entries: 2, headHash: 'h' },
    });
    expect(lines[1]).toMatch(/^chg-20261120-145000-1a2b {2}10m ago {2}✓ APPLIED {2}jane$/);
    expect(lines[2]).toMatch(/^ {4}Worker fleet store-workers/);
    const wide = renderChangeList([record], { ...opts, width: 100 });
    expect(wide[1]).toMatch(/jane {2}Worker fleet store-workers: max size, on-demand$/);
    expect(wide[2]).toMatch(/^ {50,}above base$/);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toContain('max size, on-demand above base');
    expect(lines.join('')).not.toContain('…');
    for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(60);
    expect(lines.at(-1)).toBe('✓ Audit chain intact: 2 entries.');
  });

  it('says where a broken chain breaks', () => {
    expect(
      renderChainLine(
        {
          ok: false,
          entries: 4,
          brokenAt: 2,
          changeId: 'chg-1',
          problem: 'edited',
          message: 'entry #2 (change chg-1, outcome) was edited',
        },
        plain,
      ),
    ).toBe('✖ Audit chain broken at entry #2: entry #2 (change chg-1, outcome) was edited');
  });
});

describe('scaling view', () => {
  it('describes policies, the purchase mix and scheduled actions', () => {
    const tracking = {
      name: 'w',
      type: 'TargetTrackingScaling' as const,
      enabled: true,
      estimatedInstanceWarmup: 180,
      targetTracking: {
        metric: {
          type: 'customized' as const,
          metric: {
            namespace: 'AWS/SQS',
            metricName: 'ApproximateNumberOfMessagesVisible',
            dimensions: [],
            stat: 'Sum',
          },
        },
        targetValue: 16,
        disableScaleIn: true,
      },
    };
    expect(describePolicy(tracking)).toBe('backlog per instance at 16 (scale-in off, warm-up 3m)');
    const group = {
      name: 'store-web',
      min: 2,
      max: 30,
      desired: 8,
      inService: 8,
      distribution: {
        onDemandBaseCapacity: 2,
        onDemandPercentageAboveBaseCapacity: 30,
        spotAllocationStrategy: 'price-capacity-optimized' as const,
      },
      instanceTypes: ['m6i.large'],
    };
    expect(describePurchase(group)).toBe(
      'on-demand base 2, then 70% spot (price-capacity-optimized)',
    );
    const lines = renderScalingGroup(
      {
        group,
        tier: 'web',
        tierKind: 'web',
        policies: [tracking],
        scheduledActions: [
          { name: 'nightly', recurrence: '0 2 * * *', timeZone: 'Europe/Paris', desired: 4 },
        ],
      },
      { palette: plain, width: 80 },
    );
    expect(lines).toContain('  capacity   min 2 · desired 8 · max 30 · in service 8');
    expect(lines.join('\n')).toMatch(/nightly +cron 0 2 \* \* \* \(Europe\/Paris\) +- +4 +-/);
    expect(formatUsd(1234.5)).toBe('$1,235');
    expect(formatUsd(-3.1)).toBe('-$3.10');
  });
});
