// Small screens and zoom (WCAG 1.4.10 reflow, 1.4.4 resize text), and the error summary
// that links to the fields (3.3.1, 2.4.3).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectNoViolations } from '../lib/axe.js';
import { newPage, signIn } from '../lib/browser.js';
import { t } from '../lib/i18n.js';
import { demoIds, demoReview, ownedSystem, pageTypes, policyEditWithSyntaxError, reviewSignedUnanswered } from '../lib/pages.js';
import { browser, server, signedInPage, useServerAndBrowser } from '../lib/harness.js';

let pages;
let ids;

useServerAndBrowser(async () => {
  const page = await signedInPage('administrator');
  pages = await pageTypes(page);
  ids = await demoIds(page);
  await page.context().close();
});

/** The document's scroll width, and the elements sticking out past the viewport (outside scrolling wrappers). */
async function overflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scrollsInside = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
      }
      return false;
    };
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      const textSticksOut = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible' && el.clientWidth > 0;
      if (((r.right > width + 0.5 && r.width > 0) || (textSticksOut && r.left + el.scrollWidth > width + 0.5)) && !scrollsInside(el)) {
        culprits.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).replace(/\s+/g, '.')}` : ''} right=${Math.round(r.right)}`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, width, culprits: culprits.slice(0, 8) };
  });
}

/** Pages whose layout the narrow stylesheet changes most (tables, forms): axe runs on them at 320 px. */
const NARROW_AXE = new Set([
  'register', 'system', 'people', 'person', 'unit', 'audit', 'users', 'user', 'system form with errors',
  'tasks', 'compliance', 'cycle', 'policy', 'policy-edit', 'system-compliance', 'review',
  'policy editor with a syntax error', 'tasks (system owner)', 'review signed with unanswered items',
]);

/** Post the new-system form with an empty name and two malformed fields. */
async function formWithErrors(page) {
  await page.goto(`/o/${server.org}/systems/new`);
  await page.fill('#user_count', 'many');
  await page.fill('#licence_count', '-x');
  await page.click('form.system-form button[type=submit]');
  await page.locator('.error-summary').waitFor();
}

for (const [label, options, width, axe] of [
  ['320 CSS px wide', { viewport: { width: 320, height: 640 } }, 320, true],
  ['200 % zoom (1280 px at 200 %)', { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 }, 640, false],
]) {
  describe(label, () => {
    test(`no page scrolls sideways${axe ? ', and axe finds nothing in the narrow layout' : ''}`, async () => {
      let page = await newPage(browser, server, options);
      await signIn(page, 'administrator');
      const failures = [];
      const check = async (name) => {
        const o = await overflow(page);
        if (o.scrollWidth > width) failures.push(`${name}: scrollWidth ${o.scrollWidth} > ${width}: ${o.culprits.join(', ')}`);
        // The narrow layout changes tables and forms: axe looks at those pages there too.
        if (axe && NARROW_AXE.has(name)) await expectNoViolations(page, `${name} at ${width} px`).catch((e) => failures.push(e.message));
      };
      for (const [name, path] of pages) {
        await page.goto(path);
        await check(name);
      }
      await formWithErrors(page);
      await check('system form with errors');
      await policyEditWithSyntaxError(page);
      await check('policy editor with a syntax error');
      await page.context().close();
      // Only the system's owner signs a review: the owner's own session, the same screen.
      page = await newPage(browser, server, options);
      await signIn(page, 'system owner');
      await check('tasks (system owner)');
      await reviewSignedUnanswered(page, await demoReview(page, await ownedSystem(page)));
      await check('review signed with unanswered items');
      assert.deepEqual(failures, [], failures.join('\n'));
      await page.context().close();
    });

    test('the main controls stay usable', async () => {
      const page = await newPage(browser, server, options);
      await signIn(page);
      await page.goto(`/o/${server.org}/systems`);
      // The search field fits and can be used, the first result is reachable and opens.
      const q = page.getByLabel(t('sv', 'register-search'), { exact: true });
      const box = await q.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= width, `search field inside the viewport: ${JSON.stringify(box)}`);
      await q.fill('ekonomi');
      await page.getByRole('button', { name: t('sv', 'filter-apply') }).click();
      await page.waitForURL(/q=ekonomi/);
      const first = page.locator('table.register tbody th[scope=row] > a').first();
      const name = await first.innerText();
      await first.click();
      assert.equal(await page.locator('h1').innerText(), name);
      // The main navigation and the language switch are on screen, not cut off (the
      // narrow layout keeps the links behind "Meny": open it first).
      const nav = page.getByRole('navigation', { name: t('sv', 'nav-main') });
      await nav.locator('summary').click();
      const links = [
        nav.getByRole('link', { name: t('sv', 'nav-systems'), exact: true }),
        nav.getByRole('link', { name: t('sv', 'nav-people'), exact: true }),
        page.getByRole('banner').getByRole('link', { name: t('sv', 'switch-language'), exact: true }),
      ];
      for (const link of links) {
        const b = await link.boundingBox();
        assert.ok(b && b.x >= 0 && b.x + b.width <= width, `${link} inside the viewport: ${JSON.stringify(b)}`);
      }
      await page.context().close();
    });
  });
}

/** The main navigation's links that are displayed, with their boxes and aria-current. */
async function shownNavLinks(page) {
  return page.getByRole('navigation', { name: t('sv', 'nav-main') }).evaluate((nav) => [...nav.querySelectorAll('a')]
    .filter((a) => a.checkVisibility())
    .map((a) => {
      const r = a.getBoundingClientRect();
      return { text: a.innerText.trim(), current: a.getAttribute('aria-current'), left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    }));
}

describe('the main navigation', () => {
  test('at 320 px: a closed "Meny" before the content, opened, every link on screen, the page marked', async () => {
    const page = await newPage(browser, server, { viewport: { width: 320, height: 640 } });
    await signIn(page, 'administrator');
    await page.goto(`/o/${server.org}/systems`);
    const nav = page.getByRole('navigation', { name: t('sv', 'nav-main') });
    const summary = nav.locator('summary');
    assert.equal(await summary.innerText(), t('sv', 'nav-menu'));
    assert.equal(await nav.locator('details').getAttribute('open'), null, 'closed by default');
    assert.deepEqual(await shownNavLinks(page), [], 'no link shown while closed');
    // Closed, the menu takes one line: the page's heading is on the first screen.
    const h1 = await page.locator('h1').boundingBox();
    assert.ok(h1 && h1.y + h1.height < 640 / 2, `the heading is in the upper half of the screen: ${JSON.stringify(h1)}`);
    await summary.click();
    const links = await shownNavLinks(page);
    assert.ok(links.length >= 15, `the links shown once opened (${links.length})`);
    for (const l of links) assert.ok(l.left >= 0 && l.right <= 320, `${l.text} inside the viewport`);
    assert.deepEqual(links.filter((l) => l.current === 'page').map((l) => l.text), [t('sv', 'nav-systems')], 'the current page is marked');
    // One link a line.
    assert.ok(links.every((l, i) => i === 0 || l.top >= links[i - 1].bottom - 1), 'one link a line');
    await nav.getByRole('link', { name: t('sv', 'nav-people'), exact: true }).click();
    await page.waitForURL(/\/people$/);
    await expectNoViolations(page, 'people at 320 px, menu closed');
    await page.getByRole('navigation', { name: t('sv', 'nav-main') }).locator('summary').click();
    await expectNoViolations(page, 'people at 320 px, menu open');
    await page.context().close();
  });

  test('at 1280 px: every link shown at once, no "Meny"', async () => {
    const page = await signedInPage('administrator');
    await page.goto(`/o/${server.org}/systems`);
    const nav = page.getByRole('navigation', { name: t('sv', 'nav-main') });
    assert.equal(await nav.locator('summary').isVisible(), false, 'no disclosure on a wide screen');
    const links = await shownNavLinks(page);
    const all = await nav.locator('.menu-wide a').count();
    assert.ok(all >= 15, `every link (${all})`);
    assert.equal(links.length, all, 'each link shown');
    for (const l of links) assert.ok(l.left >= 0 && l.right <= 1280 && l.bottom > 0, `${l.text} on screen`);
    assert.deepEqual(links.filter((l) => l.current === 'page').map((l) => l.text), [t('sv', 'nav-systems')]);
    await page.context().close();
  });

  test('at 1280 px: the public register\'s table fits the page with every public field, axe in sv and en', async () => {
    for (const lang of ['sv', 'en']) {
      const page = await newPage(browser, server, { lang, viewport: { width: 1280, height: 800 } });
      await page.goto(`/public/${server.org}`);
      const table = page.locator('main table.stacked');
      const fit = await table.evaluate((el) => ({
        scroll: el.scrollWidth,
        client: el.parentElement.clientWidth,
        headers: [...el.querySelectorAll('thead th')].map((th) => th.innerText.trim()),
        more: [...el.querySelectorAll('tbody td.more dt')].map((dt) => dt.innerText.trim()),
      }));
      // Nothing is left out to make it fit: the main fields a column each (the units that
      // use a system and the columns after them too), the other public ones in the last cell.
      for (const key of ['field-name', 'field-using-unit-ids', 'field-vendor', 'field-lifecycle', 'public-more']) {
        assert.ok(fit.headers.includes(t(lang, key)), `${key}: ${fit.headers}`);
      }
      for (const key of ['field-go-live-date', 'field-user-count', 'role-system-owner']) {
        assert.ok(fit.more.includes(`${t(lang, key)}:`), `${key}: ${[...new Set(fit.more)]}`);
      }
      assert.ok(fit.scroll <= fit.client, `${lang}: the table is ${fit.scroll} px wide in a container of ${fit.client} px`);
      await expectNoViolations(page, `the public register at 1280 px (${lang})`);
      assert.deepEqual(page.problems, [], 'no script errors or failed requests');
      await page.context().close();
    }
  });
});

describe('error summary', () => {
  test('lists every error at the top and links to each field', async () => {
    const page = await signedInPage('editor');
    await formWithErrors(page);
    const summary = page.locator('.error-summary');
    // Focus starts on the summary, so the next Tab is its first link.
    assert.equal(await page.evaluate(() => document.activeElement.id), 'error-summary', 'focus on the summary');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.closest('.error-summary') !== null), true, 'Tab goes into the summary');
    // It comes before the form.
    const before = await summary.evaluate((el) => Boolean(el.compareDocumentPosition(document.querySelector('form.system-form')) & Node.DOCUMENT_POSITION_FOLLOWING));
    assert.ok(before, 'the summary precedes the form');
    const hrefs = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(hrefs.sort(), ['#licence_count', '#name', '#user_count'].sort());
    for (const href of hrefs) {
      const id = href.slice(1);
      // Each field carries its own message too, tied to it with aria-describedby.
      const field = page.locator(`#${id}`);
      assert.equal(await field.getAttribute('aria-invalid'), 'true', `${id} is marked invalid`);
      assert.ok((await field.getAttribute('aria-describedby') ?? '').split(/\s+/).includes(`${id}-error`), `${id} described by its error`);
      assert.ok(await page.locator(`#${id}-error`).isVisible(), `${id} shows its error`);
    }
    // Following a link (by keyboard) focuses the field and brings it into view.
    for (const href of hrefs) {
      await summary.locator(`a[href="${href}"]`).focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction((h) => location.hash === h, href);
      const state = await page.evaluate(() => {
        const el = document.activeElement;
        const r = el.getBoundingClientRect();
        return { id: el.id, target: document.querySelector(':target')?.id, inView: r.top >= -1 && r.bottom <= innerHeight + 1, top: r.top, bottom: r.bottom };
      });
      assert.equal(state.target, href.slice(1), `${href} is the target`);
      assert.equal(state.id, href.slice(1), `${href} moves focus to the field`);
      assert.ok(state.inView, `${href}: the field is scrolled into view ${JSON.stringify(state)}`);
      // So are its label and error message above it.
      const labelTop = await page.locator(`label[for="${href.slice(1)}"]`).evaluate((l) => l.getBoundingClientRect().top);
      assert.ok(labelTop >= 0, `${href}: the field's label is in view too (top ${labelTop})`);
      // Typing goes straight into the field.
      if (href === '#name') {
        await page.keyboard.type('Rättat namn');
        assert.equal(await page.locator('#name').inputValue(), 'Rättat namn');
      }
    }
    await page.context().close();
  });

  test('the role form lists its error and links to the field', async () => {
    const page = await signedInPage('editor');
    await page.goto(`/o/${server.org}/systems/${ids.system.id}`);
    await page.fill('#assign-person', 'nobody-at-all@example.invalid');
    await page.click('form.inline-form button[type=submit]');
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    // The summary sits below the roles table: focus (and so the view) moves to it.
    const at = await page.evaluate(() => {
      const r = document.activeElement.getBoundingClientRect();
      return { id: document.activeElement.id, inView: r.top >= 0 && r.top < innerHeight };
    });
    assert.deepEqual(at, { id: 'assign-errors', inView: true }, 'focus on the summary, in view');
    const link = summary.locator('a').first();
    const href = await link.getAttribute('href');
    assert.equal(href, '#assign-person');
    await link.click();
    await page.waitForFunction((h) => location.hash === h, href);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'assign-person');
    assert.equal(await page.locator('#assign-person').inputValue(), 'nobody-at-all@example.invalid', 'input kept');
    await page.context().close();
  });

  test('the annual review lists each unanswered item and links to its answers', async () => {
    const page = await signedInPage('system owner');
    const review = await demoReview(page, await ownedSystem(page));
    // Answer the first item only, then sign: every other item is listed.
    await page.goto(review);
    const items = page.locator('main fieldset.review-item');
    const n = await items.count();
    await items.first().getByRole('radio', { name: t('sv', 'answer-yes'), exact: true }).check();
    await page.getByRole('button', { name: t('sv', 'review-save'), exact: true }).click();
    await page.waitForURL(/\?saved=1$/);
    const res = await reviewSignedUnanswered(page, review);
    assert.equal(res.status(), 422);
    const summary = page.locator('.error-summary');
    assert.equal(await summary.getAttribute('role'), 'alert');
    assert.equal(await summary.getByRole('heading').innerText(), t('sv', 'error-summary'));
    const hrefs = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.equal(hrefs.length, n - 1, 'one error per unanswered item');
    assert.equal(await items.first().getByRole('radio', { name: t('sv', 'answer-yes'), exact: true }).isChecked(), true, 'the saved answer is kept');
    for (const href of hrefs) {
      const radio = page.locator(href);
      assert.equal(await radio.getAttribute('type'), 'radio', `${href} is an answer`);
      // The item (its fieldset) is described by its error message.
      const fieldset = radio.locator('xpath=ancestor::fieldset[1]');
      const describedBy = (await fieldset.getAttribute('aria-describedby')) ?? '';
      assert.ok(describedBy && await page.locator(`#${describedBy}`).isVisible(), `${href}: the item shows its error`);
      assert.equal(await page.locator(`#${describedBy}`).innerText(), t('sv', 'error-incomplete'));
    }
    // Following a link moves focus to that item's first answer, in view.
    const last = hrefs.at(-1);
    await summary.locator(`a[href="${last}"]`).click();
    await page.waitForFunction((h) => location.hash === h, last);
    const state = await page.evaluate(() => {
      const r = document.activeElement.getBoundingClientRect();
      return { id: document.activeElement.id, inView: r.top >= 0 && r.bottom <= innerHeight };
    });
    assert.deepEqual(state, { id: last.slice(1), inView: true });
    await page.context().close();
  });
});
