// axe-core (WCAG 2.0/2.1 A and AA) on every page type in one language: zero violations.
// Includes the sign-in page (also with its error), the system form with its error summary,
// the role, person and unit forms with errors, the policy editor with a syntax error and
// an annual review signed with unanswered items (all reached by real form posts), and the
// 404 page; signed in as the administrator, who sees every page. Also checks <html lang>
// and that each page has a short, plain <title>.
// tests/a11y-sv.test.js and tests/a11y-en.test.js call this, so the languages run in parallel.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { expectNoViolations, WCAG_TAGS } from './axe.js';
import { newPage, signIn } from './browser.js';
import { t } from './i18n.js';
import { demoIds, demoReview, ownedSystem, pageTypes, policyEditWithSyntaxError, reviewSignedUnanswered } from './pages.js';
import { browser, server, signedInPage, useServerAndBrowser } from './harness.js';

export function a11ySuite(lang) {
  useServerAndBrowser();

  if (lang === 'sv') {
    test('axe is live: it reports a field without a label', async () => {
      const page = await signedInPage('editor');
      await page.goto(`/o/${server.org}/systems`);
      await page.evaluate(() => document.querySelector('label[for=q]').remove());
      const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
      assert.ok(results.violations.some((v) => v.id === 'label'), 'the missing label is found');
      await page.context().close();
    });
  }

  describe(`axe, ${lang}`, () => {
    test('sign-in page, and with a wrong password', async () => {
      const page = await newPage(browser, server, { lang });
      await page.goto(`/o/${server.org}/systems`);
      assert.match(page.url(), /\/login\?next=/, 'signed out: sent to the sign-in page');
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      await expectNoViolations(page, `sign-in (${lang})`);
      await page.getByLabel(t(lang, 'person-email'), { exact: true }).fill(server.logins.editor.email);
      await page.getByLabel(t(lang, 'login-password'), { exact: true }).fill('not the password');
      await page.getByRole('button', { name: t(lang, 'login-button') }).click();
      await page.getByRole('alert').waitFor();
      await expectNoViolations(page, `sign-in with an error (${lang})`);
      await page.context().close();
    });

    let page;
    before(async () => {
      page = await newPage(browser, server, { lang });
      await signIn(page, 'administrator');
    });
    after(async () => page?.context().close());

    test('every page type has no WCAG 2.1 A/AA violations', async () => {
      const failures = [];
      for (const [name, path] of await pageTypes(page)) {
        const res = await page.goto(path);
        const expected = name.startsWith('not-found') ? 404 : 200;
        assert.equal(res.status(), expected, `${name} (${path}): status`);
        assert.equal(await page.getAttribute('html', 'lang'), lang, `${name}: <html lang>`);
        // 2.4.2: a short, plain page title (axe only checks that there is one).
        const title = await page.title();
        if (!/^[^<>]{1,100} – insyn$/.test(title)) failures.push(`${name}: odd <title>: ${JSON.stringify(title)}`);
        try {
          await expectNoViolations(page, `${name} (${lang})`);
        } catch (e) {
          failures.push(e.message);
        }
      }
      assert.deepEqual(failures, [], failures.join('\n\n'));
    });

    test('system form with validation errors shown', async () => {
      await page.goto(`/o/${server.org}/systems/new`);
      await page.fill('#user_count', 'many');
      await page.fill('#go_live_date', '2024-13-45');
      await page.click('form.system-form button[type=submit]');
      await page.waitForSelector('.error-summary');
      assert.ok(await page.locator('.error-summary li').count() >= 2, 'several errors are listed');
      await expectNoViolations(page, `system form with errors (${lang})`);
    });

    test('role form with an error shown', async () => {
      const { system } = await demoIds(page);
      await page.goto(`/o/${server.org}/systems/${system.id}`);
      await page.fill('#assign-person', 'nobody-at-all@example.invalid');
      await page.click('form.inline-form button[type=submit]');
      await page.waitForSelector('.error-summary');
      await expectNoViolations(page, `role form with an error (${lang})`);
    });

    test('import dry run with its column mapping, and the mapping with errors', async () => {
      const file = fileURLToPath(new URL('../../crates/io/testdata/asr-messy.xlsx', import.meta.url));
      await page.goto(`/o/${server.org}/import`);
      await page.getByLabel(t(lang, 'import-file'), { exact: true }).setInputFiles(file);
      await page.getByRole('button', { name: t(lang, 'import-check') }).click();
      await page.waitForSelector('select#col-0');
      await expectNoViolations(page, `import dry run with its columns (${lang})`);
      // Two columns read as the system name: refused with an error summary.
      await page.selectOption('select#col-0', 'name');
      await page.getByRole('button', { name: t(lang, 'import-mapping-apply') }).click();
      await page.waitForSelector('.error-summary');
      await expectNoViolations(page, `import column mapping with errors (${lang})`);
    });

    test('person and unit forms with errors shown', async () => {
      for (const [name, path] of [['person', `/o/${server.org}/people/new`], ['unit', `/o/${server.org}/units/new`]]) {
        await page.goto(path);
        await page.locator('main form[method=post] button[type=submit]').last().click();
        await page.waitForSelector('.error-summary');
        await expectNoViolations(page, `${name} form with errors (${lang})`);
      }
    });

    test('policy editor with a syntax error shown (422)', async () => {
      const res = await policyEditWithSyntaxError(page);
      assert.equal(res.status(), 422);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      await expectNoViolations(page, `policy editor with a syntax error (${lang})`);
    });

    test("the system owner's tasks, and an annual review signed with unanswered items (422)", async () => {
      // The administrator holds no roles: the owner's own session shows the list of tasks.
      const owner = await signedInPage('system owner', { lang });
      assert.match(owner.url(), /\/tasks$/, 'the owner starts on the tasks');
      assert.ok(await owner.locator('main li.task').count() >= 1, 'the owner has tasks');
      await expectNoViolations(owner, `the system owner's tasks (${lang})`);
      // Only the system's owner signs: on the system they own.
      const res = await reviewSignedUnanswered(owner, await demoReview(owner, await ownedSystem(owner)));
      assert.equal(res.status(), 422);
      assert.equal(await owner.getAttribute('html', 'lang'), lang);
      assert.ok(await owner.locator('.error-summary li').count() >= 1, 'the unanswered items are listed');
      await expectNoViolations(owner, `review signed with unanswered items (${lang})`);
      await owner.context().close();
    });
  });
}
