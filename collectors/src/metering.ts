// Call metering: every HTTP attempt to AWS (retries included) becomes one row of the call
// ledger in the store, with what it asked for and what it costs at list price, so Ballast
// can show what Ballast itself costs.
import type { Store } from '@ballast/core';
// Types only: @smithy/types ships with every @aws-sdk client.
import type { DeserializeMiddleware, MetadataBearer, Pluggable } from '@smithy/types';

export type MeteredService = 'cloudwatch' | 'autoscaling' | 'costexplorer' | 'sts';

/** Cost Explorer API: $0.01 a request, and every page of a paginated answer is a request. */
export const COST_EXPLORER_REQUEST_USD = 0.01;

/**
 * List prices in USD (us-east-1, 2025):
 * - GetMetricData: $0.01 per 1,000 metrics requested; there is no free tier for it.
 * - Other CloudWatch API requests (DescribeAlarms, ListMetrics...): $0.01 per 1,000
 *   requests beyond 1,000,000 free requests a month. A dashboard refreshing every 30 s
 *   makes under 100,000 a month, so we price them at $0 rather than show a cost that is
 *   almost never billed.
 * - Auto Scaling API: free.
 * - Cost Explorer API (GetCostAndUsage, GetCostForecast, GetAnomalies...): $0.01 a request,
 *   each page of a paginated answer being one request; no free tier.
 * Only successful attempts are priced: a throttled or denied call returns no data.
 */
export function listPriceUsd(service: MeteredService, operation: string, metrics: number): number {
  if (service === 'cloudwatch' && operation === 'GetMetricData') return (metrics * 0.01) / 1_000;
  if (service === 'costexplorer') return COST_EXPLORER_REQUEST_USD;
  return 0;
}

export class Meter {
  constructor(
    private readonly store: Store,
    readonly context: string,
    private readonly now: () => number,
  ) {}

  /** Meters every request the client sends from now on. */
  attach<I extends object, O extends MetadataBearer>(
    client: { middlewareStack: { use(plugin: Pluggable<I, O>): void } },
    service: MeteredService,
  ): void {
    client.middlewareStack.use(this.plugin<I, O>(service));
  }

  /**
   * The metering middleware sits in the deserialize step: inside the retry loop (so it
   * runs once per HTTP attempt) and outside the deserializer (so a failed attempt arrives
   * as the parsed error, with its name).
   */
  plugin<I extends object, O extends MetadataBearer>(service: MeteredService): Pluggable<I, O> {
    const middleware: DeserializeMiddleware<I, O> = (next, handlerContext) => async (args) => {
      const operation = (handlerContext.commandName ?? 'Unknown').replace(/Command$/, '');
      const input = args.input as {
        MetricDataQueries?: unknown[];
        NextToken?: string;
        NextPageToken?: string;
      };
      const metrics = input.MetricDataQueries?.length ?? 0;
      // CloudWatch and Auto Scaling continue with NextToken, Cost Explorer with NextPageToken.
      const pages = input.NextToken || input.NextPageToken ? 1 : 0;
      try {
        const result = await next(args);
        this.record(service, operation, metrics, pages, true);
        return result;
      } catch (err) {
        this.record(service, operation, metrics, pages, false, errorCode(err));
        throw err;
      }
    };
    return {
      applyToStack: (stack) =>
        stack.add(middleware, {
          step: 'deserialize',
          name: 'ballastCallMeter',
          priority: 'high',
          override: true,
        }),
    };
  }

  private record(
    service: MeteredService,
    operation: string,
    metrics: number,
    pages: number,
    ok: boolean,
    errorCode?: string,
  ): void {
    this.store.recordCall({
      at: this.now(),
      context: this.context,
      service,
      operation,
      requests: 1,
      metrics,
      pages,
      priceUsd: ok ? listPriceUsd(service, operation, metrics) : 0,
      ok,
      ...(errorCode ? { errorCode } : {}),
    });
  }
}

function errorCode(err: unknown): string {
  if (err && typeof err === 'object') {
    const { code, name } = err as { code?: unknown; name?: unknown };
    if (typeof code === 'string') return code;
    if (typeof name === 'string') return name;
  }
  return 'Error';
}
