// Keyboard only: the main journey without a mouse, a full Tab walk through the main pages
// and the policy pages (document order, visible focus, no keyboard trap), answering an
// annual review, sign-in by keyboard, and Shift+Tab.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newPage, signIn } from '../lib/browser.js';
import { t } from '../lib/i18n.js';
import { describe, focused, follows, markFocusables, tabUntil, walk } from '../lib/keyboard.js';
import { demoIds, demoReview, pageTypes } from '../lib/pages.js';
import { api } from '../lib/server.js';
import { browser, server, signedInPage, useServerAndBrowser } from '../lib/harness.js';

useServerAndBrowser();

function assertVisibleFocus(f, where) {
  assert.ok(f.inViewport, `${where}: ${describe(f)} is on screen when focused (${JSON.stringify(f.rect)})`);
  assert.ok(f.hasIndicator, `${where}: ${describe(f)} shows an outline or box-shadow when focused`);
  assert.ok(f.indicatorDiffers, `${where}: ${describe(f)} looks different focused and unfocused`);
}

/** From a freshly loaded page: the first Tab reaches a visible skip link, Enter moves focus to main. */
async function skipToMain(page, lang) {
  await markFocusables(page);
  await page.keyboard.press('Tab');
  const skip = await focused(page);
  assert.equal(skip.href, '#main', `the first Tab stop is the skip link, got ${describe(skip)}`);
  assert.equal(skip.text, t(lang, 'skip-to-content'));
  assertVisibleFocus(skip, 'skip link');
  await page.keyboard.press('Enter');
  const main = await focused(page);
  assert.equal(main.tag, 'main', `Enter on the skip link moves focus to main, got ${describe(main)}`);
}

test('main journey by keyboard only: skip link, search, open a result', async () => {
  const page = await signedInPage('editor');
  const expected = (await api(page, `/api/v1/orgs/${server.org}/systems?q=ekonomi&sort=name`)).items;
  await page.goto(`/o/${server.org}/systems`);

  await skipToMain(page, 'sv');
  const search = await tabUntil(page, (f) => f.id === 'q', 5, 'the search field');
  assertVisibleFocus(search.f, 'search field');
  // Search as you type fetches the results 300 ms after the last key; a person pauses
  // before moving on, so wait for them (pressing Enter while that fetch runs makes the
  // page's navigation abort it, which the harness would count as a failed request).
  await Promise.all([
    page.waitForResponse(
      (r) => r.url().includes('q=ekonomi') && r.request().headers()['x-insyn-fragment'] === 'results',
    ),
    page.keyboard.type('ekonomi'),
  ]);
  const submit = await tabUntil(page, (f) => f.tag === 'button' && f.type === 'submit', 12, 'the search button');
  assert.equal(submit.f.text, t('sv', 'filter-apply'));
  assertVisibleFocus(submit.f, 'search button');
  // Search as you type has already put ?q=ekonomi in the address (replaceState), so the
  // address alone does not tell that the submitted form's page has loaded: wait for it.
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
  await page.waitForURL(/[?&]q=ekonomi/);

  // On the results: skip link again, then on to the first result.
  await skipToMain(page, 'sv');
  const names = new Set(expected.map((s) => s.name));
  const result = await tabUntil(page, (f) => f.tag === 'a' && names.has(f.text), 30, 'a result link');
  assertVisibleFocus(result.f, 'result link');
  await Promise.all([page.waitForURL(new RegExp(`${result.f.href}$`)), page.keyboard.press('Enter')]);
  assert.equal(await page.locator('h1').innerText(), result.f.text);

  // And on the system page the role form is reachable and usable by keyboard.
  await skipToMain(page, 'sv');
  const person = await tabUntil(page, (f) => f.id === 'assign-person', 80, 'the role form');
  assertVisibleFocus(person.f, 'person field');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

/** What is wrong with one Tab walk's stops: out of document order, or focus not visible. */
async function walkProblems(page, name, stops) {
  const problems = [];
  for (let i = 0; i < stops.length; i++) {
    const f = stops[i];
    if (i > 0 && !(await follows(page, stops[i - 1].idx, f.idx))) {
      problems.push(`${name}: ${describe(f)} is reached after ${describe(stops[i - 1])}, against document order`);
    }
    try {
      assertVisibleFocus(f, name);
    } catch (e) {
      problems.push(e.message);
    }
  }
  return problems;
}

test('Tab walk: every control reached in document order, focus visible, no trap', async () => {
  const page = await signedInPage('editor');
  const { system } = await demoIds(page);
  const o = `/o/${server.org}`;
  const targets = [
    ['register', `${o}/systems?q=system`],
    ['system', `${o}/systems/${system.id}`],
    ['system form', `${o}/systems/new`],
    ['person list', `${o}/people`],
  ];
  const problems = [];
  for (const [name, path] of targets) {
    await page.goto(path);
    const tabbable = await markFocusables(page);
    const stops = await walk(page, tabbable);
    assert.equal(stops.length, tabbable, `${name}: every tabbable element is reached once (${stops.length} of ${tabbable})`);
    problems.push(...(await walkProblems(page, name, stops)));
  }
  assert.deepEqual(problems, [], problems.join('\n'));
  await page.context().close();
});

test('Tab walk on the policy pages (as the administrator, who sees every form)', async () => {
  const page = await signedInPage('administrator');
  const wanted = new Set(['tasks', 'compliance', 'cycle', 'policy', 'policy-edit', 'checklist', 'system-compliance', 'review']);
  const targets = (await pageTypes(page)).filter(([name]) => wanted.has(name));
  assert.equal(targets.length, wanted.size, 'every policy page type is known');
  const problems = [];
  for (const [name, path] of targets) {
    await page.goto(path);
    const tabbable = await markFocusables(page);
    const stops = await walk(page, tabbable);
    if (stops.length !== tabbable) problems.push(`${name}: ${stops.length} of ${tabbable} tabbable elements reached`);
    problems.push(...(await walkProblems(page, name, stops)));
  }
  assert.deepEqual(problems, [], problems.join('\n'));
  await page.context().close();
});

test('annual review by keyboard: arrow keys choose an answer, Tab moves to the comment', async () => {
  const page = await signedInPage('editor');
  const { system } = await demoIds(page);
  await page.goto(await demoReview(page, system));
  await skipToMain(page, 'sv');
  // The first item's radio group is one Tab stop; the arrow keys move the choice.
  const first = await tabUntil(page, (f) => f.tag === 'input' && f.type === 'radio', 30, 'the first answer');
  assertVisibleFocus(first.f, 'first answer');
  const group = await page.evaluate(() => document.activeElement.name);
  await page.keyboard.press('Space');
  assert.equal(await page.evaluate(() => document.activeElement.checked), true, 'Space checks the focused answer');
  await page.keyboard.press('ArrowRight');
  const second = await focused(page);
  assert.equal(second.type, 'radio');
  assert.equal(await page.evaluate((n) => document.querySelector(`input[name="${n}"]:checked`).id, group), second.id, 'the arrow key moves the choice');
  await page.keyboard.press('Tab');
  const comment = await focused(page);
  assert.equal(comment.id, `comment-${group.replace(/^answer-/, '')}`, `Tab leaves the group for the item's comment, got ${describe(comment)}`);
  assertVisibleFocus(comment, 'comment field');
  await page.context().close();
});

test('sign in by keyboard only', async () => {
  // This journey is the sign-in itself, so it does not call signIn().
  const page = await newPage(browser, server);
  await page.goto(`/o/${server.org}/systems`);
  await page.waitForURL(/\/login\?next=/);
  await skipToMain(page, 'sv');
  await tabUntil(page, (f) => f.id === 'email', 5, 'the e-mail field');
  await page.keyboard.type(server.logins.editor.email);
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'password', 'Tab goes from e-mail to password');
  await page.keyboard.type(server.logins.editor.password);
  await Promise.all([page.waitForURL(/\/o\/exempelstad\/systems$/), page.keyboard.press('Enter')]);
  assert.equal(await page.locator('h1').innerText(), t('sv', 'register-title'));
  await page.context().close();
});

test('shift+Tab goes back the same way', async () => {
  const page = await signedInPage('editor');
  await page.goto(`/o/${server.org}/systems/new`);
  await markFocusables(page);
  const forward = [];
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    forward.push((await focused(page)).idx);
  }
  const back = [];
  for (let i = 0; i < 7; i++) {
    await page.keyboard.press('Shift+Tab');
    back.push((await focused(page)).idx);
  }
  assert.deepEqual(back, forward.slice(0, 7).reverse());
  await page.context().close();
});

test('at 320 px the main menu opens by keyboard and its links are reached in order', async () => {
  const page = await signedInPage('editor', { viewport: { width: 320, height: 640 } });
  await page.goto(`/o/${server.org}/systems`);
  await skipToMain(page, 'sv');
  // From the top again: the skip link, the header's links, then "Meny", closed.
  await page.goto(`/o/${server.org}/systems`);
  await markFocusables(page);
  const menu = await tabUntil(page, (f) => f.tag === 'summary', 12, 'the menu');
  assert.equal(menu.f.text, t('sv', 'nav-menu'));
  assertVisibleFocus(menu.f, 'menu');
  const details = page.getByRole('navigation', { name: t('sv', 'nav-main') }).locator('details');
  assert.equal(await details.getAttribute('open'), null, 'closed by default');
  await page.keyboard.press('Enter');
  assert.equal(await details.getAttribute('open'), '', 'Enter opens it');
  // Tab goes through every link of the menu, each visible when focused, the page marked.
  const hrefs = await details.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const href of hrefs) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    assert.equal(f.href, href, `the next stop is ${href}, got ${describe(f)}`);
    assertVisibleFocus(f, `menu link ${href}`);
  }
  assert.equal(await details.locator('a[aria-current="page"]').innerText(), t('sv', 'nav-systems'));
  // Shift+Tab back to the people link and Enter follows it.
  const people = hrefs.findIndex((h) => h.endsWith('/people'));
  for (let i = hrefs.length - 1; i > people; i--) await page.keyboard.press('Shift+Tab');
  assert.ok((await focused(page)).href.endsWith('/people'));
  await Promise.all([page.waitForURL(/\/people$/), page.keyboard.press('Enter')]);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
