/** A load-test problem the user can fix: what happened, what to do, and the exit code. */
export class LoadTestError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly actions: string[] = [],
    options?: { cause?: unknown; exitCode?: number },
  ) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'LoadTestError';
    this.exitCode = options?.exitCode ?? 1;
  }
  readonly exitCode: number;
}
