import type { Alarm, PlatformHealth } from '@ballast/core';
import { describe, expect, it } from 'vitest';
import { createPalette } from '../output/style.js';
import { stripAnsi, visibleWidth } from '../output/text.js';
import { renderAlarms, sortAlarms } from './alarms-view.js';
import { renderHealth } from './health-view.js';

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
      'Metrics unavailable — unreachable: connect ECONNREFUSED; charts show stored history';
    const outage: PlatformHealth = {
      ...health,
      status: 'unknown',
      tiers: [
        { ...health.tiers[0]!, reasons: [down, 'p99 latency 640 ms is above the 500 ms SLO'] },
        { ...health.tiers[0]!, tier: 'data', reasons: [down] },
      ],
      sources: [
        {
          source: 'cloudwatch-metrics',
          ok: false,
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
    expect(text.split('Metrics unavailable')).toHaveLength(2);
    expect(out[1]).toBe(
      '› Metrics unavailable — unreachable: connect ECONNREFUSED; charts show stored',
    );
    expect(text.replace(/\n\s*/g, ' ')).toContain(
      'Values below are stored history, not live: newest datapoint 2025-11-23 19:59:00 UTC (1m ago).',
    );
    expect(text).toContain('› p99 latency 640 ms is above the 500 ms SLO');
    // The same advice for both sources, given once.
    expect(text.split('Start the sandbox in another terminal: ballast sandbox')).toHaveLength(2);
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

  it('shows state, name, tier, metric, threshold and age, with the reason beneath unless OK', () => {
    const lines = renderAlarms([ok, noData, firing], {
      palette: createPalette(false),
      width: 100,
      now,
    });
    expect(lines[0]).toMatch(/^state +alarm +tier +metric +threshold +since$/);
    expect(lines[1]).toMatch(
      /^✖ ALARM +store-web-p99-latency-high +web +TargetResponseTime +p99 > 0\.5 +12m ago$/,
    );
    expect(lines[2]).toMatch(/^ {4}Threshold Crossed/);
    expect(lines[3]).toMatch(
      /^\? NO DATA +thumbnailer-errors +— +TargetResponseTime +p99 +12m ago$/,
    );
    expect(lines[4]).toMatch(/^● OK +store-db-cpu-high +data .* 1h ago$/);
    expect(lines[5]).toBe('');
    expect(lines.at(-1)).toBe('3 alarms: 1 ALARM, 1 INSUFFICIENT_DATA, 1 OK');
  });

  it('cuts the metric before the alarm name when space is short', () => {
    const tracking: Alarm = {
      ...firing,
      name: 'TargetTracking-store-workers-AlarmHigh-a639a0d2-d098-4f1f-9f7a-afea2b5aa5d3',
      metricName: 'ApproximateNumberOfMessagesVisible',
      statistic: 'Sum',
      threshold: 16,
    };
    const [, row] = renderAlarms([tracking], { palette: createPalette(false), width: 100, now });
    expect(row).toMatch(
      / TargetTracking-store-workers-AlarmHigh-a639a0d2-d0… +web +Approximate… +Sum > 16 /,
    );
  });

  it('fits 80 columns by shortening names and reasons', () => {
    const lines = renderAlarms([{ ...firing, name: 'x'.repeat(90) }], {
      palette: createPalette(true),
      width: 80,
      now,
    });
    for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(80);
  });

  it('says so when nothing matches', () => {
    expect(renderAlarms([], { palette: createPalette(false), width: 80, now })).toEqual([
      'No alarms match.',
    ]);
  });
});
