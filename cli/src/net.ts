// What the commands that listen (sandbox, dashboard) tell the user when they cannot: the
// advice is core's one mapping of listen errors, in the words of these flags.
import { findFreePort, listenAdvice } from '@ballast/core';
import { UserError } from './errors.js';

/**
 * A listen() failure the user can fix (port in use or not allowed, address not of this
 * machine) as a UserError whose advice names a port that is free right now; undefined for
 * anything else. Decided by the error's code, never its message.
 */
export async function listenError(
  err: unknown,
  what: string,
  host: string,
  port: number,
): Promise<UserError | undefined> {
  const target = { what, host, port };
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const freePort =
    code === 'EADDRINUSE' || code === 'EACCES' ? await findFreePort(host, port) : undefined;
  const advice = listenAdvice(err, target, {
    portHint: (p) => `--port ${p}`,
    hostHint: (h) => `--host ${h}`,
    ...(freePort !== undefined ? { freePort } : {}),
  });
  return advice
    ? new UserError(advice.message, { code: advice.code, cause: err, actions: advice.actions })
    : undefined;
}
