// What a load profile will send, before it runs: sessions, requests and bytes per journey
// step, the peak request rate and the VUs k6 needs. The same arithmetic turns concurrent
// shoppers into k6's arrival rates (k6-options.ts), so the estimate is of the test k6 runs.
import { LOAD_STEPS, type LoadProfile, type LoadStep } from './profile.js';

export interface LoadEstimate {
  durationSeconds: number;
  /** shopper sessions started (k6 iterations) */
  iterations: number;
  requests: number;
  /** bytes of response bodies the test downloads */
  bytes: number;
  peakRequestsPerSecond: number;
  /** VUs busy at the peak (concurrent shoppers), at most the profile's maxVus */
  peakVus: number;
  steps: { step: LoadStep; requests: number; bytes: number }[];
}

/** Requests of each step in one shopper session, on average. */
export function requestsPerSession(profile: LoadProfile): Record<LoadStep, number> {
  const f = profile.funnel;
  const models = f.productViews * f.modelViewShare;
  return {
    landing: 1,
    catalog: f.catalogPages,
    search: f.searchShare,
    product: f.productViews,
    'model-metadata': models,
    'model-glb': models,
    texture: models * profile.assets.texturesPerModel,
    cart: f.productViews * f.addToCartShare,
    checkout: f.purchaseShare,
  };
}

/** Mean bytes of one response of each step. */
export function bytesPerRequest(profile: LoadProfile): Record<LoadStep, number> {
  const a = profile.assets;
  const glb = profile.devices.reduce(
    (sum, d) => sum + d.share * a.modelBytes * a.lodRatio ** d.lod,
    0,
  );
  return {
    landing: a.pageBytes,
    catalog: a.apiBytes,
    search: a.apiBytes,
    product: a.apiBytes,
    'model-metadata': a.apiBytes,
    'model-glb': glb,
    texture: a.textureBytes,
    cart: a.apiBytes,
    checkout: a.apiBytes,
  };
}

/**
 * Pages a shopper looks at (and thinks over) in a session: the landing page, catalog
 * pages, a search, product pages, the cart after adding and the checkout.
 */
export function pagesPerSession(profile: LoadProfile): number {
  const r = requestsPerSession(profile);
  return r.landing + r.catalog + r.search + r.product + r.cart + r.checkout;
}

/** Mean length of a shopper session, seconds: its pages times the mean think time. */
export function sessionSeconds(profile: LoadProfile): number {
  const { minSeconds, maxSeconds } = profile.thinkTime;
  // A session takes at least a second (the requests themselves), even with no think time.
  return Math.max(1, pagesPerSession(profile) * ((minSeconds + maxSeconds) / 2));
}

/** Sessions per minute for a number of concurrent shoppers (Little's law), as k6 takes it. */
export function arrivalsPerMinute(profile: LoadProfile, shoppers: number): number {
  if (shoppers <= 0) return 0;
  // k6 wants whole iterations per time unit; a stage with any shoppers keeps at least one.
  return Math.max(1, Math.round((shoppers / sessionSeconds(profile)) * 60));
}

/** k6's stages: sessions per minute reached at the end of each stage. */
export function arrivalStages(profile: LoadProfile): {
  start: number;
  stages: { target: number; seconds: number }[];
} {
  return {
    start: arrivalsPerMinute(profile, profile.startShoppers),
    stages: profile.stages.map((s) => ({
      target: arrivalsPerMinute(profile, s.shoppers),
      seconds: s.duration,
    })),
  };
}

/** The VUs k6 needs at most: the peak concurrent shoppers, capped by the profile's maxVus. */
export function peakVus(profile: LoadProfile): number {
  const peak = Math.max(profile.startShoppers, ...profile.stages.map((s) => s.shoppers));
  const needed = Math.max(1, Math.ceil(peak));
  return profile.maxVus === undefined ? needed : Math.min(needed, profile.maxVus);
}

export function estimateLoad(profile: LoadProfile): LoadEstimate {
  const { start, stages } = arrivalStages(profile);
  // Sessions started: the area under the (linearly ramped) arrival rate.
  let iterations = 0;
  let from = start;
  for (const stage of stages) {
    iterations += ((from + stage.target) / 2 / 60) * stage.seconds;
    from = stage.target;
  }
  iterations = Math.round(iterations);
  const perSession = requestsPerSession(profile);
  const perRequest = bytesPerRequest(profile);
  const steps = LOAD_STEPS.map((step) => ({
    step,
    requests: Math.round(iterations * perSession[step]),
    bytes: Math.round(iterations * perSession[step] * perRequest[step]),
  }));
  const sessionRequests = LOAD_STEPS.reduce((sum, step) => sum + perSession[step], 0);
  const peakArrivals = Math.max(start, ...stages.map((s) => s.target)) / 60;
  return {
    durationSeconds: stages.reduce((sum, s) => sum + s.seconds, 0),
    iterations,
    requests: steps.reduce((sum, s) => sum + s.requests, 0),
    bytes: steps.reduce((sum, s) => sum + s.bytes, 0),
    // At a steady rate, each session's requests spread over its length: arrivals x requests.
    peakRequestsPerSecond: Math.round(peakArrivals * sessionRequests * 10) / 10,
    peakVus: peakVus(profile),
    steps,
  };
}
