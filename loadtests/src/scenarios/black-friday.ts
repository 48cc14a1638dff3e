// Black Friday: baseline, the door-buster rush at the opening minute, the 200 -> 2,400 concurrent-shopper surge within 15 minutes, a hold at the peak, the cool-down.
// Load shape and thresholds come from the run options (profiles/black-friday.json by default).
import bundled from 'ballast:run-options/black-friday';
import { loadRunOptions } from '../lib/run-options';
import { shop } from '../lib/session';

export { handleSummary } from '../lib/summary';

const run = loadRunOptions(bundled);

export const options = run.options;

export default function shopper(): void {
  shop(run.journey);
}
