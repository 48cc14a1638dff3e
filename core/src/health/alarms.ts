// Which tier an alarm, Auto Scaling group or scaling activity belongs to: the first tier
// (in config order) with a resource named by the alarm's dimensions or the group's name.
import type { Alarm, AlarmState, AutoScalingGroupState, ScalingActivity } from '../model/health.js';
import type { PlatformConfig } from '../model/platform.js';
import { metricUnit } from './catalog.js';
import { dimensionsMatchResource } from './resources.js';

export function tierOfAlarm(
  config: PlatformConfig,
  alarm: Pick<Alarm, 'dimensions'>,
): string | undefined {
  return config.tiers.find((tier) =>
    tier.resources.some((r) => dimensionsMatchResource(alarm.dimensions, r)),
  )?.id;
}

export function assignAlarmTiers(config: PlatformConfig, alarms: Alarm[]): Alarm[] {
  return alarms.map((alarm) => {
    const tier = tierOfAlarm(config, alarm);
    return tier ? { ...alarm, tier } : alarm;
  });
}

export function tierOfGroup(config: PlatformConfig, groupName: string): string | undefined {
  return config.tiers.find((tier) =>
    tier.resources.some((r) => r.type === 'asg' && r.name === groupName),
  )?.id;
}

export function assignGroupTiers<T extends AutoScalingGroupState | ScalingActivity>(
  config: PlatformConfig,
  items: T[],
): T[] {
  return items.map((item) => {
    const tier = tierOfGroup(config, 'group' in item ? item.group : item.name);
    return tier ? { ...item, tier } : item;
  });
}

/** Names of the Auto Scaling groups in the config (all tiers). */
export function groupNames(config: PlatformConfig): string[] {
  return [
    ...new Set(
      config.tiers.flatMap((t) => t.resources.flatMap((r) => (r.type === 'asg' ? [r.name] : []))),
    ),
  ];
}

/**
 * Alarms that Auto Scaling target tracking creates for itself (TargetTracking-<group>-
 * AlarmHigh/AlarmLow-<uuid>). They are scaling triggers: AlarmLow sits in ALARM whenever
 * the group could scale in, so they say nothing about health.
 */
export function isScalingTriggerAlarm(alarm: Pick<Alarm, 'name' | 'description'>): boolean {
  return (
    alarm.name.startsWith('TargetTracking-') ||
    (alarm.description ?? '').startsWith('DO NOT EDIT OR DELETE. For TargetTrackingScaling policy')
  );
}

/**
 * Which way a scaling trigger moves its group: target tracking's AlarmHigh scales out,
 * AlarmLow in. Undefined for other alarms (and for a trigger whose name says neither).
 */
export function scalingDirection(
  alarm: Pick<Alarm, 'name' | 'description'>,
): 'out' | 'in' | undefined {
  if (!isScalingTriggerAlarm(alarm)) return undefined;
  const side = /-Alarm(High|Low)-/.exec(alarm.name)?.[1];
  return side === 'High' ? 'out' : side === 'Low' ? 'in' : undefined;
}

/**
 * What an alarm's state means for the platform, the one rule every view follows: an alarm in
 * ALARM is `firing` (a health problem), unless it is a scaling trigger, which is `scaling`
 * (the group is scaling, or could scale in); INSUFFICIENT_DATA is `no-data`.
 */
export type AlarmStanding = 'firing' | 'scaling' | 'no-data' | 'ok';

export function alarmStanding(
  alarm: Pick<Alarm, 'name' | 'description'> & { state: AlarmState },
): AlarmStanding {
  if (alarm.state === 'ALARM') return isScalingTriggerAlarm(alarm) ? 'scaling' : 'firing';
  return alarm.state === 'INSUFFICIENT_DATA' ? 'no-data' : 'ok';
}

/** In ALARM and a health problem (not a scaling trigger). */
export function isFiringAlarm(
  alarm: Pick<Alarm, 'name' | 'description'> & { state: AlarmState },
): boolean {
  return alarmStanding(alarm) === 'firing';
}

/**
 * The unit of an alarm's threshold: the unit the alarm filters its metric on, else the one
 * AWS publishes the metric in; undefined for metric math and metrics outside the catalog.
 */
export function alarmThresholdUnit(
  alarm: Pick<Alarm, 'unit' | 'namespace' | 'metricName' | 'math'>,
): string | undefined {
  if (alarm.unit) return alarm.unit;
  if (alarm.math || !alarm.namespace || !alarm.metricName) return undefined;
  return metricUnit(alarm.namespace, alarm.metricName);
}
