// Debian's chromium driven by playwright-core (browsers cannot be downloaded here).
import { chromium } from 'playwright-core';
import { t } from './i18n.js';

export const CHROMIUM = process.env.INSYN_CHROMIUM ?? '/usr/bin/chromium';

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/**
 * A fresh context (own cookies) and page. `lang` sets the language cookie up front;
 * other options go to browser.newContext (viewport, deviceScaleFactor, ...).
 */
export async function newPage(browser, server, { lang, ...options } = {}) {
  const context = await browser.newContext({
    baseURL: server.url,
    viewport: { width: 1280, height: 900 },
    locale: 'sv-SE',
    ...options,
  });
  if (lang) {
    await context.addCookies([{ name: 'lang', value: lang, url: server.url }]);
  }
  const page = await context.newPage();
  page.server = server;
  page.lang = lang ?? 'sv';
  // Any uncaught script error or failed request for our own origin fails the test later.
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (r.url().startsWith(server.url)) page.problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  return page;
}

/**
 * Sign in through the sign-in form as one of the demo's users (see `insyn demo`'s output):
 * 'editor' by default; 'administrator' sees every page. Every journey starts with this.
 */
export async function signIn(page, who = 'editor') {
  const login = page.server.logins[who];
  if (!login) throw new Error(`no demo sign-in for ${who}; the server printed: ${Object.keys(page.server.logins).join(', ')}`);
  await page.goto('/login');
  await page.getByLabel(t(page.lang, 'person-email'), { exact: true }).fill(login.email);
  await page.getByLabel(t(page.lang, 'login-password'), { exact: true }).fill(login.password);
  await Promise.all([
    page.waitForURL((u) => u.pathname !== '/login'),
    page.getByRole('button', { name: t(page.lang, 'login-button') }).click(),
  ]);
}
