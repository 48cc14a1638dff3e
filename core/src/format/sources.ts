// How the data sources of a report and their failures are named, in every view: the CLI's
// report and the dashboard's banners, cards and header say the same words. Zod-free like the
// rest of format/, so the browser imports it at run time.
import type { SourceErrorKind } from '../model/health.js';

/** Source names in PlatformHealth.sources, as the collectors report them. */
export const HEALTH_SOURCES = {
  metrics: 'cloudwatch-metrics',
  alarms: 'cloudwatch-alarms',
  autoscaling: 'autoscaling',
} as const;

const SOURCE_TITLES: Record<string, { title: string; short: string }> = {
  [HEALTH_SOURCES.metrics]: { title: 'CloudWatch metrics', short: 'metrics' },
  [HEALTH_SOURCES.alarms]: { title: 'CloudWatch alarms', short: 'alarms' },
  [HEALTH_SOURCES.autoscaling]: { title: 'Auto Scaling', short: 'Auto Scaling' },
};

/** "CloudWatch metrics"; `short`: "metrics", for a header with room for a few words. */
export function sourceTitle(source: string, style: 'title' | 'short' = 'title'): string {
  return SOURCE_TITLES[source]?.[style] ?? source;
}

const KIND_WORDS: Record<SourceErrorKind, { gist: string; short: string }> = {
  throttled: { gist: 'throttled by AWS', short: 'throttled' },
  'access-denied': { gist: 'access denied', short: 'access denied' },
  'subscription-required': { gist: 'needs a subscription', short: 'need a subscription' },
  unreachable: { gist: 'endpoint unreachable', short: 'unreachable' },
  credentials: { gist: 'no usable AWS credentials', short: 'without credentials' },
  'invalid-request': { gist: 'request rejected', short: 'rejected' },
  'service-error': { gist: 'AWS service error', short: 'failing' },
};

/**
 * What went wrong, in a few words: "throttled by AWS"; `short` after a source's short name
 * ("metrics throttled"). Without a kind: the source could not be read for a reason unknown.
 */
export function sourceFailureWords(
  kind: SourceErrorKind | undefined,
  style: 'gist' | 'short' = 'gist',
): string {
  return kind ? KIND_WORDS[kind][style] : 'unavailable';
}
