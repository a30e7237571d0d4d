// Reads the app's own Fluent files so that tests follow the wording instead of copying it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'crates', 'web', 'i18n');
const cache = new Map();

function load(lang) {
  if (!cache.has(lang)) {
    const map = new Map();
    for (const line of readFileSync(path.join(dir, `${lang}.ftl`), 'utf8').split('\n')) {
      const m = /^([a-z][a-z0-9-]*)\s*=\s*(.*)$/.exec(line);
      if (m) map.set(m[1], m[2].trim());
    }
    cache.set(lang, map);
  }
  return cache.get(lang);
}

/** The plain text of a simple message (no placeables) in `lang` ('sv' or 'en'). */
export function t(lang, key) {
  const v = load(lang).get(key);
  if (v === undefined || v === '') throw new Error(`no simple message ${key} in ${lang}.ftl`);
  return v;
}
