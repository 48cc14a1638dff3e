// The Spend page's data from the collectors' spend service, with the dashboard's collector
// session: the same answers `ballast cost` gives, read through the same cache.
import {
  collectAnomalies,
  collectCostTable,
  collectForecast,
  collectMeter,
  collectSpendPage,
  SpendUnavailableError,
  type CollectorSession,
} from '@ballast/collectors';
import { spendConfig, type PlatformConfig, type ResolvedContext, type Store } from '@ballast/core';
import type { SpendSummary } from './api.js';
import { SpendUnavailable, type SpendDeps } from './server.js';
import { lastMonthRange } from './spend.js';

export interface SpendSourceOptions {
  context: ResolvedContext;
  store: Store;
  session: CollectorSession;
  platform: PlatformConfig;
  now: () => number;
  /** deadline of a spend collection, ms (default the collectors' SPEND_TIMEOUT_MS) */
  timeoutMs?: number;
}

export function spendSource(options: SpendSourceOptions): SpendDeps {
  const { context, store, session, now } = options;
  const base = () => ({
    context,
    store,
    session,
    now: now(),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  return {
    tagKeys: spendConfig(options.platform).tagKeys,
    page: (view) =>
      collectSpendPage({
        ...base(),
        by: view.by,
        metric: view.metric,
        ...(view.since ? { since: view.since } : {}),
        ...(view.until ? { until: view.until } : {}),
      }).catch(unavailable),
    summary: async () => {
      const opts = base();
      const missing: SpendSummary['unavailable'] = [];
      const panel =
        (name: SpendSummary['unavailable'][number]['panel']) =>
        (err: unknown): null => {
          if (!(err instanceof SpendUnavailableError)) throw err;
          missing.push({ panel: name, error: err.error });
          return null;
        };
      // The forecast reads last month and this one: last month's total is then in the store.
      const [forecast, anomalies] = await Promise.all([
        collectForecast(opts).catch(panel('forecast')),
        collectAnomalies(opts).catch(panel('anomalies')),
      ]);
      const lastMonth = await collectCostTable({
        ...opts,
        by: [],
        granularity: 'monthly',
        ...lastMonthRange(opts.now),
      }).catch(panel('lastMonth'));
      return {
        context: context.name,
        evaluatedAt: opts.now,
        forecast,
        anomalies,
        lastMonth,
        unavailable: missing,
        meter: collectMeter({ context, store, now: opts.now }),
      };
    },
    meter: () => collectMeter({ context, store, now: now() }),
  };
}

function unavailable(err: unknown): never {
  if (err instanceof SpendUnavailableError)
    throw new SpendUnavailable(err.error.message, err.error, err.missing);
  throw err;
}
