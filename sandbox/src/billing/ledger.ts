// The daily billing ledger: a quantity per line item per UTC day, priced at list prices. Usage
// is recorded in time order (history estimates, then the simulation minute by minute); Cost
// Explorer sees it as of its last refresh, every 8 hours, as AWS refreshes billing data about
// three times a day.
import { DAY_MS, HOUR_MS } from '../time.js';
import { LineRegistry, type Line, type LineSpec } from './lines.js';
import { spotPrice, tieredCost } from './prices.js';

/** How often the data Cost Explorer shows is refreshed (00:00, 08:00 and 16:00 UTC). */
export const REFRESH_MS = 8 * HOUR_MS;

export const epochDay = (t: number): number => Math.floor(t / DAY_MS);

/**
 * The first day Cost Explorer has data for at time t: the first of the month 13 months before
 * t's month (13 full months and the current one; the ledger starts there).
 */
export function ledgerFirstDay(t: number): number {
  const d = new Date(t);
  return epochDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 13, 1));
}

let lastDay = Number.NaN;
let lastDays = 0;

/** Days in the UTC month of an epoch day (asked for every simulated minute: the last is kept). */
export function daysInMonth(day: number): number {
  if (day !== lastDay) {
    const d = new Date(day * DAY_MS);
    lastDays = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    lastDay = day;
  }
  return lastDays;
}

/** What one day of the bill holds: quantity and cost per line id (missing = none). */
export interface DayRecord {
  day: number;
  quantity: readonly number[];
  cost: readonly number[];
}

/** The bill as Cost Explorer shows it at one refresh. */
export interface LedgerView {
  /** the refresh these figures come from */
  refreshedAt: number;
  firstDay: number;
  /** last day with figures: the refresh's day when it has some usage, else the day before */
  lastDay: number;
  /** the last day is partial (usage up to refreshedAt) */
  lastDayPartial: boolean;
  lines: readonly Line[];
  day(day: number): DayRecord | undefined;
}

export class BillingLedger {
  private readonly registry = new LineRegistry();
  /** quantities per day (index: day - firstDay), per line id */
  private readonly quantities: number[][] = [];
  /** costs of days that are complete and priced, same indexing */
  private readonly costs: number[][] = [];
  /** month-to-date volume of each tier pool after the last priced day */
  private pools = new Map<string, number>();
  private pricedMonth = -1;
  /** the open day's quantities at the last refresh that was not at midnight */
  private snapshot: { at: number; quantity: number[] } | undefined;
  private recordedTo: number;

  constructor(
    readonly seed: number,
    /** first day of the ledger (epoch day, UTC) */
    readonly firstDay: number,
    /** usage is recorded in time order from here (earlier usage is filled in separately) */
    recordingFrom: number,
  ) {
    this.recordedTo = recordingFrom;
  }

  get lines(): readonly Line[] {
    return this.registry.lines;
  }

  /** Usage has been recorded up to here. */
  get recordedUntil(): number {
    return this.recordedTo;
  }

  line(spec: LineSpec): number {
    return this.registry.id(spec);
  }

  /**
   * The quantities of t's UTC day, by line id, to add to in a hot loop (undefined before the
   * ledger starts). Add only positive amounts.
   */
  dayRow(t: number): number[] | undefined {
    return this.row(epochDay(t));
  }

  /** Add usage of a line at time t (to t's UTC day). Usage before the ledger is dropped. */
  add(t: number, lineId: number, quantity: number): void {
    if (!(quantity > 0)) return;
    const row = this.row(epochDay(t));
    if (row) row[lineId] = (row[lineId] ?? 0) + quantity;
  }

  /** Add usage to a day directly (epoch day). */
  addToDay(day: number, lineId: number, quantity: number): void {
    if (!(quantity > 0)) return;
    const row = this.row(day);
    if (row) row[lineId] = (row[lineId] ?? 0) + quantity;
  }

  /** Usage is recorded up to t: take the refreshes passed on the way. */
  advanceTo(t: number): void {
    if (t <= this.recordedTo) return;
    const last = Math.floor(t / REFRESH_MS) * REFRESH_MS;
    if (last > this.recordedTo && last % DAY_MS !== 0) {
      this.snapshot = { at: last, quantity: [...(this.row(epochDay(last)) ?? [])] };
    }
    this.recordedTo = t;
  }

  /**
   * The open day's quantities as of the refresh at `at`, to complete with usage recorded out
   * of order (history filled in later); created empty if that refresh took no snapshot.
   */
  snapshotRow(at: number): number[] {
    if (this.snapshot?.at !== at) this.snapshot = { at, quantity: [] };
    return this.snapshot.quantity;
  }

  /** The last refresh at or before t (never after what has been recorded). */
  refreshAt(t: number): number {
    return Math.floor(Math.min(t, this.recordedTo) / REFRESH_MS) * REFRESH_MS;
  }

  /** The bill as Cost Explorer shows it at time `now` (figures of the last refresh). */
  view(now: number): LedgerView {
    const refreshedAt = this.refreshAt(now);
    const refreshDay = epochDay(refreshedAt);
    const lastComplete = refreshDay - 1;
    this.priceThrough(lastComplete);
    let partial: DayRecord | undefined;
    if (refreshedAt % DAY_MS !== 0 && this.snapshot?.at === refreshedAt) {
      const quantity = this.snapshot.quantity;
      partial = {
        day: refreshDay,
        quantity,
        cost: this.price(
          refreshDay,
          quantity,
          new Map(this.pools),
          this.samePricedMonth(refreshDay),
        ),
      };
    }
    const hasPartial = partial !== undefined && partial.quantity.some((q) => q > 0);
    return {
      refreshedAt,
      firstDay: this.firstDay,
      lastDay: hasPartial ? refreshDay : lastComplete,
      lastDayPartial: hasPartial,
      lines: this.lines,
      day: (day) => {
        if (day === refreshDay) return hasPartial ? partial : undefined;
        if (day < this.firstDay || day > lastComplete) return undefined;
        const i = day - this.firstDay;
        return { day, quantity: this.quantities[i] ?? [], cost: this.costs[i] ?? [] };
      },
    };
  }

  /** The row of a day, created on first use; undefined before the ledger starts. */
  private row(day: number): number[] | undefined {
    const i = day - this.firstDay;
    if (i < 0) return undefined;
    while (this.quantities.length <= i) this.quantities.push([]);
    return this.quantities[i];
  }

  /** Price every complete day up to `lastDay`, in order (tiers count the month so far). */
  private priceThrough(lastDay: number): void {
    for (let day = this.firstDay + this.costs.length; day <= lastDay; day++) {
      const month = monthOf(day);
      if (month !== this.pricedMonth) {
        this.pools = new Map();
        this.pricedMonth = month;
      }
      this.costs.push(
        this.price(day, this.quantities[day - this.firstDay] ?? [], this.pools, true),
      );
    }
  }

  private samePricedMonth(day: number): boolean {
    return monthOf(day) === this.pricedMonth;
  }

  /** Costs of a day's quantities; tiered pools continue from `pools` (updated in place). */
  private price(
    day: number,
    quantity: readonly number[],
    pools: Map<string, number>,
    continueMonth: boolean,
  ): number[] {
    if (!continueMonth) pools.clear();
    const cost: number[] = [];
    for (let id = 0; id < quantity.length; id++) {
      const q = quantity[id];
      if (q === undefined || !(q > 0)) continue;
      const price = this.lines[id]!.price;
      switch (price.kind) {
        case 'flat':
          cost[id] = q * price.usd;
          break;
        case 'spot':
          cost[id] = q * spotPrice(this.seed, price.instanceType, day);
          break;
        case 'tiered': {
          const before = pools.get(price.pool) ?? 0;
          cost[id] = tieredCost(price.tiers, before, q);
          pools.set(price.pool, before + q);
          break;
        }
      }
    }
    return cost;
  }
}

function monthOf(day: number): number {
  const d = new Date(day * DAY_MS);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}
