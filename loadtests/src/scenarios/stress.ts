// Stress: shoppers climb in held steps until latency or errors break: the knee.
// Load shape and thresholds come from the run options (profiles/stress.json by default).
import bundled from 'ballast:run-options/stress';
import { loadRunOptions } from '../lib/run-options';
import { shop } from '../lib/session';

export { handleSummary } from '../lib/summary';

const run = loadRunOptions(bundled);

export const options = run.options;

export default function shopper(): void {
  shop(run.journey);
}
