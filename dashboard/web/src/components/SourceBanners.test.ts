// The banner of a failed source says what the CLI says: the collector's message, each of
// its actions, and when the next try is.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { SourceStatus } from '@ballast/core';
import { SourceProblem } from './SourceBanners.js';

describe('SourceProblem', () => {
  it("shows the failure's message, every action and the time of the next try", () => {
    const retryAt = Date.UTC(2025, 10, 28, 12, 0, 40);
    const source: SourceStatus = {
      source: 'cloudwatch-alarms',
      ok: false,
      error: {
        kind: 'unreachable',
        message:
          'Cannot reach http://127.0.0.1:4566 for DescribeAlarms (timed out): no answer within 20 s',
        actions: [
          'Start the sandbox in another terminal: ballast sandbox',
          'Or point at a sandbox already running elsewhere: --endpoint-url http://127.0.0.1:PORT',
        ],
        retryAt,
      },
    };
    const text = renderToStaticMarkup(
      createElement(SourceProblem, { source, now: retryAt - 20_000, receivedAt: retryAt - 20_000 }),
    )
      .replace(/<[^>]+>/g, '')
      .replace(/&#x27;/g, "'");
    expect(text).toContain('CloudWatch alarms: endpoint unreachable');
    expect(text).toContain(source.error?.message);
    for (const action of source.error?.actions ?? []) expect(text).toContain(action);
    expect(text).toMatch(/Next try at \d\d:\d\d:40\./);
  });
});
