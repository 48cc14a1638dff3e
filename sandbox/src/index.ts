// @ballast/sandbox: the stand-in deployed platform. An AWS-compatible endpoint (CloudWatch,
// Auto Scaling) over a seeded simulation of a PlatformConfig, plus the storefront API.
export { startSandbox, type RunningSandbox, type SandboxOptions } from './start-sandbox.js';
export { createSandboxServer, sandboxRequestListener, type SandboxContext } from './server.js';
export { Simulation, type SimulationOptions } from './simulation/simulation.js';
export type { BlackFridayOptions } from './simulation/traffic.js';
export { generateLargePlatform } from './platform/large-platform.js';
export { loadReferencePlatform } from './platform/platform-config.js';
export { FaultInjector, FaultRuleSchema, FaultRulesSchema, type FaultRule } from './aws/faults.js';
export { Random } from './random.js';
