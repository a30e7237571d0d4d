// A job's progress page in the browser tests (issue 23): the job's JSON, which
// /static/job.js polls, is answered by the test with "1 500 of 10 000" until released,
// so that the running state stays long enough to look at and to run axe on.
import assert from 'node:assert/strict';

const JOB_JSON = /\/api\/v1\/orgs\/[^/]+\/jobs\/[0-9a-f-]+$/;

/**
 * Holds the job's JSON at 1 500 of 10 000 rows in `phase`, clicks `start` (the button
 * that starts the job), and waits on the job's page until the script has shown that
 * progress in the bar and the status (role="status"), without a reload (the page's
 * `window.stillHere` is set for the caller to check later). Returns the bar and
 * `release`, which lets the job's real JSON through again.
 */
export async function startHeldAt1500(page, start, phase) {
  await page.route(JOB_JSON, (route) => route.fulfill({
    contentType: 'application/json',
    body: JSON.stringify({ state: 'running', phase, done: 1500, total: 10000 }),
  }));
  await start.click();
  await page.waitForURL(/\/jobs\/[0-9a-f-]+$/);
  const bar = page.locator('progress#job-bar');
  await bar.waitFor();
  assert.equal(await page.getAttribute('#job-status', 'role'), 'status');
  await page.evaluate(() => { window.stillHere = true; });
  await page.waitForFunction(() => document.getElementById('job-status').textContent.startsWith('1\u00a0500 '));
  assert.equal(await bar.evaluate((b) => b.value), 1500);
  assert.equal(await bar.evaluate((b) => b.max), 10000);
  return { bar, release: () => page.unroute(JOB_JSON) };
}
