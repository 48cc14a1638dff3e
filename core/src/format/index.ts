// Formatting of values, durations and times: one implementation for the CLI, the dashboard
// and health reasons. Free of zod and of anything else heavy, so the browser bundle can
// import it as `@ballast/core/format` (types from the model are erased at build).
export { valueAxis, type ValueAxis } from './axis.js';
export { csvField, csvNumber, toCsv, type CsvValue } from './csv.js';
export { formatPct, formatUsd, type UsdOptions } from './money.js';
export { formatNumber } from './number.js';
export { HEALTH_SOURCES, sourceFailureWords, sourceTitle } from './sources.js';
export { formatAge, formatAgo, formatClock, formatDuration, formatTimestamp } from './time.js';
export {
  displayUnitFor,
  displayUnits,
  formatIn,
  formatParts,
  formatThreshold,
  formatValue,
  joinParts,
  shortUnit,
  unitKind,
  type DisplayUnit,
  type UnitKind,
} from './value.js';
