// Smoke: a few shoppers for a minute, every journey step taken, to prove the store answers before any heavier test.
// Load shape and thresholds come from the run options (profiles/smoke.json by default).
import bundled from 'ballast:run-options/smoke';
import { loadRunOptions } from '../lib/run-options';
import { shop } from '../lib/session';

export { handleSummary } from '../lib/summary';

const run = loadRunOptions(bundled);

export const options = run.options;

export default function shopper(): void {
  shop(run.journey);
}
