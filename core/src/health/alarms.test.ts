import { describe, expect, it } from 'vitest';
import type { Alarm } from '../model/health.js';
import { alarmStanding, alarmThresholdUnit, isFiringAlarm, scalingDirection } from './alarms.js';

const alarm = (over: Partial<Alarm> & Pick<Alarm, 'name' | 'state'>): Alarm => ({
  stateReason: '',
  stateUpdatedAt: 0,
  dimensions: [],
  ...over,
});

describe('alarmStanding', () => {
  it.each<{ given: Alarm; standing: string }>([
    { given: alarm({ name: 'store-alb-p99-latency', state: 'ALARM' }), standing: 'firing' },
    {
      given: alarm({
        name: 'TargetTracking-store-web-AlarmLow-09ba4e00-1a39-4fc7-851d-bd2757d0946c',
        state: 'ALARM',
      }),
      standing: 'scaling',
    },
    {
      // Renamed by hand, still recognised by the description Auto Scaling gives it.
      given: alarm({
        name: 'web-scale-in',
        description:
          'DO NOT EDIT OR DELETE. For TargetTrackingScaling policy arn:aws:autoscaling:…',
        state: 'ALARM',
      }),
      standing: 'scaling',
    },
    {
      given: alarm({ name: 'TargetTracking-store-web-AlarmHigh-1', state: 'OK' }),
      standing: 'ok',
    },
    {
      given: alarm({ name: 'thumbnailer-errors', state: 'INSUFFICIENT_DATA' }),
      standing: 'no-data',
    },
  ])('given $given.name in $given.state, then it is $standing', ({ given, standing }) => {
    expect(alarmStanding(given)).toBe(standing);
    expect(isFiringAlarm(given)).toBe(standing === 'firing');
  });
});

describe('alarmThresholdUnit', () => {
  it.each<{ given: string; alarm: Partial<Alarm>; unit: string | undefined }>([
    {
      given: 'a unit on the alarm',
      alarm: { namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', unit: 'Seconds' },
      unit: 'Seconds',
    },
    {
      given: 'a catalog metric',
      alarm: { namespace: 'AWS/EC2', metricName: 'CPUUtilization' },
      unit: 'Percent',
    },
    {
      given: 'an SQS age',
      alarm: { namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage' },
      unit: 'Seconds',
    },
    {
      given: 'a metric outside the catalog',
      alarm: { namespace: 'Custom/Store', metricName: 'Checkouts' },
      unit: undefined,
    },
    {
      given: 'metric math',
      alarm: { math: { expression: '100*m1/m2', metrics: [] } },
      unit: undefined,
    },
  ])('given $given, then the threshold is in $unit', ({ alarm: over, unit }) => {
    expect(alarmThresholdUnit(alarm({ name: 'a', state: 'OK', ...over }))).toBe(unit);
  });
});

describe('scalingDirection', () => {
  it.each([
    ['TargetTracking-store-web-AlarmHigh-26b986a7-87c3-42c2-ae2e-dd275af93030', 'out'],
    ['TargetTracking-store-web-AlarmLow-6463c3f7-f5c2-48e9-8bc6-68e172720730', 'in'],
    ['TargetTracking-store-web-ProvisionedCapacityLow-1', undefined],
    ['store-alb-p99-latency', undefined],
    ['team-AlarmHigh-but-not-target-tracking', undefined],
  ] as const)('reads %s as %s', (name, direction) => {
    expect(scalingDirection({ name })).toBe(direction);
  });
});
