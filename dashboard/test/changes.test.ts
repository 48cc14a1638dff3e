// Changing the platform from the dashboard, in a browser against the sandbox: an operator
// plans a lower CPU target for store-web, confirms the diff with a reason, and finds the
// change in the audit log; a viewer sees the same plan and is refused. Each test signs in
// with its own token on its own page, so each passes run alone and in any order.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, signIn, SHOTS, tokensFileEnv } from './browser-env.js';

const OPERATOR = 'operator-token-4f1c9a0b7d2e';
const VIEWER = 'viewer-token-8e3d2c1b0a9f';

/** Plans a CPU target of `target` on the Scaling page; returns when the dialog shows the diff. */
async function planCpuTarget(page: Page, target: number) {
  await page.getByTestId('policies').waitFor();
  await page.locator('input[name="target-cpu"]').fill(String(target));
  await page.getByRole('button', { name: 'Plan' }).click();
  const diff = page.getByTestId('plan-diff');
  await diff.waitFor();
  return diff;
}

describe('changes from the dashboard, against the sandbox', { timeout: 180_000 }, () => {
  const { open } = browserSuite(
    {
      env: tokensFileEnv([
        { role: 'operator', name: 'jane', token: OPERATOR },
        { role: 'viewer', name: 'sam', token: VIEWER },
      ]),
    },
    120_000,
  );

  it('given an operator, when a lower CPU target is planned, confirmed with a reason and applied, then the Changes page lists it with who and why', async () => {
    const { page, problems } = await open('/scaling');
    await signIn(page, problems, OPERATOR);
    expect(await page.getByTestId('role').textContent()).toBe('jane · operator');

    const diff = await planCpuTarget(page, 45);
    expect(await diff.textContent()).toMatch(/Target value.*45/);
    await page.screenshot({ path: `${SHOTS}/changes-plan.png` });
    await page.locator('dialog input[name="reason"]').fill('pre-sale');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('dialog[open]').waitFor({ state: 'detached' });

    await page.getByRole('link', { name: 'Changes' }).click();
    const change = page.getByTestId('change').filter({ hasText: 'pre-sale' }).first();
    await change.waitFor();
    const text = await change.textContent();
    expect(text).toMatch(/store-web/);
    expect(text).toMatch(/jane via dashboard as arn:aws:/);
    expect(text).toMatch(/applied/);
    expect(await page.getByTestId('chain-status').textContent()).toMatch(/Audit chain intact/);
    await page.screenshot({ path: `${SHOTS}/changes-list.png`, fullPage: true });
  });

  it('given a viewer, when a plan is confirmed, then the server refuses it and nothing is recorded', async () => {
    const { page, problems } = await open('/scaling');
    await signIn(page, problems, VIEWER);
    expect(await page.getByTestId('role').textContent()).toBe('sam · viewer');

    await planCpuTarget(page, 40);
    expect(await page.getByTestId('viewer-note').textContent()).toMatch(/only an operator/);
    await page.locator('dialog input[name="reason"]').fill('just looking');
    await page.getByRole('button', { name: 'Apply' }).click();

    expect(await page.getByTestId('apply-error').textContent()).toMatch(
      /sam signed in as a viewer: only an operator may apply/,
    );
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('link', { name: 'Changes' }).click();
    await page.getByTestId('chain-status').waitFor();
    expect(await page.getByTestId('change').filter({ hasText: 'just looking' }).count()).toBe(0);
    // The browser logs the refused request; that one is expected, nothing else is.
    const refused = problems.findIndex((p) => p.includes('status of 403 (Forbidden)'));
    expect(refused).toBeGreaterThanOrEqual(0);
    problems.splice(refused, 1);
  });
});
