// The page types of insyn, resolved against a running demo server by a signed-in page.
import { t } from './i18n.js';
import { api } from './server.js';

/** Ids of one system, one person (with an e-mail) and one unit of the demo org. */
export async function demoIds(page) {
  const org = page.server.org;
  const systems = await api(page, `/api/v1/orgs/${org}/systems`);
  const people = await api(page, `/api/v1/orgs/${org}/people`);
  const units = await api(page, `/api/v1/orgs/${org}/units`);
  const person = people.items.find((p) => p.email && p.active) ?? people.items[0];
  // A unit with a parent: its page shows the path up the tree.
  const unit = units.items.find((u) => u.parent_id) ?? units.items[0];
  return { system: systems.items[0], person, unit };
}

/**
 * The path of an open annual review of `system`: the first one listed on its compliance page
 * and not signed yet, or a new one started through the start form there (a real form post)
 * when it has none (a system the demo keeps, like Treserva, has only signed ones of past years).
 * The page must be signed in as someone who may edit the system.
 */
export async function demoReview(page, system) {
  const base = `/o/${page.server.org}/systems/${system.id}`;
  await page.goto(`${base}/compliance`);
  const listed = page.locator('section[aria-labelledby=reviews] li')
    .filter({ hasNotText: t(page.lang ?? 'sv', 'review-signed') })
    .locator(`a[href^="${base}/reviews/"]`).first();
  if (await listed.count()) return listed.getAttribute('href');
  await Promise.all([
    page.waitForURL(/\/reviews\/[0-9a-f-]{36}$/),
    page.locator(`form[action="${base}/reviews"] button[type=submit]`).click(),
  ]);
  return new URL(page.url()).pathname;
}

/**
 * Every GET page type an administrator can see: [name, path]. Form states reached by
 * posting (errors shown) and the signed-out sign-in page are handled by the tests.
 * The `review` page needs an annual review: the first call starts one (see demoReview).
 */
export async function pageTypes(page) {
  const o = `/o/${page.server.org}`;
  const { system, person, unit } = await demoIds(page);
  // A user's own page: the first user linked from the user list.
  await page.goto('/admin/users');
  const userHref = await page.locator('main a[href^="/admin/users/"]:not([href$="/new"])').first().getAttribute('href');
  const review = await demoReview(page, system);
  const nextYear = new Date().getFullYear() + 1;
  return [
    ['home', '/'],
    ['org', o],
    ['register', `${o}/systems`],
    ['register-filtered', `${o}/systems?q=ekonomi&lifecycle=in_operation&sort=name&desc=true`],
    ['register-page-2', `${o}/systems?page=2`],
    ['register-empty', `${o}/systems?q=zzzzzzzzqqq`],
    ['system-new', `${o}/systems/new`],
    ['system', `${o}/systems/${system.id}`],
    ['system-edit', `${o}/systems/${system.id}/edit`],
    ['security', `${o}/systems/${system.id}/security`],
    ['plan', `${o}/systems/${system.id}/plan`],
    ['approval', `${o}/systems/${system.id}/approval`],
    ['user-list', `${o}/systems/${system.id}/user-list`],
    ['accessibility-statement', '/tillganglighet'],
    ['import', `${o}/import`],
    ['public', '/public'],
    ['public-register', `/public/${page.server.org}`],
    ['people', `${o}/people`],
    ['person', `${o}/people/${person.id}`],
    ['person-new', `${o}/people/new`],
    ['person-edit', `${o}/people/${person.id}/edit`],
    ['person-transfer-roles', `${o}/people/${person.id}/transfer-roles`],
    ['unit', `${o}/units/${unit.id}`],
    ['unit-new', `${o}/units/new`],
    ['unit-edit', `${o}/units/${unit.id}/edit`],
    ['audit', `${o}/audit`],
    ['account', '/account'],
    ['users', '/admin/users'],
    ['installation-audit', '/admin/audit'],
    ['user', userHref],
    ['user-new', '/admin/users/new'],
    ['tasks', `${o}/tasks`],
    ['incident-compilation', `${o}/incidents/compilation`],
    ['incident-settings', `${o}/settings/incidents`],
    ['compliance', `${o}/compliance`],
    ['cycle', `${o}/cycle`],
    ['cycle-next-year', `${o}/cycle?year=${nextYear}`],
    ['policy', `${o}/policy`],
    ['policy-edit', `${o}/policy/edit`],
    ['checklist', `${o}/policy/checklist`],
    ['system-compliance', `${o}/systems/${system.id}/compliance`],
    ['review', review],
    ['not-found', `${o}/systems/00000000-0000-0000-0000-000000000000`],
    ['not-found-path', '/no/such/page'],
  ];
}

/**
 * Post the profile editor with a TOML syntax error on line 4 (nothing is saved).
 * Returns the response: 422, the page with its error summary.
 */
export async function policyEditWithSyntaxError(page) {
  await page.goto(`/o/${page.server.org}/policy/edit`);
  const textarea = page.locator('textarea#profile');
  const lines = (await textarea.inputValue()).split('\n');
  lines.splice(3, 0, 'name_sv = = "trasig"');
  await textarea.fill(lines.join('\n'));
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/policy/edit')),
    page.locator('main form[action$="/policy/edit"] button[type=submit]').click(),
  ]);
  await page.locator('.error-summary').waitFor();
  return res;
}

/** The demo system whose owner has a sign-in ('system owner' in the demo's output). */
export async function ownedSystem(page) {
  const found = await api(page, `/api/v1/orgs/${page.server.org}/systems?q=Treserva`);
  const system = found.items.find((s) => s.name === 'Treserva');
  if (!system) throw new Error('the demo has no system named Treserva');
  return system;
}

/**
 * Sign the (unsigned) review at `reviewPath` without answering everything: 422, the
 * review page with an error summary naming each unanswered item. Only the system's
 * owner may sign: the page must be signed in as 'system owner'.
 */
export async function reviewSignedUnanswered(page, reviewPath) {
  await page.goto(reviewPath);
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/sign')),
    page.locator('main form[action$="/sign"] button[type=submit]').click(),
  ]);
  await page.locator('.error-summary').waitFor();
  return res;
}
