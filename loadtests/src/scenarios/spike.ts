// Spike: a sudden jump to 2,000 shoppers in 30 seconds and back; does scaling catch up, does the store recover?
// Load shape and thresholds come from the run options (profiles/spike.json by default).
import bundled from 'ballast:run-options/spike';
import { loadRunOptions } from '../lib/run-options';
import { shop } from '../lib/session';

export { handleSummary } from '../lib/summary';

const run = loadRunOptions(bundled);

export const options = run.options;

export default function shopper(): void {
  shop(run.journey);
}
