// What the Auto Scaling operations share: their context, the lookup of a group with AWS's
// error when it does not exist, MaxRecords and offset paging.
import { z } from 'zod';
import type { AutoScalingGroup } from '../simulation/auto-scaling-group.js';
import type { Simulation } from '../simulation/simulation.js';
import { AwsError, decodeToken, encodeToken, fingerprint, validationError } from './protocol.js';
import type { QueryParams } from './query-params.js';

export interface AutoScalingContext {
  simulation: Simulation;
  /** simulated "now", epoch ms */
  now: number;
}

/** An operation returns the inner XML of its <Action>Result> element (undefined: none). */
export type AutoScalingHandler = (
  params: QueryParams,
  ctx: AutoScalingContext,
) => string | undefined;

/**
 * The group a write names. AWS words "not found" differently per operation: most name the
 * group, UpdateAutoScalingGroup and the scheduled-action writes say "null".
 */
export function groupFor(
  ctx: AutoScalingContext,
  name: string,
  wording: 'named' | 'null' = 'named',
): AutoScalingGroup {
  const group = ctx.simulation.groups.get(name);
  if (group) return group;
  throw validationError(
    wording === 'null'
      ? 'AutoScalingGroup name not found - null'
      : `AutoScalingGroup name not found - AutoScalingGroup ${name} not found`,
  );
}

/**
 * min <= desired <= max, with the group's own limits for those not given, refused in AWS's
 * words (UpdateAutoScalingGroup and scheduled actions).
 */
export function checkSize(
  group: AutoScalingGroup,
  size: {
    MinSize?: number | undefined;
    MaxSize?: number | undefined;
    DesiredCapacity?: number | undefined;
  },
): void {
  const min = size.MinSize ?? group.minSize;
  const max = size.MaxSize ?? group.maxSize;
  const desired = size.DesiredCapacity;
  if (min > max)
    throw validationError(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
  if (desired !== undefined && (desired < min || desired > max))
    throw validationError(
      `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`,
    );
}

export const limitExceeded = (message: string) => new AwsError('LimitExceeded', message, 400);

export function maxRecords(params: QueryParams, fallback: number): number {
  const raw = params.get('MaxRecords');
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(n) || n < 1 || n > 100) {
    throw validationError(
      `1 validation error detected: Value '${raw}' at 'maxRecords' failed to satisfy constraint: Member must have value between 1 and 100`,
    );
  }
  return n;
}

const OffsetCursor = z.number().int().min(0);

/** One page of `items` from the offset in NextToken; the token is refused for another request. */
export function page<T>(
  items: readonly T[],
  params: QueryParams,
  pageSize: number,
  request: unknown,
): { items: T[]; nextToken: string | undefined } {
  const print = fingerprint(request);
  const offset = decodeToken(params.get('NextToken'), print, OffsetCursor) ?? 0;
  return {
    items: items.slice(offset, offset + pageSize),
    nextToken: offset + pageSize < items.length ? encodeToken(offset + pageSize, print) : undefined,
  };
}

/** A list parameter of at most `max` names, with AWS's validation text past it. */
export function nameList(params: QueryParams, name: string, max: number): string[] {
  const field = name.charAt(0).toLowerCase() + name.slice(1);
  return params.list(name, {
    max,
    error: () =>
      validationError(
        `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
      ),
  });
}
