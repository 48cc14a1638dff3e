// "What are we spending, where is it going, is it worth it?" — the month against its
// budget, daily cost by service (or tag, usage type, region) with the anomalies marked,
// what moved, what each order and model view costs, what spot saves, and what Ballast
// itself costs. The address holds the view (since, until, by, metric) so it can be shared.
// Loaded lazily with the charting library.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { SpendPanel } from '@ballast/core';
import {
  fetchSpend,
  fetchSpendSummary,
  spendSearch,
  type SpendQuery,
  type SpendRefresh,
  type SpendAnswer,
} from '../api.js';
import { SpendHeadline } from '../components/SpendHeadline.js';
import { SourceProblem } from '../components/SourceBanners.js';
import { sourceFailureWords } from '@ballast/core/format';
import { formatAgo, formatDayRange, formatDayTime, formatUsd, formatValue } from '../format.js';
import { useNow } from '../live.js';
import { navigate, useLocation } from '../router.js';
import { useSpendData } from '../spend-data.js';
import { dimensionWords, SpendChart } from './SpendChart.js';
import {
  AnomaliesPanel,
  AnomalyDetail,
  BudgetsPanel,
  CostsPanel,
  CsvLink,
  MeterPanel,
  MoversPanel,
  PanelProblem,
  SpotPanel,
  type PanelClock,
} from './SpendPanels.js';
import { UnitCostCharts } from './UnitCostCharts.js';

const METRICS: { id: NonNullable<SpendQuery['metric']>; label: string }[] = [
  { id: 'UnblendedCost', label: 'Unblended' },
  { id: 'AmortizedCost', label: 'Amortized' },
  { id: 'NetUnblendedCost', label: 'Net unblended' },
];

/** The view in the address: only what is set there. */
function queryOf(params: URLSearchParams): SpendQuery {
  const query: SpendQuery = {};
  for (const key of ['since', 'until', 'by'] as const) {
    const value = params.get(key);
    if (value) query[key] = value;
  }
  const metric = params.get('metric');
  if (metric) query.metric = metric as SpendQuery['metric'];
  return query;
}

export default function SpendPage() {
  const location = useLocation();
  const search = location.search;
  const query = useMemo(() => queryOf(new URLSearchParams(search)), [search]);
  const key = spendSearch(query);
  const page = useSpendData(key, (signal) => fetchSpend(query, signal));
  const summary = useSpendData('summary', (signal) => fetchSpendSummary(signal));
  const now = useNow(30_000);
  const [selected, setSelected] = useState<string>();
  const detailRef = useRef<HTMLDivElement>(null);

  const setQuery = (next: Partial<SpendQuery>) => {
    const merged: SpendQuery = { ...query, ...next };
    for (const k of Object.keys(merged) as (keyof SpendQuery)[]) if (!merged[k]) delete merged[k];
    navigate(`/spend${spendSearch(merged)}`, { replace: true });
  };

  // A link to /spend#anomalies or #meter scrolls there once the panels exist.
  const loaded = page.data !== undefined;
  useEffect(() => {
    if (!loaded || !window.location.hash) return;
    document.getElementById(window.location.hash.slice(1))?.scrollIntoView();
  }, [loaded]);

  const data = page.data;
  const clock: PanelClock = { now, receivedAt: page.receivedAt ?? now };
  const stale = data !== undefined && page.key !== key;
  const missing = (panel: SpendPanel) =>
    data?.page.unavailable.find((u) => u.panel === panel)?.error;
  const anomalies = data?.page.anomalies?.anomalies ?? null;
  const selectedAnomaly = anomalies?.find((a) => a.id === selected);
  const select = (id: string | undefined, scroll = false) => {
    setSelected(id);
    if (id && scroll)
      requestAnimationFrame(() => detailRef.current?.scrollIntoView({ block: 'nearest' }));
  };

  return (
    <div className="page spend-page" data-testid="spend-page">
      <div className="toolbar spend-toolbar" role="toolbar" aria-label="Spend view">
        <div className="segmented" role="group" aria-label="Range" data-testid="spend-range">
          {(data?.view.presets ?? []).map((p) => (
            <button
              key={p.id}
              type="button"
              className="segment"
              aria-pressed={!query.until && query.since === p.since}
              data-testid={`range-${p.id}`}
              onClick={() => setQuery({ since: p.since, until: undefined })}
            >
              {p.label}
            </button>
          ))}
        </div>
        <label className="select">
          <span>By</span>
          <select
            value={query.by ?? 'service'}
            onChange={(e) =>
              setQuery({ by: e.target.value === 'service' ? undefined : e.target.value })
            }
            data-testid="spend-by"
          >
            <option value="service">Service</option>
            {(data?.tagKeys ?? []).map((k) => (
              <option key={k} value={`tag:${k}`}>
                Tag: {k}
              </option>
            ))}
            <option value="usage-type">Usage type</option>
            <option value="region">Region</option>
          </select>
        </label>
        <label className="select">
          <span>Cost</span>
          <select
            value={query.metric ?? 'UnblendedCost'}
            onChange={(e) =>
              setQuery({
                metric:
                  e.target.value === 'UnblendedCost'
                    ? undefined
                    : (e.target.value as SpendQuery['metric']),
              })
            }
            data-testid="spend-metric"
          >
            {METRICS.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <div className="toolbar-status">
          {page.loading ? <span className="spinner" aria-label="Loading" /> : null}
          {data && page.receivedAt !== undefined ? (
            <FreshnessLine response={data} now={now} receivedAt={page.receivedAt} />
          ) : null}
        </div>
      </div>

      {page.error ? (
        <div className="banner banner-critical" role="alert" data-testid="spend-error">
          {page.error.spend?.detail ? (
            <SourceProblem
              source={{ source: 'Cost Explorer', ok: false, error: page.error.spend.detail }}
              now={now}
              receivedAt={now}
            />
          ) : (
            page.error.message
          )}
        </div>
      ) : null}

      {summary.data && summary.receivedAt !== undefined ? (
        <SpendHeadline summary={summary.data} now={now} receivedAt={summary.receivedAt} onPage />
      ) : null}

      {!data ? (
        <div className="loading">{page.error ? null : 'Reading the bill…'}</div>
      ) : (
        <div
          className={`spend-sections ${stale ? 'is-stale' : ''}`}
          data-testid="spend-loaded"
          data-view={page.key}
        >
          <section className="card panel spend-chart-card" aria-label="Daily cost">
            <header className="panel-head spend-panel-head">
              <div className="spend-panel-title">
                <h2>Daily cost by {dimensionWords(data.page.costs.groupBy)}</h2>
                <span className="spend-panel-detail">
                  {formatDayRange(data.page.costs.range.start, data.page.costs.range.end)} ·{' '}
                  {formatUsd(data.page.costs.total)}
                  {data.page.trend.weekOverWeek ? (
                    <>
                      {' '}
                      · last 7 days {formatUsd(data.page.trend.weekOverWeek.current)} (
                      {data.page.trend.weekOverWeek.changePct === null
                        ? 'new'
                        : `${data.page.trend.weekOverWeek.changePct > 0 ? '+' : ''}${formatValue(data.page.trend.weekOverWeek.changePct, '%')}`}{' '}
                      on the week before)
                    </>
                  ) : null}
                </span>
              </div>
            </header>
            <SpendChart
              costs={data.page.costs}
              anomalies={anomalies}
              selected={selected}
              onSelect={(id) => select(id)}
              today={new Date(data.page.evaluatedAt).toISOString().slice(0, 10)}
            />
            <div ref={detailRef}>
              {selectedAnomaly ? (
                <AnomalyDetail anomaly={selectedAnomaly} onClose={() => select(undefined)} />
              ) : anomalies && anomalies.length > 0 ? (
                <p className="chart-foot chart-legend">
                  <span className="legend-item">
                    <span className="legend-box anomaly-key-open" /> open anomaly
                  </span>
                  <span className="legend-item">
                    <span className="legend-box anomaly-key-past" /> past anomaly
                  </span>
                  <span>· select a marker for its root cause and impact</span>
                </p>
              ) : null}
            </div>
          </section>

          <div className="panel-row">
            <CostsPanel costs={data.page.costs} query={query} clock={clock} />
            <BudgetsPanel
              forecast={data.page.forecast}
              problem={missing('forecast')}
              query={query}
              clock={clock}
            />
          </div>
          <div className="panel-row">
            <AnomaliesPanel
              anomalies={anomalies}
              freshness={data.page.anomalies?.freshness}
              monitors={data.page.anomalies?.monitors}
              problem={missing('anomalies')}
              selected={selected}
              onSelect={(id) => select(id, true)}
              query={query}
              clock={clock}
            />
            <MoversPanel
              movers={data.page.movers}
              problem={missing('movers')}
              query={query}
              clock={clock}
            />
          </div>
          <section className="card panel" data-testid="unit-costs-panel" aria-label="Unit costs">
            <header className="panel-head spend-panel-head">
              <div className="spend-panel-title">
                <h2>Unit costs</h2>
                <span className="spend-panel-detail">
                  the bill per order, per model view, per GB delivered
                </span>
              </div>
              {data.page.unitCosts ? (
                <span className="csv-links">
                  <CsvLink table="unit-costs" query={query} />
                </span>
              ) : null}
            </header>
            {data.page.unitCosts ? (
              <>
                <UnitCostCharts unitCosts={data.page.unitCosts} />
                {!data.page.unitCosts.metricsSource.ok &&
                data.page.unitCosts.metricsSource.error ? (
                  <PanelProblem error={data.page.unitCosts.metricsSource.error} clock={clock} />
                ) : null}
              </>
            ) : missing('unitCosts') ? (
              <PanelProblem error={missing('unitCosts')!} clock={clock} />
            ) : (
              <p className="panel-empty">
                No business metrics configured: name them under <code>spend.businessMetrics</code>{' '}
                in the platform config.
              </p>
            )}
          </section>
          <div className="panel-row">
            <SpotPanel
              spot={data.page.spotSavings}
              problem={missing('spotSavings')}
              query={query}
              clock={clock}
            />
            <MeterPanel meter={data.meter} query={query} clock={clock} />
          </div>
        </div>
      )}
    </div>
  );
}

/**
 * "From cache, 2 h old · next refresh Tue 09:05", or when it was read and what that cost,
 * or why the data is stale: the page's freshness in one line.
 */
function FreshnessLine({
  response,
  now,
  receivedAt,
}: {
  response: SpendAnswer;
  now: number;
  receivedAt: number;
}) {
  const { freshness } = response.page;
  const { refresh } = response;
  const age = freshness.ageMs === null ? null : freshness.ageMs + Math.max(0, now - receivedAt);
  const old = age === null ? '' : `, ${formatAgo(age).replace(/ ago$/, '')} old`;
  const error = freshness.error;
  const read = now - local(refresh.collectedAt, refresh, receivedAt);
  const what = error
    ? `Cost Explorer ${sourceFailureWords(error.kind, 'short')}: stored data${old}`
    : freshness.fromCache
      ? `From cache${old}`
      : `Read from Cost Explorer ${read < 60_000 ? 'just now' : formatAgo(read)} (${freshness.paidRequests} paid ${freshness.paidRequests === 1 ? 'request' : 'requests'}, ${formatUsd(freshness.paidUsd)})`;
  return (
    <span
      className={`spend-freshness ${error ? 'is-stale' : ''}`}
      data-testid="spend-freshness"
      data-from-cache={freshness.fromCache}
      data-stale={error ? 'true' : 'false'}
      title={error?.message}
    >
      {what} · {refresh.reason === 'retry' ? 'next try' : 'next refresh'}{' '}
      {formatDayTime(local(refresh.nextAt, refresh, receivedAt))}
    </span>
  );
}

/** A time of the server's clock on the browser's (the answer's `now` arrived at `receivedAt`). */
function local(serverTime: number, refresh: SpendRefresh, receivedAt: number): number {
  return receivedAt + (serverTime - refresh.now);
}
