// Defaults shared by the CLI, the start scripts and the servers, so each is said once.

/** The sandbox's AWS-compatible endpoint, on LocalStack's port. */
export const DEFAULT_SANDBOX_PORT = 4566;

/** The dashboard. */
export const DEFAULT_DASHBOARD_PORT = 7300;

/** The seed of the sandbox's simulation: the same seed replays the same traffic and incidents. */
export const DEFAULT_SANDBOX_SEED = 1;
