import Conf from 'conf';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { moveAsideIfCorrupt } from '../../src/main/app/settingsFile';
import {
  accessTokenSource,
  openDesktopController,
  storeOptions,
  type StoreDocument,
} from '../../src/main/desktop/desktopStore';
import { testCipher } from './testCipher';

const KEY = 'sk-proj-PLAINTEXT-secret-key-abcd';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'turnout-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** conf with electron-store's options, as electron-store would build it. */
function openConf(): Conf<StoreDocument> {
  const { name, ...options } = storeOptions();
  return new Conf<StoreDocument>({ ...options, configName: name, cwd: dir, projectName: 'turnout' });
}

function openController(store: Conf<StoreDocument>, notices: string[] = []) {
  return openDesktopController(store, testCipher(), { notices, version: 'test' });
}

describe('desktop store and key vault', () => {
  it('round-trips a key through the vault; the file on disk holds only ciphertext', async () => {
    const store = openConf();
    const { controller } = await openController(store);
    await controller.setKey('openai', KEY);
    controller.updateProvider('openai', { bigModel: 'gpt-4.1' });

    const text = readFileSync(store.path, 'utf8');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('PLAINTEXT');
    expect(JSON.parse(text).keys.openai).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(JSON.parse(text).settings.providers.openai.bigModel).toBe('gpt-4.1');
    expect(statSync(store.path).mode & 0o077).toBe(0);

    // A fresh start decrypts it into memory again; the renderer's view has only the hint.
    const reopened = await openController(openConf());
    expect(reopened.vault.get('openai')).toBe(KEY);
    const view = reopened.controller.getState().providers.find((p) => p.id === 'openai')!;
    expect(view).toMatchObject({ keySet: true, keyHint: 'abcd' });
    expect(JSON.stringify(reopened.controller.getState())).not.toContain(KEY);
    expect(reopened.controller.getSettings().providers.openai.bigModel).toBe('gpt-4.1');

    await reopened.controller.removeKey('openai');
    expect(JSON.parse(readFileSync(store.path, 'utf8')).keys).toEqual({});
  });

  it('makes the access token only when needed, keeps it encrypted and stable across starts', async () => {
    const store = openConf();
    const generate = vi.fn(() => 'token-0123456789');
    const token = await accessTokenSource(store, testCipher(), generate);
    expect(generate).not.toHaveBeenCalled();
    expect(store.has('accessToken')).toBe(false);
    expect(token()).toBe('token-0123456789');
    expect(token()).toBe('token-0123456789');
    await vi.waitFor(() => expect(store.has('accessToken')).toBe(true));
    expect(readFileSync(store.path, 'utf8')).not.toContain('token-0123456789');
    expect((await accessTokenSource(openConf(), testCipher(), () => 'other'))()).toBe('token-0123456789');
  });

  it('starts without a cipher: keys work for the run and are not written, the token is not stored', async () => {
    const store = openConf();
    const { controller } = await openDesktopController(store, null, { version: 'test' });
    expect(controller.getState().keyStorage).toBe('session');
    expect(controller.getState().notices.join(' ')).toMatch(/kept in memory for this run only/);
    await controller.setKey('openai', 'sk-session-only-abcd');
    expect(controller.getState().providers.find((p) => p.id === 'openai')).toMatchObject({ keySet: true });
    controller.setRequireAccessToken(true);
    expect(controller.getAccessToken()).toBeTruthy();
    const onDisk = readFileSync(store.path, 'utf8');
    expect(onDisk).not.toContain('sk-session-only-abcd');
    expect(JSON.parse(onDisk)).toMatchObject({ keys: {} });
    expect(JSON.parse(onDisk).accessToken).toBeUndefined();
  });

  it('a key that cannot be decrypted is reported, not fatal', async () => {
    const store = openConf();
    store.set('keys', { groq: 'bm90LWEtdmFsaWQtY2lwaGVydGV4dA==' });
    const { controller } = await openController(store);
    expect(controller.getState().notices.join(' ')).toMatch(/groq could not be decrypted/);
  });

  it('migrates an old document and repairs bad values with a notice', async () => {
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        settings: { activeProvider: 'groq', port: 'eighty', providers: { groq: { bigModel: 'llama' } } },
        keys: {},
      }),
    );
    const store = openConf();
    const { controller } = await openController(store);
    const settings = controller.getSettings();
    expect(settings.version).toBe(1);
    expect(settings.activeProvider).toBe('groq');
    expect(settings.port).toBe(8082);
    expect(settings.providers.groq.bigModel).toBe('llama');
    expect(settings.providers.groq.baseUrl).toBe('https://api.groq.com/openai/v1');
    expect(controller.getState().notices.join(' ')).toMatch(/port had an invalid value/);
    // The repaired document is written back.
    expect(JSON.parse(readFileSync(store.path, 'utf8')).settings.port).toBe(8082);
  });

  it('moves an unparsable settings file aside before opening the store', async () => {
    const path = join(dir, 'config.json');
    writeFileSync(path, '{"settings": {"port": 80');
    const notice = moveAsideIfCorrupt(path, new Date(2025, 0, 31, 12, 1, 3));
    expect(notice).toContain('config.json.corrupt-20250131-120103');
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir)).toEqual(['config.json.corrupt-20250131-120103']);
    const { controller } = await openController(openConf(), [notice!]);
    expect(controller.getState().notices[0]).toContain('was not valid JSON');
    expect(moveAsideIfCorrupt(join(dir, 'config.json'))).toBeNull();
  });

  it('the schema refuses a document of the wrong shape', () => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ settings: {}, keys: { openai: 42 } }));
    expect(() => openConf()).toThrow(/schema/i);
  });
});
