/**
 * electron-builder.yml against electron-builder itself: `deb.depends` replaces the default list
 * instead of extending it (app-builder-lib's FpmTarget), so every default must be listed there.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);

describe('packaging config', () => {
  const config = (require('js-yaml') as { load(text: string): any }).load(
    readFileSync(join(root, 'electron-builder.yml'), 'utf8'),
  );

  it('keeps every default .deb dependency of the installed electron-builder', () => {
    const { default: FpmTarget } = require('app-builder-lib/out/targets/FpmTarget') as {
      default: { prototype: { getDefaultDepends(target: string): string[] } };
    };
    const defaults = FpmTarget.prototype.getDefaultDepends.call(null, 'deb');
    expect(defaults).toContain('libgtk-3-0');
    expect(config.deb.depends).toEqual(expect.arrayContaining(defaults));
  });

  it('packs no node_modules: the main process is one bundle', () => {
    expect(config.files).toContain('!node_modules/**');
  });
});
