// What a load test costs on AWS at list prices: the traffic it sends through CloudFront
// (egress and HTTPS requests), the load balancer capacity units its API requests use, and
// the instance-hours the web tier adds to absorb it where a capacity model says how many.
import { PRICES, tieredCost, type CloudFrontRegion } from './list-prices.js';

export interface LoadTestTraffic {
  durationSeconds: number;
  requests: number;
  /** bytes the viewers receive */
  bytes: number;
  peakRequestsPerSecond: number;
  peakVus?: number;
  /** requests and bytes that reach the load balancer (default: all of them) */
  originRequests?: number;
  originBytes?: number;
}

export interface LoadTestCostOptions {
  /** where the load generators are, as CloudFront prices it (default US) */
  viewerRegion?: CloudFrontRegion;
  /** CloudFront egress already served this month, GB (tiers are monthly; default 0: first tier) */
  monthToDateGb?: number;
  /** instance-hours the web tier adds for the test, from a capacity model, and their price */
  extraInstances?: {
    instanceHours: number;
    instanceType: string;
    usdPerHour?: number;
    /** how the model found them, for people */
    basis?: string;
  };
  /** why the capacity model could not say (kept in the notes) */
  extraInstancesUnavailable?: string;
}

export interface LoadTestCostLine {
  item: 'cloudfront-egress' | 'cloudfront-requests' | 'alb-lcu' | 'extra-instances';
  quantity: number;
  unit: 'GB' | 'requests' | 'LCU-hours' | 'instance-hours';
  usd: number;
  /** how the quantity and price were found */
  basis: string;
}

export interface LoadTestCost {
  lines: LoadTestCostLine[];
  totalUsd: number;
  /** what the estimate leaves out */
  notes: string[];
}

const GB = 1024 ** 3;
const round = (usd: number) => Math.round(usd * 10_000) / 10_000;

export function estimateLoadTestCost(
  traffic: LoadTestTraffic,
  options: LoadTestCostOptions = {},
): LoadTestCost {
  const region = options.viewerRegion ?? 'US';
  const gb = traffic.bytes / GB;
  const hours = Math.max(traffic.durationSeconds, 1) / 3600;
  const originGb = (traffic.originBytes ?? traffic.bytes) / GB;
  const originRequests = traffic.originRequests ?? traffic.requests;
  const lines: LoadTestCostLine[] = [
    {
      item: 'cloudfront-egress',
      quantity: gb,
      unit: 'GB',
      usd: round(tieredCost(PRICES.cloudFrontOutGb[region], options.monthToDateGb ?? 0, gb)),
      basis: `CloudFront data out to viewers in ${region} at its monthly tiers`,
    },
    {
      item: 'cloudfront-requests',
      quantity: traffic.requests,
      unit: 'requests',
      usd: round(traffic.requests * PRICES.cloudFrontHttpsRequest[region]),
      basis: `CloudFront HTTPS requests in ${region}, $${(PRICES.cloudFrontHttpsRequest[region] * 10_000).toFixed(4)} per 10,000`,
    },
  ];
  // An LCU-hour is the largest dimension used in the hour: GB processed, rule evaluations
  // (1,000 a second), active connections (3,000 a minute; one kept-alive connection per VU).
  const lcu = Math.max(
    originGb / hours,
    originRequests / traffic.durationSeconds / 1000,
    (traffic.peakVus ?? 0) / 3000,
  );
  lines.push({
    item: 'alb-lcu',
    quantity: lcu * hours,
    unit: 'LCU-hours',
    usd: round(lcu * hours * PRICES.albLcuHour),
    basis: 'ALB LCUs: the largest of GB processed an hour, rule evaluations and active connections',
  });
  const notes: string[] = [];
  const extra = options.extraInstances;
  if (extra) {
    const usdPerHour = extra.usdPerHour ?? PRICES.ec2Hourly[extra.instanceType];
    if (usdPerHour === undefined)
      notes.push(
        `No list price for ${extra.instanceType}: its extra instance-hours are not priced.`,
      );
    else
      lines.push({
        item: 'extra-instances',
        quantity: extra.instanceHours,
        unit: 'instance-hours',
        usd: round(extra.instanceHours * usdPerHour),
        basis: `${extra.instanceType} at $${usdPerHour} an hour (list price), instance-hours from ${extra.basis ?? 'the capacity model'}`,
      });
  } else
    notes.push(
      `Extra instance-hours of the web tier are not included: ${(options.extraInstancesUnavailable ?? 'no capacity model of the group was available').replace(/\.$/, '')}.`,
    );
  return { lines, totalUsd: round(lines.reduce((s, l) => s + l.usd, 0)), notes };
}
