// The tables of the Spend page (where the money goes, budgets, anomalies, movers, spot
// savings, Ballast's own cost), each with its CSV. A panel whose data could not be read
// says why and what to do, and one showing stored data says how old it is.
import { useState, type ReactNode } from 'react';
import type {
  AnomalyView,
  BudgetStatus,
  CostTable,
  MeterReport,
  MoversReport,
  SpendError,
  SpendFreshness,
  SpendForecast,
  SpotSavings,
} from '@ballast/core';
import { spendCsvUrl, type SpendCsvTable, type SpendQuery } from '../api.js';
import { SourceProblem } from '../components/SourceBanners.js';
import {
  formatAgo,
  formatChangePct,
  formatDayRange,
  formatDays,
  formatIsoLongDay,
  formatIsoMonth,
  formatNumber,
  formatUsd,
  formatValue,
} from '../format.js';
import { dimensionWords } from './SpendChart.js';

/** How the page's panels say when and how old. */
export interface PanelClock {
  now: number;
  receivedAt: number;
}

export function CsvLink({
  table,
  query,
  label = 'CSV',
}: {
  table: SpendCsvTable;
  query: SpendQuery;
  label?: string;
}) {
  return (
    <a className="csv-link" href={spendCsvUrl(table, query)} download data-testid={`csv-${table}`}>
      {label}
    </a>
  );
}

/** A panel's head: title, what it covers, its CSV links and, when stale, how old it is. */
function PanelHead(props: {
  title: string;
  detail?: ReactNode;
  freshness?: SpendFreshness;
  clock: PanelClock;
  children?: ReactNode;
}) {
  const { freshness, clock } = props;
  const stale = freshness?.error && freshness.ageMs !== null;
  return (
    <header className="panel-head spend-panel-head">
      <div className="spend-panel-title">
        <h2>{props.title}</h2>
        {props.detail ? <span className="spend-panel-detail">{props.detail}</span> : null}
      </div>
      {stale ? (
        <span className="tag tag-stale" title={freshness.error?.message}>
          stale ·{' '}
          {formatAgo(freshness.ageMs! + Math.max(0, clock.now - clock.receivedAt)).replace(
            / ago$/,
            '',
          )}{' '}
          old
        </span>
      ) : null}
      {props.children ? <span className="csv-links">{props.children}</span> : null}
    </header>
  );
}

/** A panel that could not be read: why, and what to do (the ce: action to grant...). */
export function PanelProblem({ error, clock }: { error: SpendError; clock: PanelClock }) {
  return (
    <div className="panel-problem" data-testid="panel-problem" data-kind={error.kind}>
      {error.iamAction ? (
        <p className="panel-problem-grant">
          Grant <code>{error.iamAction}</code> to read this.
        </p>
      ) : null}
      <SourceProblem
        source={{ source: 'Cost Explorer', ok: false, error }}
        now={clock.now}
        receivedAt={clock.receivedAt}
      />
    </div>
  );
}

const ROWS_SHOWN = 10;

export function CostsPanel(props: { costs: CostTable; query: SpendQuery; clock: PanelClock }) {
  const { costs, query, clock } = props;
  const [all, setAll] = useState(false);
  const rows = all ? costs.groups : costs.groups.slice(0, ROWS_SHOWN);
  const top = costs.groups[0]?.total ?? 0;
  return (
    <section className="card panel" data-testid="costs-panel" aria-label="Where the money goes">
      <PanelHead
        title="Where the money goes"
        detail={`by ${dimensionWords(costs.groupBy)}, ${formatDayRange(costs.range.start, costs.range.end)}`}
        freshness={costs.freshness}
        clock={clock}
      >
        <CsvLink table="costs" query={query} label="CSV by day" />
        <CsvLink table="costs-monthly" query={query} label="by month" />
      </PanelHead>
      <table className="spend-table" data-testid="costs-table">
        <thead>
          <tr>
            <th>{dimensionWords(costs.groupBy)}</th>
            <th className="num">Total</th>
            <th className="num">Share</th>
            <th className="col-wide" aria-hidden="true" />
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => (
            <tr key={g.id} className={g.untagged ? 'row-untagged' : undefined}>
              <td className="cell-name" title={g.label}>
                {g.label}
              </td>
              <td className="num">{formatUsd(g.total)}</td>
              <td className="num">
                {costs.total > 0 ? formatValue((g.total / costs.total) * 100, '%') : '—'}
              </td>
              <td className="col-wide">
                <span
                  className="share-bar"
                  style={{ width: `${top > 0 ? (g.total / top) * 100 : 0}%` }}
                />
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td>Total{costs.estimated ? ' (this month estimated)' : ''}</td>
            <td className="num">{formatUsd(costs.total)}</td>
            <td />
            <td className="col-wide" />
          </tr>
        </tfoot>
      </table>
      {costs.groups.length > ROWS_SHOWN ? (
        <button type="button" className="link-button" onClick={() => setAll((a) => !a)}>
          {all ? 'Show fewer' : `Show all ${costs.groups.length}`}
        </button>
      ) : null}
    </section>
  );
}

const STATUS_PILL: Record<BudgetStatus['status'], [string, string]> = {
  under: ['ok', 'within'],
  'at-risk': ['degraded', 'at risk'],
  over: ['critical', 'over'],
};

export function BudgetsPanel(props: {
  forecast: SpendForecast | null;
  problem?: SpendError;
  query: SpendQuery;
  clock: PanelClock;
}) {
  const { forecast, problem, query, clock } = props;
  return (
    <section className="card panel" data-testid="budgets-panel" aria-label="Budgets this month">
      <PanelHead
        title={forecast ? `Budgets for ${formatIsoMonth(forecast.month)}` : 'Budgets this month'}
        freshness={forecast?.freshness}
        clock={clock}
      >
        {forecast ? <CsvLink table="budgets" query={query} /> : null}
      </PanelHead>
      {!forecast ? (
        problem ? (
          <PanelProblem error={problem} clock={clock} />
        ) : null
      ) : forecast.budgets.length === 0 ? (
        <p className="panel-empty">
          No budgets: set <code>spend.budgets.monthly</code> (and per tag value under{' '}
          <code>spend.budgets.tags</code>) in the platform config.
        </p>
      ) : (
        <table className="spend-table" data-testid="budgets-table">
          <thead>
            <tr>
              <th>Budget</th>
              <th className="num">Monthly</th>
              <th className="num col-wide">Spent</th>
              <th className="num">Forecast</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {forecast.budgets.map((b) => {
              const [tone, word] = STATUS_PILL[b.status];
              return (
                <tr key={b.configPath} data-status={b.status}>
                  <td className="cell-name" title={b.configPath}>
                    {b.scope.kind === 'total' ? 'Whole account' : b.label}
                  </td>
                  <td className="num">{formatUsd(b.budgetUsd)}</td>
                  <td className="num col-wide">{formatUsd(b.actualUsd)}</td>
                  <td
                    className="num"
                    title={
                      b.lowerUsd !== null
                        ? `80% likely between ${formatUsd(b.lowerUsd)} and ${formatUsd(b.upperUsd)}`
                        : undefined
                    }
                  >
                    {formatUsd(b.forecastUsd)}
                  </td>
                  <td>
                    <span className={`pill pill-${tone}`}>{word}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {forecast && forecast.basis === 'run-rate' ? (
        <p className="panel-note">
          No Cost Explorer forecast: each budget is projected from its last 7 days.
        </p>
      ) : null}
    </section>
  );
}

export function AnomaliesPanel(props: {
  anomalies: AnomalyView[] | null;
  freshness?: SpendFreshness;
  monitors?: number | null;
  problem?: SpendError;
  selected?: string;
  onSelect: (id: string) => void;
  query: SpendQuery;
  clock: PanelClock;
}) {
  const { anomalies, problem, selected, onSelect, query, clock } = props;
  return (
    <section
      className="card panel"
      id="anomalies"
      data-testid="anomalies-panel"
      aria-label="Cost anomalies"
    >
      <PanelHead
        title="Cost anomalies"
        detail="Cost Anomaly Detection"
        freshness={props.freshness}
        clock={clock}
      >
        {anomalies ? <CsvLink table="anomalies" query={query} /> : null}
      </PanelHead>
      {!anomalies ? (
        problem ? (
          <PanelProblem error={problem} clock={clock} />
        ) : null
      ) : anomalies.length === 0 ? (
        <p className="panel-empty">
          {props.monitors === 0
            ? 'No anomaly monitor watches this account: create one in Cost Anomaly Detection.'
            : 'No anomalies in this range.'}
        </p>
      ) : (
        <ul className="anomaly-list">
          {anomalies.map((a) => (
            <li key={a.id}>
              <button
                type="button"
                className={`anomaly-row ${a.id === selected ? 'is-selected' : ''}`}
                aria-pressed={a.id === selected}
                data-testid="anomaly-row"
                data-anomaly={a.id}
                onClick={() => onSelect(a.id)}
              >
                <span className={`status-dot dot-${a.open ? 'critical' : 'degraded'}`} />
                <span className="anomaly-what">
                  <span className="anomaly-service">
                    {a.dimensionValue ?? a.rootCauses[0]?.service ?? 'Spend'}
                  </span>
                  <span className="anomaly-when">
                    {a.open ? 'open · ' : ''}
                    {a.start ? formatDays(a.start, a.end ?? a.start) : 'dates unknown'}
                    {a.rootCauses[0]?.usageType ? ` · ${a.rootCauses[0].usageType}` : ''}
                  </span>
                </span>
                <span className="anomaly-impact num">+{formatUsd(a.impact.totalUsd)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** One anomaly: what, when, how much beyond the expected spend, and its root causes. */
export function AnomalyDetail({ anomaly, onClose }: { anomaly: AnomalyView; onClose: () => void }) {
  const a = anomaly;
  const days =
    a.start && a.end
      ? Math.round((Date.parse(a.end) - Date.parse(a.start)) / 86_400_000) + 1
      : null;
  return (
    <section
      className="anomaly-detail"
      data-testid="anomaly-detail"
      data-anomaly={a.id}
      aria-label="Anomaly detail"
    >
      <header className="anomaly-detail-head">
        <span className={`pill pill-${a.open ? 'critical' : 'degraded'}`}>
          {a.open ? 'open' : 'over'}
        </span>
        <h3>{a.dimensionValue ?? 'Cost anomaly'}</h3>
        <button
          type="button"
          className="button anomaly-close"
          onClick={onClose}
          aria-label="Close the detail"
        >
          Close
        </button>
      </header>
      <dl className="anomaly-facts">
        <div>
          <dt>Dates</dt>
          <dd data-testid="anomaly-dates">
            {a.start ? formatIsoLongDay(a.start) : '?'}
            {a.end && a.end !== a.start ? ` – ${formatIsoLongDay(a.end)}` : ''}
            {days !== null
              ? ` (${days} ${days === 1 ? 'day' : 'days'}${a.open ? ', still going on' : ''})`
              : ''}
          </dd>
        </div>
        <div>
          <dt>Impact</dt>
          <dd data-testid="anomaly-impact">
            <strong className="num">{formatUsd(a.impact.totalUsd)}</strong> above the expected{' '}
            {a.impact.expectedUsd !== null ? formatUsd(a.impact.expectedUsd) : 'spend'}
            {a.impact.percent !== null ? ` (${formatChangePct(a.impact.percent)})` : ''}
            {a.impact.actualUsd !== null ? `; actual ${formatUsd(a.impact.actualUsd)}` : ''};
            largest day +{formatUsd(a.impact.maxUsd)}
          </dd>
        </div>
        <div>
          <dt>Score</dt>
          <dd>{formatNumber(a.score.max)} (of 1)</dd>
        </div>
      </dl>
      {a.rootCauses.length > 0 ? (
        <table className="spend-table root-causes" data-testid="root-causes">
          <thead>
            <tr>
              <th>Root cause</th>
              <th className="num">Contribution</th>
            </tr>
          </thead>
          <tbody>
            {a.rootCauses.map((c, i) => (
              <tr key={i}>
                <td>
                  <div className="cell-name">{c.usageType ?? c.service ?? '—'}</div>
                  <div className="cell-sub">
                    {[
                      c.usageType ? c.service : undefined,
                      c.region,
                      c.linkedAccountName
                        ? `account ${c.linkedAccountName}${c.linkedAccount ? ` (${c.linkedAccount})` : ''}`
                        : c.linkedAccount
                          ? `account ${c.linkedAccount}`
                          : undefined,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </div>
                </td>
                <td className="num">
                  {c.contributionUsd === null ? '—' : formatUsd(c.contributionUsd)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="panel-empty">Cost Anomaly Detection named no root cause.</p>
      )}
    </section>
  );
}

export function MoversPanel(props: {
  movers: MoversReport | null;
  problem?: SpendError;
  query: SpendQuery;
  clock: PanelClock;
}) {
  const { movers, problem, query, clock } = props;
  const [dimension, setDimension] = useState<string>();
  const shown =
    movers?.byDimension.find((d) => d.dimension === dimension) ?? movers?.byDimension[0];
  return (
    <section className="card panel" data-testid="movers-panel" aria-label="Top movers">
      <PanelHead
        title="Top movers"
        detail={
          shown
            ? `${formatDayRange(shown.current.start, shown.current.end)} vs the week before`
            : undefined
        }
        freshness={movers?.freshness}
        clock={clock}
      >
        {movers ? <CsvLink table="movers" query={query} /> : null}
      </PanelHead>
      {!movers ? (
        problem ? (
          <PanelProblem error={problem} clock={clock} />
        ) : null
      ) : (
        <>
          <div className="segmented movers-dims" role="group" aria-label="Movers by">
            {movers.byDimension.map((d) => (
              <button
                key={d.dimension}
                type="button"
                className="segment"
                aria-pressed={d === shown}
                onClick={() => setDimension(d.dimension)}
              >
                {dimensionWords([d.dimension])}
              </button>
            ))}
          </div>
          {shown && shown.movers.length > 0 ? (
            <table className="spend-table" data-testid="movers-table">
              <thead>
                <tr>
                  <th>{dimensionWords([shown.dimension])}</th>
                  <th className="num col-wide">Week before</th>
                  <th className="num">Last 7 days</th>
                  <th className="num">Change</th>
                </tr>
              </thead>
              <tbody>
                {shown.movers.map((m) => (
                  <tr key={m.key}>
                    <td className="cell-name" title={m.label}>
                      {m.label}
                    </td>
                    <td className="num col-wide">{formatUsd(m.previous)}</td>
                    <td className="num">{formatUsd(m.current)}</td>
                    <td className={`num ${m.changeUsd > 0 ? 'up' : 'down'}`}>
                      {m.changeUsd > 0 ? '▲' : '▼'} {formatUsd(Math.abs(m.changeUsd))}
                      <div className="cell-sub">{formatChangePct(m.changePct)}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="panel-empty">
              Nothing moved by more than {formatUsd(shown?.floorUsd ?? 1)} a week.
            </p>
          )}
          {movers.unavailable.map((u) => (
            <p key={u.dimension} className="panel-note">
              By {dimensionWords([u.dimension])}: unavailable ({u.error.message}).
            </p>
          ))}
        </>
      )}
    </section>
  );
}

export function SpotPanel(props: {
  spot: SpotSavings | null;
  problem?: SpendError;
  query: SpendQuery;
  clock: PanelClock;
}) {
  const { spot, problem, query, clock } = props;
  return (
    <section className="card panel" data-testid="spot-panel" aria-label="Spot savings">
      <PanelHead
        title="Spot savings"
        detail={spot ? formatDayRange(spot.range.start, spot.range.end) : undefined}
        freshness={spot?.freshness}
        clock={clock}
      >
        {spot ? <CsvLink table="spot-savings" query={query} /> : null}
      </PanelHead>
      {!spot ? (
        problem ? (
          <PanelProblem error={problem} clock={clock} />
        ) : null
      ) : spot.lines.length === 0 ? (
        <p className="panel-empty">No spot instances ran in these days.</p>
      ) : (
        <>
          <p className="spend-card-line" data-testid="spot-total">
            Spot saved <strong className="num">{formatUsd(spot.totals.savingsUsd)}</strong>
            {spot.totals.savingsPct !== null
              ? ` (${formatValue(spot.totals.savingsPct, '%')})`
              : ''}{' '}
            against {formatUsd(spot.totals.onDemandEquivalentUsd)} on-demand.
          </p>
          <table className="spend-table" data-testid="spot-table">
            <thead>
              <tr>
                <th>Instance type</th>
                <th className="num col-wide">Hours</th>
                <th className="num">Spot</th>
                <th className="num col-wide">On-demand</th>
                <th className="num">Saved</th>
              </tr>
            </thead>
            <tbody>
              {spot.lines.map((l) => (
                <tr key={l.spotUsageType + l.region}>
                  <td className="cell-name" title={`${l.spotUsageType}, ${l.region}`}>
                    {l.instanceType}
                  </td>
                  <td className="num col-wide">{formatNumber(l.spotHours)}</td>
                  <td className="num">{formatUsd(l.spotCostUsd)}</td>
                  <td
                    className="num col-wide"
                    title={
                      l.onDemandRateUsd === null
                        ? 'on-demand rate unknown'
                        : `${formatUsd(l.onDemandRateUsd)}/h, ${l.rateFrom?.kind === 'account' ? `as the account paid for ${l.rateFrom.usageType}` : 'AWS list price'}`
                    }
                  >
                    {formatUsd(l.onDemandEquivalentUsd)}
                  </td>
                  <td className="num">
                    {l.savingsUsd === null ? '?' : formatUsd(l.savingsUsd)}
                    {l.savingsPct !== null ? (
                      <span className="cell-sub"> {formatValue(l.savingsPct, '%')}</span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="panel-note">
            {spot.method}
            {spot.totals.unpricedSpotCostUsd > 0
              ? ` ${formatUsd(spot.totals.unpricedSpotCostUsd)} of spot spend has no known on-demand rate and is not counted.`
              : ''}
          </p>
        </>
      )}
    </section>
  );
}

export function MeterPanel(props: { meter: MeterReport; query: SpendQuery; clock: PanelClock }) {
  const { meter, query, clock } = props;
  return (
    <section
      className="card panel"
      id="meter"
      data-testid="meter-panel"
      aria-label="Ballast's own AWS cost"
    >
      <PanelHead
        title="Ballast's own AWS cost"
        detail="every AWS request it made, at list price"
        clock={clock}
      >
        <CsvLink table="meter" query={query} />
      </PanelHead>
      <p className="spend-card-line" data-testid="meter-total">
        <strong className="num">{formatUsd(meter.today.usd)}</strong> today ·{' '}
        <strong className="num">{formatUsd(meter.month.usd)}</strong> this month ·{' '}
        <span title={meter.projectionBasis}>{formatUsd(meter.projectedMonthUsd)} projected</span>
      </p>
      {meter.lines.length === 0 ? (
        <p className="panel-empty">No AWS request this month.</p>
      ) : (
        <table className="spend-table" data-testid="meter-table">
          <thead>
            <tr>
              <th>Operation</th>
              <th className="num col-wide">Today</th>
              <th className="num">Requests</th>
              <th className="num">Cost</th>
            </tr>
          </thead>
          <tbody>
            {meter.lines.map((l) => (
              <tr key={`${l.service}:${l.operation}`}>
                <td className="cell-name" title={`${l.service} ${l.operation}`}>
                  {l.operation}
                  <div className="cell-sub">{l.service}</div>
                </td>
                <td className="num col-wide">{formatNumber(l.today.requests)}</td>
                <td
                  className="num"
                  title={l.month.pages ? `${l.month.pages} of them continuation pages` : undefined}
                >
                  {formatNumber(l.month.requests)}
                  {l.month.errors ? (
                    <span className="cell-sub"> {l.month.errors} failed</span>
                  ) : null}
                </td>
                <td className="num">{formatUsd(l.month.usd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="panel-note">
        Cost Explorer bills $0.01 a request (every page one); the dashboard reads it once a day and
        answers from its cache in between.
      </p>
    </section>
  );
}
