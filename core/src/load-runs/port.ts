// The change engine's view of load tests, from the store: the runs of a context still
// running, after marking those whose runner process died as interrupted.
import { hostname } from 'node:os';
import type { LoadTestsPort } from '../changes/ports.js';
import type { Store } from '../store/store.js';
import type { LoadTestRun } from './model.js';

/** Whether a process of this host runs (a process of another user counts: EPERM). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * "Its process is gone": only a run held on this host can be checked; one held elsewhere
 * counts as running until it records its outcome.
 */
export function orphanedRun(
  alive: (pid: number) => boolean = processAlive,
  host: string = hostname(),
): (held: LoadTestRun) => boolean {
  return (held) => held.holder.endsWith(`@${host}`) && !alive(held.pid);
}

export function storeLoadTests(
  store: Store,
  context: string,
  options: { processAlive?: (pid: number) => boolean; host?: string } = {},
): LoadTestsPort {
  const orphaned = orphanedRun(options.processAlive, options.host);
  return {
    running: (now) =>
      Promise.resolve(
        store.loadTests.running(context, orphaned, now).map((run) => ({
          id: run.id,
          targets: run.tiers,
          startedAt: run.startedAt,
        })),
      ),
  };
}
