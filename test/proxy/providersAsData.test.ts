/**
 * Provider differences live in the catalog: the translator must not branch on provider names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { providerCatalog } from '../../src/shared/providerCatalog';

const translateDir = join(import.meta.dirname, '../../src/main/proxy/translate');

describe('the translator reads quirks, not provider names', () => {
  // Each dialect's translators live in a subdirectory (responses/): walk them all.
  const files = readdirSync(translateDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(translateDir.length + 1));
  for (const file of files) {
    it(file, () => {
      const source = readFileSync(join(translateDir, file), 'utf8');
      for (const { id } of providerCatalog) {
        expect(source, `${file} mentions provider '${id}'`).not.toMatch(new RegExp(`['"\`]${id}['"\`]`));
      }
    });
  }
});
