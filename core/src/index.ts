export * from './model/health.js';
export * from './model/platform.js';
export * from './capacity/index.js';
export * from './config/index.js';
export * from './context/index.js';
export * from './duration.js';
export * from './health/index.js';
export * from './paths.js';
export * from './store/index.js';

/** Absolute path of the reference platform config that the sandbox simulates. */
export const referencePlatformConfigPath = new URL('../platforms/sandbox.yaml', import.meta.url)
  .pathname;
