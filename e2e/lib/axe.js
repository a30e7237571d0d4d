// axe-core with the WCAG 2.0/2.1 A and AA rules; any violation fails with a readable list.
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export function formatViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ')}`).join('\n');
    return `  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} node(s))\n${nodes}`;
  }).join('\n');
}

export async function expectNoViolations(page, label) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  assert.equal(results.violations.length, 0,
    `axe: ${results.violations.length} violation(s) on ${label} (${page.url()})\n${formatViolations(results.violations)}`);
  return results;
}
