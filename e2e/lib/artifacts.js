// Screenshots for review go outside the repository: $INSYN_ARTIFACTS or /tmp/insyn-e2e.
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export const ARTIFACTS = path.resolve(process.env.INSYN_ARTIFACTS || '/tmp/insyn-e2e');
export const SCREENSHOTS = path.join(ARTIFACTS, 'screenshots');

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
