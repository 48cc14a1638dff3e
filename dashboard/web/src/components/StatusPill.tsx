import type { Status } from '@ballast/core';
import { STATUS_WORD } from '../format.js';

/** Status colour and word together, so it reads without colour too. */
export function StatusPill({ status, testId }: { status: Status; testId?: string }) {
  return (
    <span className={`pill pill-${status}`} data-testid={testId} data-status={status}>
      <span className="pill-dot" aria-hidden="true" />
      {STATUS_WORD[status]}
    </span>
  );
}
