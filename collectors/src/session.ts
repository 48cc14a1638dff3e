// What a process keeps for a context across collections: one set of metered SDK clients
// (with their connection pools and credential chains) and the backoff state of each AWS
// operation. `health --watch` and the dashboard create one at start and pass it to every
// collection; a one-off collection makes its own.
import type { ResolvedContext, Store } from '@ballast/core';
import { Backoff, type BackoffOptions } from './backoff.js';
import { createAwsClients, type AwsClients, type AwsClientOptions } from './clients.js';
import { Meter } from './metering.js';

export interface CollectorSession {
  clients: AwsClients;
  backoff: Backoff;
  /** the clock of the call ledger and of the backoff (a pause starts when a call fails) */
  now: () => number;
}

export interface CollectorSessionOptions extends AwsClientOptions {
  /** the clock of the call ledger and of the backoff */
  now: () => number;
  /** randomness of the backoff's jitter; default Math.random */
  random?: BackoffOptions['random'];
}

export function createCollectorSession(
  context: ResolvedContext,
  store: Store,
  options: CollectorSessionOptions,
): CollectorSession {
  const { now, random, ...clientOptions } = options;
  return {
    clients: createAwsClients(context, new Meter(store, context.name, now), clientOptions),
    backoff: new Backoff(random ? { random } : {}),
    now,
  };
}
