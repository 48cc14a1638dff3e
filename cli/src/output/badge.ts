// Status badges: a symbol plus a word, so the status reads the same without color.
import {
  alarmStanding,
  scalingDirection,
  type Alarm,
  type AlarmState,
  type BudgetStatusValue,
  type Status,
} from '@ballast/core';
import type { Palette } from './style.js';

type Color = 'green' | 'yellow' | 'red' | 'gray' | 'cyan';
interface Look {
  symbol: string;
  word: string;
  color: Color;
}

const STATUS: Record<Status, Look> = {
  ok: { symbol: '●', word: 'OK', color: 'green' },
  degraded: { symbol: '▲', word: 'DEGRADED', color: 'yellow' },
  critical: { symbol: '✖', word: 'CRITICAL', color: 'red' },
  unknown: { symbol: '?', word: 'UNKNOWN', color: 'gray' },
};

const ALARM: Record<AlarmState, Look> = {
  ALARM: { symbol: '✖', word: 'ALARM', color: 'red' },
  OK: { symbol: '●', word: 'OK', color: 'green' },
  // CloudWatch's INSUFFICIENT_DATA: too long for a narrow state column.
  INSUFFICIENT_DATA: { symbol: '?', word: 'NO DATA', color: 'gray' },
};

export function statusBadge(status: Status, palette: Palette): string {
  const { symbol, word, color } = STATUS[status];
  return palette[color](`${symbol} ${word}`);
}

/** Only the symbol, colored: for dense places such as one sparkline per signal. */
export function statusSymbol(status: Status, palette: Palette): string {
  const { symbol, color } = STATUS[status];
  return palette[color](symbol);
}

/** Colors any text in the color of a status. */
export function paintStatus(status: Status, palette: Palette, text: string): string {
  return palette[STATUS[status].color](text);
}

/** Auto Scaling's target-tracking alarms in ALARM: scaling, not a problem (core's alarmStanding). */
const SCALING: Record<'out' | 'in' | 'other', Look> = {
  out: { symbol: '↑', word: 'SCALE OUT', color: 'cyan' },
  in: { symbol: '↓', word: 'SCALE IN', color: 'cyan' },
  other: { symbol: '↕', word: 'SCALING', color: 'cyan' },
};

export function alarmBadge(state: AlarmState, palette: Palette): string {
  const { symbol, word, color } = ALARM[state];
  return palette[color](`${symbol} ${word}`);
}

/**
 * An alarm's state as Ballast reads it: a firing alarm in red, a target-tracking alarm in
 * ALARM as the scaling it triggers (AlarmHigh: out, AlarmLow: in), the same way `health`
 * counts it.
 */
export function alarmStandingBadge(
  alarm: Pick<Alarm, 'name' | 'description' | 'state'>,
  palette: Palette,
): string {
  if (alarmStanding(alarm) !== 'scaling') return alarmBadge(alarm.state, palette);
  const { symbol, word, color } = SCALING[scalingDirection(alarm) ?? 'other'];
  return palette[color](`${symbol} ${word}`);
}

const BUDGET: Record<BudgetStatusValue, Look> = {
  under: { symbol: '●', word: 'UNDER', color: 'green' },
  'at-risk': { symbol: '▲', word: 'AT RISK', color: 'yellow' },
  over: { symbol: '✖', word: 'OVER', color: 'red' },
};

/** A budget against its month: under, at risk (the forecast's interval reaches past it), over. */
export function budgetBadge(status: BudgetStatusValue, palette: Palette): string {
  const { symbol, word, color } = BUDGET[status];
  return palette[color](`${symbol} ${word}`);
}
