/**
 * The Settings and Request-log windows, built by electron-vite, in a Chromium-family browser, with
 * `window.turnout` bound to the real controller, the real proxy and a fake OpenAI-compatible
 * upstream in this process. A user sets a key, changes the mapping, switches provider; a
 * request from the Anthropic SDK then appears live in the log.
 */
import Anthropic from '@anthropic-ai/sdk';
import Conf from 'conf';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipcContract } from '../src/shared/ipc';
import { TurnoutController } from '../src/main/app/controller';
import { findFreePort } from '../src/main/app/freePort';
import { EncryptedVault } from '../src/main/app/secretVault';
import {
  DesktopCiphertextStore,
  DesktopSettingsStore,
  storeOptions,
  type StoreDocument,
} from '../src/main/desktop/desktopStore';
import { batchLogChanges } from '../src/main/desktop/logBroadcast';
import { testCipher } from '../test/desktop/testCipher';
import { quietIpcHandlers } from '../test/support/ipcHandlers';
import { launchTestBrowser } from './support/browser';
import { bindTurnout, emit } from './support/bridge';
import { openSettingsSection } from './support/settingsNav';
import { ensureRendererBuilt, projectRoot, rendererDir } from './support/buildRenderer';
import { BIG_MODEL, BROKEN_MODEL, SMALL_MODEL, startFakeOpenAi, type FakeOpenAi } from './support/fakeOpenAi';
import { serveDirectory } from './support/staticServer';

const GROQ_KEY = 'gsk-e2e-SECRET-key-7f3a';
const artifacts = join(projectRoot, 'test-results', 'e2e');
const pattern = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

let dir: string;
let browser: Browser;
let upstream: FakeOpenAi;
let site: Awaited<ReturnType<typeof serveDirectory>>;
let store: Conf<StoreDocument>;
let controller: TurnoutController;
let settingsPage: Page;
let logPage: Page;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  await ensureRendererBuilt();
  dir = mkdtempSync(join(tmpdir(), 'turnout-e2e-'));
  // The windows show paths under the home folder as ~/…, as on a user's machine.
  process.env.HOME = dir;
  upstream = await startFakeOpenAi(GROQ_KEY);
  site = await serveDirectory(rendererDir);

  const { name, ...options } = storeOptions();
  store = new Conf<StoreDocument>({ ...options, configName: name, cwd: dir, projectName: 'turnout' });
  // 8082 when it is free, as on a user's machine (the screenshots show the port).
  store.set('settings', { ...store.get('settings'), port: await findFreePort('127.0.0.1', 8081) });
  const vault = await EncryptedVault.open(testCipher(), new DesktopCiphertextStore(store));
  controller = new TurnoutController({
    settingsStore: new DesktopSettingsStore(store),
    vault,
    keyHelp: 'settings',
    accessToken: 'e2e-access-token',
    version: 'e2e',
  });
  const handlers = quietIpcHandlers(controller, dir);

  // A Claude Code settings file whose env block would send Claude Code past Turnout.
  mkdirSync(join(dir, '.claude'));
  writeFileSync(
    join(dir, '.claude', 'settings.json'),
    JSON.stringify({
      env: { ANTHROPIC_BASE_URL: 'https://api.anthropic.com', ANTHROPIC_MODEL: 'claude-sonnet-4-6' },
    }),
  );

  browser = await launchTestBrowser();
  const open = async (page: 'settings' | 'log', width: number, height: number) => {
    const context = await browser.newContext({ viewport: { width, height }, colorScheme: 'light' });
    const tab = await context.newPage();
    tab.on('pageerror', (error) => console.error(`[${page}] page error:`, error));
    await bindTurnout(tab, handlers);
    await tab.goto(`${site.url}/${page}.html`);
    return tab;
  };
  settingsPage = await open('settings', 1000, 860);
  logPage = await open('log', 1100, 560);

  // The main process's broadcasts, as desktopApp.ts wires them.
  cleanups.push(
    controller.subscribe((state) => {
      void emit(settingsPage, ipcContract.onState.channel, state);
      void emit(logPage, ipcContract.onState.channel, state);
    }),
    batchLogChanges(controller.log, (batch) => void emit(logPage, ipcContract.onLog.channel, batch)),
  );
  await controller.start();
}, 180_000);

afterAll(async () => {
  cleanups.forEach((cleanup) => cleanup());
  await browser?.close();
  await controller?.stop();
  await site?.close();
  await upstream?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * Screenshots are test artifacts (test-results/e2e/); `UPDATE_SCREENSHOTS=1 npm test` also
 * refreshes the README's copies in docs/, so an ordinary test run leaves the tree clean.
 */
function saveScreenshot(file: string, docsName: string, buffer: Buffer): void {
  mkdirSync(artifacts, { recursive: true });
  const path = join(artifacts, file);
  writeFileSync(path, buffer);
  if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(path, join(projectRoot, 'docs', docsName));
}

describe('Settings and Request log in Chromium over the real controller', () => {
  it('shows the running proxy and providers without keys', async () => {
    const status = settingsPage.getByTestId('proxy-status');
    await expect.poll(() => status.textContent()).toMatch(/^Proxy on 127\.0\.0\.1:\d+ · OpenAI$/);
    await expect
      .poll(() => settingsPage.getByTestId('provider-groq').locator('summary').textContent())
      .toContain('no key');
  });

  it('sets a key (write-only), rejects a bad URL without losing it, changes the mapping and switches provider', async () => {
    const groq = settingsPage.getByTestId('provider-groq');
    await groq.locator('summary').click();

    await groq.getByLabel('API key').fill(GROQ_KEY);
    await groq.getByRole('button', { name: 'Save key' }).click();
    await expect.poll(() => groq.getByTestId('groq-key-status').textContent()).toBe('set · ••••7f3a');
    // The key never travels back to the page, and the settings file holds only ciphertext.
    expect(await settingsPage.content()).not.toContain(GROQ_KEY);
    expect(readFileSync(store.path, 'utf8')).not.toContain(GROQ_KEY);

    const baseUrl = groq.getByLabel('Base URL');
    await baseUrl.fill('not a url');
    await groq.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => groq.getByRole('alert').textContent()).toContain('Not a valid URL');
    expect(await baseUrl.inputValue()).toBe('not a url');

    await baseUrl.fill(`${upstream.url}/v1`);
    await groq.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => controller.getSettings().providers.groq.baseUrl).toBe(`${upstream.url}/v1`);
    const big = groq.getByLabel(/^Big model/);
    await big.focus();
    await expect
      .poll(() => groq.getByTestId('groq-model-list').textContent())
      .toContain('3 models from /models');
    expect(
      await groq
        .locator('datalist option')
        .evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value)),
    ).toEqual([SMALL_MODEL, BROKEN_MODEL, BIG_MODEL]);
    await big.fill(BIG_MODEL);
    await groq.getByLabel(/^Small model/).fill(SMALL_MODEL);
    await groq.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => controller.getSettings().providers.groq.bigModel).toBe(BIG_MODEL);
    expect(controller.getSettings().providers.groq.baseUrl).toBe(`${upstream.url}/v1`);
    expect(await groq.getByRole('alert').count()).toBe(0);

    await groq.getByRole('button', { name: 'Test' }).click();
    await expect
      .poll(() => groq.getByTestId('groq-test-result').textContent())
      .toMatch(new RegExp(`^OK · \\d+ ms · ${pattern(BIG_MODEL)}$`));

    await groq.getByRole('button', { name: 'Use this provider' }).click();
    await expect.poll(() => settingsPage.getByTestId('proxy-status').textContent()).toMatch(/· Groq$/);
    expect(controller.getSnapshot().activeProvider).toBe('groq');
    // The OpenAI card collapses to make room; the screenshot shows the configured provider.
    await settingsPage.getByTestId('provider-openai').evaluate((el) => el.removeAttribute('open'));
    saveScreenshot('settings.png', 'settings.png', await settingsPage.screenshot({ fullPage: true }));
  });

  it('chooses the OpenAI API dialect of a provider (auto, chat completions, Responses API)', async () => {
    const openai = settingsPage.getByTestId('provider-openai');
    await openai.evaluate((el) => el.setAttribute('open', ''));
    const apiStyle = openai.locator('#openai-apiStyle');
    expect(await apiStyle.inputValue()).toBe('auto');
    await apiStyle.selectOption('responses');
    await openai.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => controller.getSettings().providers.openai.apiStyle).toBe('responses');
    // The saved settings come back as a state broadcast that re-renders the form; change it again
    // only once that has landed (Save disabled: nothing unsaved), or the broadcast undoes the edit.
    const save = openai.getByRole('button', { name: 'Save', exact: true });
    await expect.poll(() => save.isDisabled()).toBe(true);
    await apiStyle.selectOption('auto');
    await openai.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => 'apiStyle' in controller.getSettings().providers.openai).toBe(false);
    await openai.evaluate((el) => el.removeAttribute('open'));
  });

  it('offers to point Claude Code at Turnout in its settings file, after a backup', async () => {
    await openSettingsSection(settingsPage, 'Claude Code');
    expect(new URL(settingsPage.url()).hash).toBe('#claude');
    const section = settingsPage.getByTestId('claude-section');
    await expect
      .poll(() => section.textContent())
      .toContain('ANTHROPIC_BASE_URL = https://api.anthropic.com ✕');
    await section.getByRole('button', { name: /Write Turnout’s values/ }).click();
    await expect.poll(() => section.textContent()).toContain('the previous file is at');
    const written = JSON.parse(readFileSync(join(dir, '.claude', 'settings.json'), 'utf8'));
    expect(written.env).toEqual({
      ANTHROPIC_BASE_URL: controller.getState().baseUrl,
      ANTHROPIC_MODEL: 'claude-sonnet-4-6',
    });
    await expect
      .poll(() => section.textContent())
      .toContain(`ANTHROPIC_BASE_URL = ${controller.getState().baseUrl} ✓`);
  });

  it('a request through the proxy appears live in the log, with a detail pane', async () => {
    const baseURL = controller.getState().baseUrl;
    const client = new Anthropic({ baseURL, apiKey: 'unused', maxRetries: 0 });
    const message = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'Hello from Groq.' })]);
    expect(upstream.chats.at(-1)).toEqual({
      model: BIG_MODEL,
      stream: false,
      authorization: `Bearer ${GROQ_KEY}`,
    });

    const rows = logPage.getByTestId('log-row');
    await expect.poll(() => rows.count()).toBe(1);
    await expect
      .poll(() => rows.first().textContent())
      .toMatch(new RegExp(`claude-sonnet-4-6groq / ${pattern(BIG_MODEL)}200`));

    const streamed = await client.messages
      .stream({
        model: 'claude-haiku-4-5',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'Hi again' }],
      })
      .finalMessage();
    expect(streamed.content[0]).toMatchObject({ type: 'text', text: 'Hello from Groq.' });
    await expect.poll(() => rows.count()).toBe(2);
    await expect
      .poll(() => rows.first().textContent())
      .toMatch(new RegExp(`claude-haiku-4-5groq / ${pattern(SMALL_MODEL)}200`));

    await expect(
      client.messages.create({
        model: `groq/${BROKEN_MODEL}`,
        max_tokens: 64,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    ).rejects.toThrow();
    await expect.poll(() => rows.count()).toBe(3);
    await expect
      .poll(() => rows.first().textContent())
      .toMatch(new RegExp(`groq / ${pattern(BROKEN_MODEL)}5\\d\\d`));

    await rows.first().click();
    const detail = logPage.getByTestId('record-detail');
    await expect.poll(() => detail.textContent()).toContain(BROKEN_MODEL);
    expect(await logPage.content()).not.toContain(GROQ_KEY);

    await logPage.getByLabel('Filter by status').selectOption('ok');
    await expect.poll(() => logPage.getByTestId('log-count').textContent()).toBe('2 of 3 requests');
    await logPage.getByLabel('Filter by status').selectOption('all');
    await rows.nth(1).click();
    await expect.poll(() => detail.textContent()).toContain('Time to first token');
    saveScreenshot('request-log.png', 'request-log.png', await logPage.screenshot());
  });

  it('a switch made elsewhere (the tray) shows up in Settings, and the next request uses it', async () => {
    controller.setActiveProvider('openai');
    await expect.poll(() => settingsPage.getByTestId('proxy-status').textContent()).toMatch(/· OpenAI$/);
    const client = new Anthropic({ baseURL: controller.getState().baseUrl, apiKey: 'unused', maxRetries: 0 });
    await expect(
      client.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 8,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    ).rejects.toThrow(/No API key for OpenAI/);
    await expect.poll(() => logPage.getByTestId('log-row').first().textContent()).toMatch(/401/);

    await logPage.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => logPage.getByTestId('log-row').count()).toBe(0);
    expect(controller.log.records()).toEqual([]);
  });

  it('Routing: a fallback, a rule picked as provider and model, a profile, and provider health', async () => {
    await openSettingsSection(settingsPage, 'Routing');
    const routing = settingsPage.getByTestId('routing-section');
    await routing.getByLabel(/^Fallback chain/).selectOption('moonshot');
    await expect.poll(() => controller.getSettings().fallbackProviders).toEqual(['moonshot']);

    await routing.getByLabel('Think: provider').selectOption('groq');
    const model = routing.getByLabel('Think: model');
    await model.fill(BIG_MODEL);
    await model.blur();
    await expect.poll(() => controller.getSettings().rules.think).toBe(`groq/${BIG_MODEL}`);

    await routing.locator('#profile-name').fill('cheap');
    await routing.locator('#profile-provider').selectOption('moonshot');
    await routing.getByRole('button', { name: 'Save profile' }).click();
    await expect
      .poll(() => controller.getSettings().profiles.map((p) => `${p.name}:${p.provider}`))
      .toEqual(['cheap:moonshot']);
    await expect.poll(() => routing.textContent()).toContain('/p/cheap');
    // The profile's own rules and chain.
    const profile = routing.getByTestId('profile-cheap');
    await profile.locator('summary').click();
    await profile.getByLabel('cheap Think: provider').selectOption('groq');
    const profileModel = profile.getByLabel('cheap Think: model');
    await profileModel.fill(SMALL_MODEL);
    await profileModel.blur();
    await expect.poll(() => controller.getSettings().profiles[0].rules.think).toBe(`groq/${SMALL_MODEL}`);
    const chain = profile.getByLabel(/^Fallback chain/);
    await chain.fill('groq');
    await chain.blur();
    await expect.poll(() => controller.getSettings().profiles[0].fallbackProviders).toEqual(['groq']);
    expect(controller.getSettings().rules.think).toBe(`groq/${BIG_MODEL}`);

    // A request the think rule routes: the log's detail pane names the rule and the attempts.
    const client = new Anthropic({ baseURL: controller.getState().baseUrl, apiKey: 'unused', maxRetries: 0 });
    await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 64,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [{ role: 'user', content: 'Think first' }],
    });
    const rows = logPage.getByTestId('log-row');
    await expect.poll(() => rows.first().textContent()).toContain(`groq / ${BIG_MODEL}`);
    await rows.first().click();
    const detail = logPage.getByTestId('record-detail');
    await expect.poll(() => detail.textContent()).toContain('Routing rulethink');
    expect(await logPage.getByTestId('record-attempts').textContent()).toBe(
      `groq/${BIG_MODEL} (rule think): 200`,
    );

    for (let i = 0; i < 3; i++) controller.health.failure('moonshot', 'The engine is overloaded');
    const row = routing.locator('tr', { hasText: 'Moonshot (Kimi)' });
    await expect.poll(() => row.textContent()).toContain('Down');
    expect(await row.textContent()).toContain('The engine is overloaded');
    saveScreenshot(
      'settings-routing.png',
      'settings-routing.png',
      await settingsPage.screenshot({ fullPage: true }),
    );
    controller.health.reset('moonshot');
    await expect.poll(() => row.textContent()).toContain('OK');
  });
});
