// The page types of insyn, resolved against a running demo server by a signed-in page.
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
 * Every GET page type an administrator can see: [name, path]. Form states reached by
 * posting (errors shown) and the signed-out sign-in page are handled by the tests.
 */
export async function pageTypes(page) {
  const o = `/o/${page.server.org}`;
  const { system, person, unit } = await demoIds(page);
  // A user's own page: the first user linked from the user list.
  await page.goto('/admin/users');
  const userHref = await page.locator('main a[href^="/admin/users/"]:not([href$="/new"])').first().getAttribute('href');
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
    ['accessibility-statement', '/tillganglighet'],
    ['import', `${o}/import`],
    ['public', '/public'],
    ['public-register', `/public/${page.server.org}`],
    ['people', `${o}/people`],
    ['person', `${o}/people/${person.id}`],
    ['person-new', `${o}/people/new`],
    ['person-edit', `${o}/people/${person.id}/edit`],
    ['unit', `${o}/units/${unit.id}`],
    ['unit-new', `${o}/units/new`],
    ['unit-edit', `${o}/units/${unit.id}/edit`],
    ['audit', `${o}/audit`],
    ['account', '/account'],
    ['users', '/admin/users'],
    ['user', userHref],
    ['user-new', '/admin/users/new'],
    ['not-found', `${o}/systems/00000000-0000-0000-0000-000000000000`],
    ['not-found-path', '/no/such/page'],
  ];
}
