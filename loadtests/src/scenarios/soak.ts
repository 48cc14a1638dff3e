// Soak: 600 shoppers for three hours; leaks, creeping latency and the cost of a sustained load.
// Load shape and thresholds come from the run options (profiles/soak.json by default).
import bundled from 'ballast:run-options/soak';
import { loadRunOptions } from '../lib/run-options';
import { shop } from '../lib/session';

export { handleSummary } from '../lib/summary';

const run = loadRunOptions(bundled);

export const options = run.options;

export default function shopper(): void {
  shop(run.journey);
}
