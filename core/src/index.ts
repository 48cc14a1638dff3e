export * from './model/health.js';
export * from './model/platform.js';

/** Absolute path of the reference platform config that the sandbox simulates. */
export const referencePlatformConfigPath = new URL('../platforms/sandbox.yaml', import.meta.url)
  .pathname;
