export { LoadTestError } from './errors.js';
export {
  findK6,
  K6_INSTALL_ACTIONS,
  K6_INSTALL_URL,
  locateK6,
  parseK6Version,
  type K6Binary,
  type K6Version,
} from './k6.js';
export {
  parseK6Metrics,
  parseK6Status,
  parseSummaryExport,
  summaryFromMetrics,
  toSample,
  type K6Metric,
  type K6Status,
} from './k6-results.js';
export {
  DEFAULT_POLL_MS,
  DEFAULT_STOP_GRACE_MS,
  K6_DEFAULT_API_PORT,
  startK6Run,
  type K6Run,
  type K6RunEvent,
  type K6ProcessOptions,
  type K6RunResult,
} from './runner.js';
export {
  k6Results,
  kneeLimitsOf,
  loadTestReport,
  REPORT_PADDING_MS,
  renderLoadTestReportHtml,
  type LoadTestReport,
  type LoadTestReportOptions,
  type PlatformSignal,
  type StepResult,
} from './report.js';
export {
  loadTestId,
  runningRefusal,
  startLoadTest,
  type LoadTestSession,
  type StartLoadTestOptions,
} from './service.js';
export {
  applyManifests,
  kubectl,
  kubernetesName,
  OPERATOR_MOUNT,
  testRunManifests,
  testRunStatus,
  writeManifests,
  type TestRunManifests,
  type TestRunSpec,
  type TestRunStatus,
} from './operator.js';
export {
  planLoadTest,
  type LoadTestPlan,
  type PlanLoadTestOptions,
  type PreflightCheck,
  type PreflightOverride,
} from './plan.js';
export {
  followTestRun,
  mergePodSummaries,
  podResults,
  runDistributedLoadTest,
  runnerPods,
  summaryFromLog,
  SUMMARY_MARKER,
  type DistributedRunOptions,
  type DistributedRunResult,
  type PodSummary,
} from './distributed.js';
