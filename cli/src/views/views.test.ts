import type { Alarm, PlatformHealth } from '@ballast/core';
import { describe, expect, it } from 'vitest';
import { createPalette } from '../output/style.js';
import { stripAnsi, visibleWidth } from '../output/text.js';
import { formatAlarmThreshold, renderAlarms, sortAlarms } from './alarms-view.js';
import { renderHealth, renderHealthScreen } from './health-view.js';

const now = Date.UTC(2025, 10, 23, 20, 0, 0);
const minute = 60_000;
const points = (values: number[]) =>
  values.map((v, i) => ({ t: now - (values.length - i) * minute, v }));

const firing: Alarm = {
  name: 'store-web-p99-latency-high',
  state: 'ALARM',
  stateReason:
    'Threshold Crossed: 3 datapoints [0.82, 0.79, 0.91] were greater than the threshold (0.5).',
  stateUpdatedAt: now - 12 * minute,
  metricName: 'TargetResponseTime',
  namespace: 'AWS/ApplicationELB',
  statistic: 'p99',
  dimensions: [],
  threshold: 0.5,
  comparison: 'GreaterThanThreshold',
  tier: 'web',
};

const health: PlatformHealth = {
  platform: '3d-store',
  context: 'sandbox',
  evaluatedAt: now - 5_000,
  window: { start: now - 60 * minute, end: now },
  status: 'degraded',
  tiers: [
    {
      tier: 'web',
      title: 'Web — ALB and the web Auto Scaling group',
      status: 'degraded',
      reasons: ['p99 latency 640 ms is above the 500 ms SLO'],
      sourceFailures: [],
      signals: [
        {
          signal: 'traffic',
          label: 'requests',
          unit: 'req/min',
          current: 12_400,
          points: points(Array(60).fill(12_000)),
          status: 'ok',
          alarms: [],
        },
        {
          signal: 'errors',
          label: '5xx error rate',
          unit: '%',
          current: 0.03,
          points: points([0.01, 0.02, 0.04, 0.03]),
          threshold: { degraded: 0.5, critical: 2 },
          status: 'ok',
          alarms: [],
        },
        {
          signal: 'latency',
          label: 'p99 target response time',
          unit: 'ms',
          current: 640,
          points: points([200, 300, 450, 520, 640, 1300]),
          threshold: { degraded: 500, critical: 1200 },
          status: 'degraded',
          alarms: [],
        },
        {
          signal: 'saturation',
          label: 'average CPU',
          unit: '%',
          current: null,
          points: [],
          threshold: { degraded: 80, critical: 92 },
          status: 'unknown',
          alarms: [],
        },
      ],
      alarms: [firing],
    },
  ],
  firingAlarms: [firing],
  groups: [
    {
      name: 'store-web',
      tier: 'web',
      min: 2,
      max: 20,
      desired: 6,
      inService: 5,
      onDemand: 4,
      spot: 2,
    },
  ],
  activities: [
    {
      id: 'a1',
      group: 'store-web',
      status: 'Successful',
      description: 'Launching a new EC2 instance: i-0abc',
      cause: 'An alarm triggered a policy',
      startTime: now - 4 * minute,
    },
    {
      id: 'a0',
      group: 'store-web',
      status: 'Successful',
      description: 'Terminating EC2 instance: i-0old',
      cause: '',
      startTime: now - 90 * minute,
    },
  ],
  sources: [
    { source: 'cloudwatch', ok: true, fetchedAt: now - 5_000 },
    {
      source: 'autoscaling',
      ok: false,
      error: {
        kind: 'access-denied',
        message: 'not authorized',
        iamAction: 'autoscaling:DescribeScalingActivities',
      },
    },
  ],
};

const context = { name: 'sandbox', region: 'us-east-1', endpointUrl: 'http://127.0.0.1:4566' };
const errorContext = { contextName: 'sandbox', region: 'us-east-1', sandbox: true };

describe('renderHealth', () => {
  const lines = renderHealth(health, {
    palette: createPalette(false),
    width: 100,
    now,
    context,
    errorContext,
  });
  const text = lines.join('\n');

  it('leads with the platform, its status and the number of firing alarms', () => {
    expect(lines[0]).toBe('3d-store  ▲ DEGRADED  1 alarm firing');
  });

  it('shows each signal with its current value, SLO and a sparkline of the window', () => {
    expect(text).toContain('▲ DEGRADED  web  Web — ALB and the web Auto Scaling group');
    expect(text).toContain('› p99 latency 640 ms is above the 500 ms SLO');
    expect(text).toMatch(/last 1h/);
    const latency = lines.find((l) => l.includes('▲ latency')) ?? '';
    expect(latency).toMatch(/p99 target response time +640 ms +500 ms \/ 1\.2 s +▂▃▃▄▄█$/);
    expect(lines.find((l) => l.includes('● traffic'))).toMatch(/12\.4K req\/min +— +█{20,30}$/);
    // Far below its SLO, an error rate stays at the floor instead of magnifying noise.
    expect(lines.find((l) => l.includes('● errors'))).toMatch(/0\.03% +0\.5% \/ 2% +▁▁▂▁$/);
    expect(lines.find((l) => l.includes('? saturation'))).toMatch(
      /no data .*80% \/ 92% +no data in window$/,
    );
  });

  it('lists firing alarms, Auto Scaling state with the latest activity, and where the data came from', () => {
    expect(text).toMatch(
      /✖ store-web-p99-latency-high \[web\] {2}since 12m ago {2}Threshold Crossed/,
    );
    expect(text).toMatch(
      /store-web +web +5 of 6 +2–20 +4\/2\n {4}└ 4m ago: Launching a new EC2 instance: i-0abc$/m,
    );
    expect(text).toContain(
      'context sandbox · us-east-1 · http://127.0.0.1:4566 · evaluated 2025-11-23 19:59:55 UTC (5s ago)',
    );
  });

  it('names each degraded source with its reason and the action to take', () => {
    expect(text).toContain('Degraded sources (1 of 2)');
    expect(text).toContain('▲ autoscaling: access denied — not authorized');
    expect(text).toMatch(
      /Try this:\n {4}• Grant autoscaling:DescribeScalingActivities to the IAM identity of your credentials\./,
    );
  });

  it.each([80, 100])('fits %i columns', (width) => {
    for (const line of renderHealth(health, {
      palette: createPalette(true),
      width,
      now,
      context,
      errorContext,
    }))
      expect(visibleWidth(line)).toBeLessThanOrEqual(width);
  });

  it('colors only when the palette does, and colors the buckets that breach the SLO', () => {
    expect(text).not.toContain('\u001b[');
    const colored = renderHealth(health, {
      palette: createPalette(true),
      width: 100,
      now,
      context,
      errorContext,
    });
    const latency = colored.find((l) => stripAnsi(l).includes('target response time')) ?? '';
    expect(latency).toContain('\u001b[31m█\u001b[39m'); // 1300 ms >= 1200 critical
    expect(latency).toContain('\u001b[33m▄\u001b[39m'); // 640 ms >= 500 degraded
    expect(latency).toContain('▂'); // 200 ms: uncolored
  });

  it('when a source is down for every tier, then says it once at the top, with the age of the stored data', () => {
    const down =
      'Metrics unavailable — unreachable: connect ECONNREFUSED; charts show stored history (newest datapoint 1m old)';
    const failure = { source: 'cloudwatch-metrics', reason: down };
    const outage: PlatformHealth = {
      ...health,
      status: 'unknown',
      tiers: [
        {
          ...health.tiers[0]!,
          reasons: [down, 'p99 latency 640 ms is above the 500 ms SLO'],
          sourceFailures: [failure],
        },
        { ...health.tiers[0]!, tier: 'data', reasons: [down], sourceFailures: [failure] },
      ],
      sources: [
        {
          source: 'cloudwatch-metrics',
          ok: false,
          dataAsOf: now - minute,
          ageMs: minute,
          error: { kind: 'unreachable', message: 'ECONNREFUSED' },
        },
        {
          source: 'autoscaling',
          ok: false,
          error: { kind: 'unreachable', message: 'ECONNREFUSED' },
        },
      ],
    };
    const out = renderHealth(outage, {
      palette: createPalette(false),
      width: 80,
      now,
      context,
      errorContext,
    });
    const text = out.join('\n');
    // Said once, at the top, with the age of what is shown instead; not once per tier.
    expect(text).not.toContain('Metrics unavailable');
    expect(out.slice(1, 4)).toEqual([
      '› cloudwatch-metrics: endpoint unreachable — showing stored data, newest 1m ago',
      '  (2025-11-23 19:59:00 UTC), not live',
      '› autoscaling: endpoint unreachable — no Auto Scaling state',
    ]);
    expect(text).toContain('› p99 latency 640 ms is above the 500 ms SLO');
    // Each tier says "stale" in a word instead of repeating the failure.
    expect(text).toMatch(/^▲ DEGRADED {2}web {2}\(stale\) {2}Web — /m);
    expect(text).toMatch(/^▲ DEGRADED {2}data {2}\(stale\) /m);
    // The footer gives each failed source's age of what is shown instead.
    expect(text.replace(/\n\s*/g, ' ')).toContain(
      '▲ cloudwatch-metrics: endpoint unreachable — ECONNREFUSED · showing stored data, newest 1m ago',
    );
    expect(text.replace(/\n\s*/g, ' ')).toContain(
      '▲ autoscaling: endpoint unreachable — ECONNREFUSED · nothing stored to show instead',
    );
    // The same advice for both sources, given once.
    expect(text.split('Start the sandbox in another terminal: ballast sandbox')).toHaveLength(2);
  });

  it('when the alarms could not be read, then the headline says they are unknown and why, never "no alarms firing"', () => {
    const reason = 'Alarms unavailable — access-denied: not authorized';
    const unknown: PlatformHealth = {
      ...health,
      status: 'unknown',
      firingAlarms: null,
      tiers: [
        {
          ...health.tiers[0]!,
          status: 'unknown',
          reasons: [reason],
          sourceFailures: [{ source: 'cloudwatch-alarms', reason }],
          alarms: [],
        },
      ],
      sources: [
        {
          source: 'cloudwatch-alarms',
          ok: false,
          error: {
            kind: 'access-denied',
            message: 'not authorized',
            iamAction: 'cloudwatch:DescribeAlarms',
          },
        },
      ],
    };
    const out = renderHealth(unknown, {
      palette: createPalette(false),
      width: 100,
      now,
      context,
      errorContext,
    });
    const text = out.join('\n');
    expect(out[0]).toBe('3d-store  ? UNKNOWN  alarms unknown: access denied');
    expect(text).not.toContain('no alarms firing');
    expect(out[1]).toBe('› cloudwatch-alarms: access denied — which alarms fire is unknown');
    expect(text).not.toContain(reason); // the footer gives the details, once
    expect(text).toMatch(/^\? UNKNOWN {2}web {2}\(alarms unknown\) {2}Web — /m);
    expect(text).toContain('Grant cloudwatch:DescribeAlarms');
  });
});

describe('renderHealthScreen', () => {
  /** Seven tiers with a firing alarm each: a report far taller than a 24-line terminal. */
  const tall: PlatformHealth = {
    ...health,
    tiers: ['edge', 'web', 'workers', 'data', 'search', 'cache', 'media'].map((tier) => ({
      ...health.tiers[0]!,
      tier,
    })),
    firingAlarms: Array.from({ length: 5 }, (_, i) => ({
      ...firing,
      name: `alarm-${i}`,
      stateUpdatedAt: now - i * minute,
    })),
  };
  const screen = (rows: number, columns = 80, report = tall) =>
    renderHealthScreen(report, {
      palette: createPalette(false),
      width: Math.min(columns, 100), // as detectTerminal gives it
      now,
      context,
      errorContext,
      rows,
      status: 'Refreshing every 15s · Ctrl-C to stop',
    });

  it('given the full report fits, then it is the full report with the status line', () => {
    const full = renderHealth(tall, {
      palette: createPalette(false),
      width: 80,
      now,
      context,
      errorContext,
    });
    const out = screen(full.length + 2);
    expect(out).toEqual([...full, 'Refreshing every 15s · Ctrl-C to stop']);
  });

  it.each([
    [24, 80],
    [40, 120],
    [12, 80],
  ])(
    'given %i rows (%i columns), then it fits: verdict and firing alarms first, every tier compact, status last',
    (rows, width) => {
      const out = screen(rows, width);
      expect(out.length).toBeLessThanOrEqual(rows - 1);
      for (const line of out) expect(visibleWidth(line)).toBeLessThanOrEqual(Math.min(width, 100));
      expect(out[0]).toBe('3d-store  ▲ DEGRADED  5 alarms firing');
      expect(out.at(-1)).toBe(
        'Refreshing every 15s · Ctrl-C to stop · compact (full report: ballast health)',
      );
      const text = out.join('\n');
      expect(text).toContain('✖ alarm-0 [web]');
      expect(text).toMatch(rows >= 24 ? /^Firing alarms \(5\)$/m : /^ {2}… 4 more: /m);
      for (const tier of ['edge', 'web', 'workers', 'data', 'search', 'cache', 'media'])
        expect(text).toMatch(new RegExp(`^(▲ DEGRADED {2}|▲ )${tier} `, 'm'));
      expect(text).toContain('▲ latency 640 ms');
      // Firing alarms come before the tiers.
      expect(text.indexOf('✖ alarm-0')).toBeLessThan(text.indexOf(' edge '));
    },
  );

  it('given no firing alarms, then there is no alarms section, only the headline saying so', () => {
    const quiet = screen(24, 80, { ...tall, firingAlarms: [] });
    expect(quiet[0]).toBe('3d-store  ▲ DEGRADED  no alarms firing');
    expect(quiet.join('\n')).not.toContain('Firing alarms');
  });

  it('given a short terminal and many alarms, then the alarms that do not fit are counted, not dropped silently', () => {
    const text = screen(16).join('\n');
    expect(text).toMatch(/… \d more: ballast alarms --state alarm/);
  });

  it('given room, then each tier takes two lines, with its first reason', () => {
    const out = screen(40, 100);
    const text = out.join('\n');
    expect(text).toMatch(/^▲ DEGRADED {2}web {2}Web — ALB/m);
    expect(text).toMatch(
      /^ {2}traffic 12\.4K req\/min · errors 0\.03% · ▲ latency 640 ms · \? saturation —$/m,
    );
    expect(text).toContain('› p99 latency 640 ms is above the 500 ms SLO');
  });
});

describe('renderAlarms', () => {
  const ok: Alarm = {
    ...firing,
    name: 'store-db-cpu-high',
    state: 'OK',
    stateReason: 'fine',
    stateUpdatedAt: now - 3_600_000,
    tier: 'data',
  };
  const noData: Alarm = {
    ...firing,
    name: 'thumbnailer-errors',
    state: 'INSUFFICIENT_DATA',
    stateReason: '',
    tier: undefined,
    threshold: undefined,
    comparison: undefined,
  };

  it('sorts firing alarms first, then no data, then OK', () => {
    expect(sortAlarms([ok, noData, firing]).map((a) => a.state)).toEqual([
      'ALARM',
      'INSUFFICIENT_DATA',
      'OK',
    ]);
  });

  it('shows state, name, tier, metric, threshold with its unit and age, with the reason beneath unless OK', () => {
    const lines = renderAlarms([ok, noData, firing], {
      palette: createPalette(false),
      width: 100,
      now,
    });
    expect(lines[0]).toMatch(/^state +alarm +tier +metric +threshold +since$/);
    expect(lines[1]).toMatch(
      /^✖ ALARM +store-web-p99-latency-high +web +TargetResponseTime +p99 > 500 ms +12m ago$/,
    );
    expect(lines[2]).toMatch(/^ {4}Threshold Crossed/);
    expect(lines[3]).toMatch(
      /^\? NO DATA +thumbnailer-errors +— +TargetResponseTime +p99 +12m ago$/,
    );
    expect(lines[4]).toMatch(/^● OK +store-db-cpu-high +data .* 1h ago$/);
    expect(lines[5]).toBe('');
    expect(lines.at(-1)).toBe('3 alarms: 1 firing (ALARM), 1 no data (INSUFFICIENT_DATA), 1 OK');
  });

  it.each<{ alarm: Partial<Alarm>; threshold: string }>([
    {
      alarm: {
        namespace: 'AWS/EC2',
        metricName: 'CPUUtilization',
        statistic: 'Average',
        threshold: 70,
      },
      threshold: 'Average > 70%',
    },
    {
      alarm: {
        namespace: 'AWS/SQS',
        metricName: 'ApproximateAgeOfOldestMessage',
        statistic: 'Maximum',
        threshold: 900,
      },
      threshold: 'Maximum > 15 min',
    },
    {
      alarm: {
        namespace: 'AWS/ApplicationELB',
        metricName: 'HTTPCode_Target_5XX_Count',
        statistic: 'Sum',
        periodSeconds: 60,
        threshold: 96,
      },
      threshold: 'Sum > 96 per 1m',
    },
    {
      alarm: { unit: 'Seconds', statistic: 'p99', threshold: 1.2 },
      threshold: 'p99 > 1.2 s',
    },
  ])('gives the threshold its unit: $threshold', ({ alarm, threshold }) => {
    expect(formatAlarmThreshold({ ...firing, ...alarm })).toBe(threshold);
  });

  it('describes a metric-math alarm by its expression, with what it reads beneath', () => {
    const rate: Alarm = {
      ...firing,
      name: 'store-alb-5xx-rate',
      namespace: undefined,
      metricName: undefined,
      statistic: undefined,
      threshold: 2,
      math: {
        expression: '100*m1/m2',
        metrics: [
          {
            id: 'm1',
            namespace: 'AWS/ApplicationELB',
            metricName: 'HTTPCode_Target_5XX_Count',
            statistic: 'Sum',
          },
          {
            id: 'm2',
            namespace: 'AWS/ApplicationELB',
            metricName: 'RequestCount',
            statistic: 'Sum',
          },
        ],
      },
    };
    const lines = renderAlarms([rate], { palette: createPalette(false), width: 100, now });
    expect(lines[1]).toMatch(/^✖ ALARM +store-alb-5xx-rate +web +100\*m1\/m2 +> 2 +12m ago$/);
    expect(lines[2]).toBe('    m1 = HTTPCode_Target_5XX_Count Sum, m2 = RequestCount Sum');
    expect(lines.join('\n')).not.toContain('HTTPCode_Target_5XX_Count Sum > 2');
  });

  it('shows a target-tracking alarm in ALARM as the scaling it triggers, as health counts it, not as a red ALARM', () => {
    const scaleIn: Alarm = {
      ...firing,
      name: 'TargetTracking-store-web-AlarmLow-09ba4e00-1a39-4fc7-851d-bd2757d0946c',
      description: 'DO NOT EDIT OR DELETE. For TargetTrackingScaling policy arn:aws:autoscaling:…',
      namespace: 'AWS/EC2',
      metricName: 'CPUUtilization',
      statistic: 'Average',
      threshold: 63,
      comparison: 'LessThanThreshold',
    };
    const scaleOut: Alarm = { ...scaleIn, name: scaleIn.name.replace('AlarmLow', 'AlarmHigh') };
    const colored = renderAlarms([scaleIn, firing], {
      palette: createPalette(true),
      width: 100,
      now,
    });
    const at = colored.findIndex((l) => stripAnsi(l).includes('AlarmLow'));
    const row = colored[at] ?? '';
    expect(stripAnsi(row)).toMatch(/^↓ SCALE IN +TargetTracking-store-web-AlarmLow-/);
    expect(stripAnsi(colored[at + 1] ?? '')).toMatch(/CPUUtilization Average < 63%/);
    expect(row).not.toContain('\u001b[31m'); // not red
    const lines = renderAlarms([scaleIn, scaleOut, firing], {
      palette: createPalette(false),
      width: 100,
      now,
    });
    // Firing first; a scaling trigger has no reason line, and the summary counts it apart.
    expect(lines[0]).toMatch(/^✖ ALARM +store-web-p99-latency-high/);
    expect(lines.some((l) => l.startsWith('↑ SCALE OUT'))).toBe(true);
    expect(lines).toContain('3 alarms: 1 firing (ALARM), 2 scaling (target tracking in ALARM)');
    expect(lines.join(' ')).toContain('scaling signals, not health problems');
  });

  it('never cuts names or metrics: when they do not fit a table, each alarm takes more lines', () => {
    const backlog: Alarm = {
      ...firing,
      name: 'store-workers-model-jobs-backlog-above-target-for-fifteen-minutes-0ad3179',
      metricName: 'ApproximateNumberOfMessagesVisible',
      statistic: 'Sum',
      threshold: 16,
      stateUpdatedAt: now,
    };
    const lines = renderAlarms([backlog, { ...firing, name: 'x'.repeat(90) }], {
      palette: createPalette(true),
      width: 80,
      now,
    });
    for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(80);
    const text = stripAnsi(lines.join('\n'));
    expect(text).not.toContain('…');
    // Too long for a table at 80 columns: each alarm's name on the line of its state (wrapped
    // where it must be), its tier, metric, threshold and age beneath.
    const joined = lines.map((l) => stripAnsi(l).trim()).join('');
    expect(joined).toContain(backlog.name);
    expect(joined).toContain('x'.repeat(90));
    expect(text).toMatch(/^✖ ALARM {2}store-workers-model-jobs-backlog-/m);
    expect(text.replace(/\n +/g, ' ')).toContain(
      'web · ApproximateNumberOfMessagesVisible Sum > 16 · just now',
    );
  });

  it('says so when nothing matches', () => {
    expect(renderAlarms([], { palette: createPalette(false), width: 80, now })).toEqual([
      'No alarms match.',
    ]);
  });
});
