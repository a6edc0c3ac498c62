/**
 * The real app under Playwright's Electron driver: launch it, open Settings, save a key and
 * switch provider. It needs the Electron binary, which electron's postinstall downloads; where
 * that could not happen (no internet, ELECTRON_SKIP_BINARY_DOWNLOAD), the suite is skipped (the
 * Electron-less boot test in test/desktop/boot.test.ts covers start-up and quit everywhere).
 *
 * The app is launched the way `npm start` does (`electron .`: the project folder, so Electron
 * reads package.json and the app is "turnout" with its resources next to it), not by pointing
 * Electron at out/main/index.js, which runs it as "Electron" with no tray icon.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright';
import { afterAll, describe, expect, it } from 'vitest';
import type { TurnoutBridge } from '../src/shared/ipc';
import { ensureRendererBuilt, projectRoot } from './support/buildRenderer';

function electronBinary(): string | null {
  try {
    // The electron package exports the binary's path, and throws when it was never downloaded.
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const skipReason =
  'no Electron binary in node_modules/electron/dist (electron’s postinstall downloads it, which needs internet)';
if (!binary) console.warn(`[e2e] Skipping the Electron app suite: ${skipReason}.`);

describe.skipIf(!binary)(`the packaged app in Electron${binary ? '' : ` (skipped: ${skipReason})`}`, () => {
  let app: ElectronApplication | null = null;
  const home = mkdtempSync(join(tmpdir(), 'turnout-electron-'));

  afterAll(async () => {
    await app?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('opens Settings, saves a key and switches provider', async () => {
    await ensureRendererBuilt();
    app = await _electron.launch({
      executablePath: binary!,
      args: [projectRoot, '--settings', '--no-sandbox', '--password-store=basic'],
      env: {
        ...process.env,
        HOME: home,
        XDG_CONFIG_HOME: join(home, '.config'),
        APPDATA: join(home, 'AppData'),
      },
    });
    const identity = await app.evaluate(({ app: electronApp, nativeImage }) => ({
      name: electronApp.getName(),
      userData: electronApp.getPath('userData'),
      trayIconEmpty: nativeImage
        .createFromPath(`${electronApp.getAppPath()}/resources/tray-running.png`)
        .isEmpty(),
    }));
    expect(identity).toMatchObject({ name: 'turnout', trayIconEmpty: false });
    expect(basename(identity.userData)).toBe('turnout');
    const window = await app.firstWindow();
    await window.waitForLoadState('domcontentloaded');
    const groq = window.getByTestId('provider-groq');
    await groq.locator('summary').click();
    await groq.getByLabel('API key').fill('gsk-electron-test-1234');
    await groq.getByRole('button', { name: 'Save key' }).click();
    await expect.poll(() => groq.getByTestId('groq-key-status').textContent()).toBe('set · ••••1234');
    await groq.getByRole('button', { name: 'Use this provider' }).click();
    await expect.poll(() => window.getByTestId('proxy-status').textContent()).toMatch(/Groq$|in use/);
    const state = await window.evaluate(() =>
      (globalThis as unknown as { turnout: TurnoutBridge }).turnout.getState(),
    );
    expect(state).toMatchObject({ ok: true, value: { settings: { activeProvider: 'groq' } } });
    // The sandboxed page has no Node.
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
      'undefined',
    );
  });
});
