// The document a k6 script reads at init (`open(__ENV.BALLAST_RUN_OPTIONS)`): k6's options
// (one ramping-arrival-rate scenario, thresholds from the platform's SLOs) and the journey
// settings the script's shoppers follow. Plain JSON, so any k6 version takes it.
import type { PlatformConfig, Tier } from '../model/platform.js';
import { arrivalStages, peakVus } from './estimate.js';
import { LOAD_STEPS, type Device, type LoadProfile, type LoadStep } from './profile.js';

/** k6's threshold shape: expressions, or objects that may abort the test. */
export type K6Threshold =
  string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };
export type K6Thresholds = Record<string, K6Threshold[]>;

/** The 3D model load SLO: 95% of GLBs arrive completely within 3 s. */
export const MODEL_LOAD_P95_MS = 3000;

/** Steps that download files rather than ask the API. */
const ASSET_STEPS: readonly LoadStep[] = ['model-glb', 'texture'];

/** Aborts are judged from the end of the first minute on: the first requests' noise is not a verdict. */
const ABORT_AFTER = '1m';

/** The tier whose SLOs the storefront's answers are held to: the one behind the ALB. */
function webTier(config: PlatformConfig): Tier | undefined {
  return (
    config.tiers.find((t) => t.resources.some((r) => r.type === 'alb')) ??
    config.tiers.find((t) => t.id === 'web')
  );
}

/**
 * k6 thresholds from the web tier's SLOs: API latency p95 under the degraded latency and
 * p99 under the critical one (aborting), error rate under the degraded error rate and
 * aborting above the critical one, GLB time to last byte p95 under 3 s, and one
 * threshold per journey step so the summary carries every step.
 */
export function thresholdsFromSlos(config: PlatformConfig): K6Thresholds {
  const slo = webTier(config)?.slo ?? {};
  const api: K6Threshold[] = [];
  if (slo.latency?.degraded !== undefined) api.push(`p(95)<${slo.latency.degraded}`);
  if (slo.latency?.critical !== undefined)
    api.push({
      threshold: `p(99)<${slo.latency.critical}`,
      abortOnFail: true,
      delayAbortEval: ABORT_AFTER,
    });
  const errors: K6Threshold[] = [];
  if (slo.errors?.degraded !== undefined) errors.push(`rate<${percentToRate(slo.errors.degraded)}`);
  if (slo.errors?.critical !== undefined)
    errors.push({
      threshold: `rate<${percentToRate(slo.errors.critical)}`,
      abortOnFail: true,
      delayAbortEval: ABORT_AFTER,
    });
  const thresholds: K6Thresholds = {};
  if (api.length > 0) thresholds['http_req_duration{kind:api}'] = api;
  if (errors.length > 0) thresholds.http_req_failed = errors;
  thresholds.model_ttlb = [`p(95)<${MODEL_LOAD_P95_MS}`];
  const apiP95 = slo.latency?.degraded;
  for (const step of LOAD_STEPS) {
    const limit = ASSET_STEPS.includes(step) ? MODEL_LOAD_P95_MS : apiP95;
    // `max>=0` always holds: it only makes k6 keep the step's own figures in its summary.
    thresholds[`http_req_duration{step:${step}}`] = [
      limit === undefined ? 'max>=0' : `p(95)<${limit}`,
    ];
  }
  return thresholds;
}

/** The journey a script's shoppers follow (derived from the profile's funnel). */
export interface K6Journey {
  catalogPages: number;
  searchShare: number;
  productViews: number;
  modelViewShare: number;
  addToCartShare: number;
  /** chance that a session with a cart checks out, so that purchaseShare of all sessions do */
  checkoutShare: number;
  thinkTime: { minSeconds: number; maxSeconds: number };
  devices: Device[];
  /** share of GLB and texture downloads whose bytes are kept and checked */
  verifyShare: number;
}

export interface K6Scenario {
  executor: 'ramping-arrival-rate';
  startRate: number;
  timeUnit: string;
  preAllocatedVUs: number;
  maxVUs: number;
  stages: { target: number; duration: string }[];
  gracefulStop: string;
  tags: Record<string, string>;
}

export interface K6RunOptions {
  /** the profile's scenario name */
  scenario: string;
  /** k6's options, as a script exports them */
  options: {
    scenarios: Record<string, K6Scenario>;
    thresholds: K6Thresholds;
    summaryTrendStats: string[];
  };
  journey: K6Journey;
}

export function k6RunOptions(profile: LoadProfile, thresholds: K6Thresholds): K6RunOptions {
  const { start, stages } = arrivalStages(profile);
  const vus = peakVus(profile);
  const f = profile.funnel;
  const carts = 1 - (1 - f.addToCartShare) ** f.productViews;
  return {
    scenario: profile.scenario,
    options: {
      scenarios: {
        [profile.scenario]: {
          executor: 'ramping-arrival-rate',
          startRate: start,
          timeUnit: '1m',
          // Start the VUs the shoppers need up front (allocating mid-test skews latency), and
          // allow half as many again for sessions that run long when the store slows down.
          preAllocatedVUs: vus,
          maxVUs: profile.maxVus === undefined ? Math.ceil(vus * 1.5) : vus,
          stages: stages.map((s) => ({ target: s.target, duration: `${s.seconds}s` })),
          gracefulStop: `${profile.gracefulStop}s`,
          tags: { scenario: profile.scenario },
        },
      },
      thresholds,
      summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
    },
    journey: {
      catalogPages: f.catalogPages,
      searchShare: f.searchShare,
      productViews: f.productViews,
      modelViewShare: f.modelViewShare,
      addToCartShare: f.addToCartShare,
      checkoutShare: carts > 0 ? Math.min(1, f.purchaseShare / carts) : 0,
      thinkTime: profile.thinkTime,
      devices: profile.devices,
      verifyShare: profile.verifyShare,
    },
  };
}

const percentToRate = (percent: number) => Math.round(percent * 1e4) / 1e6;
