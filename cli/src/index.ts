// The CLI's programmatic surface: the base command and error types, for commands added
// by other workspaces, and the result types that `--json` prints.
export {
  BallastCommand,
  contextFlags,
  formatHumanError,
  type ContextFlags,
  type JsonFailure,
  type JsonSuccess,
} from './base-command.js';
export { BugError, toCliError, USAGE_EXIT_CODE, UserError, type ErrorContext } from './errors.js';
export type { AlarmsResult } from './commands/alarms.js';
export type { ContextAddResult } from './commands/context/add.js';
export type { ContextListResult } from './commands/context/list.js';
export type { ContextUseResult } from './commands/context/use.js';
export type { DashboardResult } from './commands/dashboard.js';
export type { HealthResult } from './commands/health.js';
export type { SandboxResult } from './commands/sandbox.js';
