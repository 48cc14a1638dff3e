// Load tests as bands on the Health charts: each run's window (start to end, or to now while
// it runs) shaded behind the data on every chart, so the whole page reads as one timeline of
// what the test did to each tier.
import { ReferenceArea } from 'recharts';
import type { LoadTestListItem } from '../api.js';

export const LOAD_TEST_COLOUR = '#a371f7';
export const LOAD_TEST_BAND = { fillOpacity: 0.2 } as const;

export interface LoadTestWindow {
  id: string;
  scenario: string;
  status: LoadTestListItem['status'];
  start: number;
  end: number;
}

/** The runs whose window overlaps `window`, clipped to it (a running test ends at `now`). */
export function loadTestWindows(
  runs: readonly Pick<LoadTestListItem, 'id' | 'scenario' | 'status' | 'startedAt' | 'endedAt'>[],
  window: { start: number; end: number },
  now: number,
): LoadTestWindow[] {
  return runs
    .map((r) => ({
      id: r.id,
      scenario: r.scenario,
      status: r.status,
      start: Math.max(r.startedAt, window.start),
      end: Math.min(r.endedAt ?? (r.status === 'running' ? now : r.startedAt), window.end),
    }))
    .filter((w) => w.end > w.start)
    .sort((a, b) => a.start - b.start);
}

/** The bands, as layers of a recharts chart (behind its lines: put them first). */
export function loadTestBands(windows: readonly LoadTestWindow[] | undefined) {
  return (windows ?? []).map((w) => (
    <ReferenceArea
      key={`lt-${w.id}`}
      x1={w.start}
      x2={w.end}
      fill={LOAD_TEST_COLOUR}
      fillOpacity={LOAD_TEST_BAND.fillOpacity}
      stroke={LOAD_TEST_COLOUR}
      strokeOpacity={0.35}
      ifOverflow="hidden"
      shape={(area: { x?: number; y?: number; width?: number; height?: number }) => (
        <rect
          x={area.x}
          y={area.y}
          width={Math.max(1, area.width ?? 0)}
          height={area.height}
          fill={LOAD_TEST_COLOUR}
          fillOpacity={LOAD_TEST_BAND.fillOpacity}
          data-testid="loadtest-band"
          data-run={w.id}
        >
          <title>{`load test ${w.scenario} (${w.id}, ${w.status})`}</title>
        </rect>
      )}
    />
  ));
}
