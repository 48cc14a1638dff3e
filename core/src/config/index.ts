export { ConfigError, formatIssue, type ConfigIssue } from './config-error.js';
export { formatPath } from './parse-document.js';
export {
  loadPlatformConfig,
  parsePlatformConfig,
  referencePlatformConfigPath,
  selectTier,
  UnknownTierError,
} from './platform-config.js';
