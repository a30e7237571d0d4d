// Full-page screenshots of the main pages in both languages, for review by people.
// Saved outside the repository, in $INSYN_ARTIFACTS/screenshots (default /tmp/insyn-e2e).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SCREENSHOTS, screenshot } from '../lib/artifacts.js';
import { newPage } from '../lib/browser.js';
import { demoIds } from '../lib/pages.js';
import { browser, server, signedInPage, useServerAndBrowser } from '../lib/harness.js';

useServerAndBrowser();

test('screenshots of the main pages, Swedish and English, desktop and 320 px', async () => {
  const o = `/o/${server.org}`;
  const saved = [];
  for (const lang of ['sv', 'en']) {
    const page = await newPage(browser, server, { lang });
    await page.goto('/login');
    saved.push(await screenshot(page, `${lang}-sign-in`));
    await page.context().close();
  }
  const admin = await signedInPage('administrator');
  const { system, person, unit } = await demoIds(admin);
  await admin.context().close();
  const shots = [
    ['home', '/'],
    ['org', o],
    ['register', `${o}/systems`],
    ['register-search', `${o}/systems?q=ekonomi`],
    ['system', `${o}/systems/${system.id}`],
    ['system-new', `${o}/systems/new`],
    ['system-edit', `${o}/systems/${system.id}/edit`],
    ['people', `${o}/people`],
    ['person', `${o}/people/${person.id}`],
    ['unit', `${o}/units/${unit.id}`],
    ['audit', `${o}/audit`],
    ['account', '/account'],
    ['users', '/admin/users'],
    ['not-found', '/no/such/page'],
  ];
  for (const lang of ['sv', 'en']) {
    for (const [suffix, options] of [['', {}], ['-320px', { viewport: { width: 320, height: 640 } }]]) {
      const page = await signedInPage('administrator', { lang, ...options });
      const list = suffix ? shots.filter(([n]) => ['register', 'system', 'system-new'].includes(n)) : shots;
      for (const [name, path] of list) {
        await page.goto(path);
        saved.push(await screenshot(page, `${lang}-${name}${suffix}`));
      }
      // The form with its error summary, reached by a real post.
      await page.goto(`${o}/systems/new`);
      await page.fill('#user_count', 'many');
      await page.click('form.system-form button[type=submit]');
      await page.locator('.error-summary').waitFor();
      saved.push(await screenshot(page, `${lang}-system-new-errors${suffix}`));
      await page.context().close();
    }
  }
  assert.ok(saved.length >= 30);
  console.log(`${saved.length} screenshots saved in ${SCREENSHOTS}`);
});
