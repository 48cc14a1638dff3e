// The money line a founder reads first, on the Overview and atop the Spend page: this
// month so far against the budget, where the month lands (with its band), the anomalies
// still going on, and what Ballast itself costs. Plain HTML (the Overview loads without
// the charting library). Cards name their month ("December so far"): an answer collected
// yesterday is last month's on the 1st, and says so.
import type { SpendError } from '@ballast/core';
import type { SpendSummary } from '../api.js';
import { formatChangePct, formatIsoMonth, formatUsd, formatValue } from '../format.js';
import { Link } from '../router.js';
import { SourceProblem } from './SourceBanners.js';

const STATUS_CLASS = { under: 'ok', 'at-risk': 'degraded', over: 'critical' } as const;

export function SpendHeadline({
  summary,
  now,
  receivedAt,
  onPage = false,
}: {
  summary: SpendSummary;
  now: number;
  receivedAt: number;
  /** on the Spend page (links stay on it) rather than the Overview */
  onPage?: boolean;
}) {
  const missing = (panel: SpendSummary['unavailable'][number]['panel']) =>
    summary.unavailable.find((u) => u.panel === panel)?.error;
  return (
    <section className="spend-headline" aria-label="Spend this month" data-testid="spend-headline">
      <MonthToDateCard
        summary={summary}
        problem={missing('forecast')}
        now={now}
        receivedAt={receivedAt}
      />
      <ForecastCard
        summary={summary}
        problem={missing('forecast')}
        now={now}
        receivedAt={receivedAt}
      />
      <AnomaliesCard
        summary={summary}
        problem={missing('anomalies')}
        href={onPage ? '#anomalies' : '/spend#anomalies'}
        now={now}
        receivedAt={receivedAt}
      />
      <article className="card spend-card" data-testid="spend-meter">
        <h2 className="spend-card-title">Ballast&apos;s own AWS cost</h2>
        <div className="spend-big">
          <span className="num">{formatUsd(summary.meter.today.usd)}</span>
          <span className="spend-big-unit">today</span>
        </div>
        <p className="spend-card-line">
          {formatUsd(summary.meter.month.usd)} this month ·{' '}
          {formatUsd(summary.meter.projectedMonthUsd)} projected
        </p>
        <p className="spend-card-note">
          {summary.meter.month.requests.toLocaleString('en-US')} AWS requests this month.{' '}
          {onPage ? (
            <a href="#meter">By operation ↓</a>
          ) : (
            <Link to="/spend#meter">By operation →</Link>
          )}
        </p>
      </article>
    </section>
  );
}

/** The card of a figure that could not be read: unknown, with why (never $0). */
function Unknown({
  title,
  testId,
  error,
  now,
  receivedAt,
}: {
  title: string;
  testId: string;
  error: SpendError;
  now: number;
  receivedAt: number;
}) {
  return (
    <article
      className="card spend-card spend-card-unknown"
      data-testid={testId}
      data-unknown="true"
    >
      <h2 className="spend-card-title">{title}</h2>
      <div className="spend-big">
        <span className="num">?</span>
      </div>
      <SourceProblem
        source={{ source: 'Cost Explorer', ok: false, error }}
        now={now}
        receivedAt={receivedAt}
      />
    </article>
  );
}

/** A card of the headline: the summary, the failure of what it shows (if any), the clock. */
interface CardProps {
  summary: SpendSummary;
  problem?: SpendError;
  now: number;
  receivedAt: number;
}

function MonthToDateCard({ summary, problem, now, receivedAt }: CardProps) {
  const { monthToDate: mtd, budget, lastMonth } = summary;
  const monthName = formatIsoMonth(summary.month);
  if (!mtd && problem)
    return (
      <Unknown
        title={`${monthName} so far`}
        testId="spend-mtd"
        error={problem}
        now={now}
        receivedAt={receivedAt}
      />
    );
  const last = lastMonth ? (
    <p className="spend-card-line" data-testid="spend-last-month">
      {formatIsoMonth(lastMonth.month)}{' '}
      {lastMonth.estimated ? 'came to (still estimated)' : 'closed at'}{' '}
      <strong className="num">{formatUsd(lastMonth.amount)}</strong>
      {lastMonth.budgetUsd !== null ? (
        <>
          , {formatValue((lastMonth.amount / lastMonth.budgetUsd) * 100, '%')} of its{' '}
          {formatUsd(lastMonth.budgetUsd)} budget
        </>
      ) : null}
      .
    </p>
  ) : null;
  if (summary.monthJustBegan || !mtd || mtd.days === 0)
    return (
      <article className="card spend-card" data-testid="spend-mtd" data-month-began="true">
        <h2 className="spend-card-title">{monthName} so far</h2>
        <div className="spend-big spend-big-words" data-testid="spend-month-began">
          {monthName} just began
        </div>
        <p className="spend-card-note">
          No complete day in the bill yet
          {mtd && mtd.amountWithToday > 0
            ? ` (${formatUsd(mtd.amountWithToday)} today so far, estimated)`
            : ''}
          .
        </p>
        {last}
      </article>
    );
  const used = budget ? (mtd.amountWithToday / budget.budgetUsd) * 100 : null;
  return (
    <article className="card spend-card" data-testid="spend-mtd">
      <h2 className="spend-card-title">{monthName} so far</h2>
      <div className="spend-big">
        <span className="num" data-testid="spend-mtd-amount">
          {formatUsd(mtd.amountWithToday)}
        </span>
        {budget ? (
          <span className="spend-big-unit">of {formatUsd(budget.budgetUsd)} budget</span>
        ) : null}
      </div>
      {used !== null ? (
        <div
          className="meter-bar"
          aria-label={`${formatValue(used, '%')} of the monthly budget used`}
        >
          <span
            className={`meter-fill meter-${used > 100 ? 'critical' : used > 90 ? 'degraded' : 'ok'}`}
            style={{ width: `${Math.min(100, used)}%` }}
          />
        </div>
      ) : null}
      <p className="spend-card-line">
        {mtd.days} complete {mtd.days === 1 ? 'day' : 'days'}: {formatUsd(mtd.amount)},{' '}
        <span className={mtd.changePct !== null && mtd.changePct > 0 ? 'up' : 'down'}>
          {formatChangePct(mtd.changePct)}
        </span>{' '}
        vs the same days of {formatIsoMonth(mtd.previousMonth)} ({formatUsd(mtd.previousAmount)})
      </p>
      {used !== null ? (
        <p className="spend-card-note">{formatValue(used, '%')} of the monthly budget used.</p>
      ) : null}
    </article>
  );
}

function ForecastCard({ summary, problem, now, receivedAt }: CardProps) {
  const { forecast, budget } = summary;
  if (!forecast)
    return problem ? (
      <Unknown
        title={`${formatIsoMonth(summary.month)} forecast`}
        testId="spend-forecast"
        error={problem}
        now={now}
        receivedAt={receivedAt}
      />
    ) : null;
  const band = forecast.lower !== null && forecast.upper !== null;
  return (
    <article
      className="card spend-card"
      data-testid="spend-forecast"
      data-status={budget?.status ?? 'none'}
    >
      <h2 className="spend-card-title">{formatIsoMonth(summary.month)} forecast</h2>
      <div className="spend-big">
        <span className="num" data-testid="spend-forecast-amount">
          {formatUsd(forecast.mean)}
        </span>
        {budget ? (
          <span
            className={`pill pill-${STATUS_CLASS[budget.status]}`}
            data-testid="spend-budget-status"
          >
            {budget.status === 'over'
              ? `${formatUsd(budget.overByUsd)} over budget`
              : budget.status === 'at-risk'
                ? 'At risk'
                : 'Within budget'}
          </span>
        ) : null}
      </div>
      <BudgetBar summary={summary} />
      <p className="spend-card-line">
        {band ? (
          <>
            80% likely between {formatUsd(forecast.lower)} and {formatUsd(forecast.upper)}
          </>
        ) : forecast.basis === 'run-rate' ? (
          'Projected from the last 7 days (Cost Explorer gave no forecast)'
        ) : (
          'No prediction interval'
        )}
        {budget ? (
          <>
            {' '}
            · budget {formatUsd(budget.budgetUsd)}
            {budget.status === 'under' ? `, ${formatUsd(-budget.overByUsd)} to spare` : ''}
          </>
        ) : (
          ' · no monthly budget set (spend.budgets.monthly)'
        )}
      </p>
      {summary.budgetsAtRisk.length > 0 ? (
        <p className="spend-card-note" data-testid="spend-budgets-at-risk">
          {summary.budgetsAtRisk
            .slice(0, 3)
            .map(
              (b) =>
                `${b.label} ${b.status === 'over' ? `over by ${formatUsd(b.overByUsd)}` : 'at risk'}`,
            )
            .join(' · ')}
        </p>
      ) : null}
    </article>
  );
}

/**
 * Spent so far, the forecast's mean and its band, and the budget, on one scale: where the
 * month stands and where it lands. Words for each part are in the legend below, never on
 * the bar (they would collide).
 */
function BudgetBar({ summary }: { summary: SpendSummary }) {
  const { forecast, budget, monthToDate } = summary;
  if (!forecast) return null;
  const actual = monthToDate?.amountWithToday ?? budget?.actualUsd ?? 0;
  const top =
    Math.max(forecast.upper ?? 0, forecast.mean, budget?.budgetUsd ?? 0, actual) * 1.04 || 1;
  const pct = (v: number) => `${Math.max(0, Math.min(100, (v / top) * 100))}%`;
  return (
    <div className="budget-bar-wrap">
      <div
        className="budget-bar"
        data-testid="forecast-bar"
        role="img"
        aria-label={barWords(summary)}
      >
        {forecast.lower !== null && forecast.upper !== null ? (
          <span
            className="bb-band"
            data-testid="forecast-band"
            style={{
              left: pct(forecast.lower),
              width: `calc(${pct(forecast.upper)} - ${pct(forecast.lower)})`,
            }}
          />
        ) : null}
        <span className="bb-forecast" style={{ width: pct(forecast.mean) }} />
        <span className="bb-actual" style={{ width: pct(actual) }} />
        {budget ? <span className="bb-budget" style={{ left: pct(budget.budgetUsd) }} /> : null}
      </div>
      <div className="bb-legend">
        <span className="legend-item">
          <span className="legend-box bb-key-actual" /> spent
        </span>
        <span className="legend-item">
          <span className="legend-box bb-key-forecast" /> forecast
        </span>
        {forecast.lower !== null ? (
          <span className="legend-item">
            <span className="legend-box bb-key-band" /> 80% band
          </span>
        ) : null}
        {budget ? (
          <span className="legend-item">
            <span className="bb-key-budget" /> budget
          </span>
        ) : null}
      </div>
    </div>
  );
}

function barWords(summary: SpendSummary): string {
  const { forecast, budget } = summary;
  const parts = [
    `forecast ${formatUsd(forecast?.mean)}`,
    forecast?.lower !== null && forecast?.lower !== undefined
      ? `between ${formatUsd(forecast.lower)} and ${formatUsd(forecast.upper)}`
      : '',
    budget ? `budget ${formatUsd(budget.budgetUsd)}` : '',
  ];
  return parts.filter(Boolean).join(', ');
}

function AnomaliesCard({ summary, problem, href, now, receivedAt }: CardProps & { href: string }) {
  const { anomalies } = summary;
  if (!anomalies)
    return (
      <Unknown
        title="Open cost anomalies"
        testId="spend-anomalies-card"
        error={problem ?? { kind: 'service-error', message: 'Cost anomalies could not be read' }}
        now={now}
        receivedAt={receivedAt}
      />
    );
  const link = href.startsWith('#') ? (
    <a href={href}>Root causes ↓</a>
  ) : (
    <Link to={href}>Root causes →</Link>
  );
  return (
    <article
      className={`card spend-card ${anomalies.open > 0 ? 'spend-card-alert' : ''}`}
      data-testid="spend-anomalies-card"
    >
      <h2 className="spend-card-title">Open cost anomalies</h2>
      <div className="spend-big">
        <span className="num" data-testid="spend-anomalies-open">
          {anomalies.open}
        </span>
        <span className="spend-big-unit">
          {anomalies.open === 1 ? 'anomaly' : 'anomalies'} going on
        </span>
      </div>
      <p className="spend-card-line">
        {anomalies.open > 0
          ? `${formatUsd(anomalies.openImpactUsd)} above the expected spend so far.`
          : 'Cost Anomaly Detection sees nothing unusual now.'}
      </p>
      <p className="spend-card-note">{link}</p>
    </article>
  );
}
