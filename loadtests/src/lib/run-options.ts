// The run options of a script: the JSON file the runner writes (`-e
// BALLAST_RUN_OPTIONS=<path>`, read with open() at init), else the profile bundled into the
// script, so `k6 run dist/smoke.js` works alone against the local sandbox.
import type { K6RunOptions } from '@ballast/core';

/** Call at the top level of a scenario (k6's init context: open() works only there). */
export function loadRunOptions(bundled: K6RunOptions): K6RunOptions {
  const file = __ENV.BALLAST_RUN_OPTIONS;
  if (!file) return bundled;
  let parsed: K6RunOptions;
  try {
    parsed = JSON.parse(open(file)) as K6RunOptions;
  } catch (err) {
    throw new Error(
      `BALLAST_RUN_OPTIONS=${file} is not a readable JSON file of run options (${String(err)}); ` +
        'write it with `ballast loadtest plan`, or leave BALLAST_RUN_OPTIONS out to use the bundled profile.',
    );
  }
  if (!parsed || !parsed.options || !parsed.journey)
    throw new Error(`BALLAST_RUN_OPTIONS=${file} has no "options" and "journey": not run options.`);
  return parsed;
}
