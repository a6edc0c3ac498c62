/**
 * Provider differences live in the catalog: the translator must not branch on provider names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { providerCatalog } from '../../src/shared/providerCatalog';

const translateDir = join(import.meta.dirname, '../../src/main/proxy/translate');

describe('the translator reads quirks, not provider names', () => {
  for (const file of readdirSync(translateDir)) {
    it(file, () => {
      const source = readFileSync(join(translateDir, file), 'utf8');
      for (const { id } of providerCatalog) {
        expect(source, `${file} mentions provider '${id}'`).not.toMatch(new RegExp(`['"\`]${id}['"\`]`));
      }
    });
  }
});
