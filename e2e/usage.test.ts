/**
 * The Usage window, built by electron-vite, in Chromium, with `window.turnout` bound to the real
 * controller over a real usage store (SQLite in a temporary folder). The store holds four weeks
 * of history; today's requests go through the real proxy to a fake OpenAI-compatible upstream
 * and the window must show exactly what that upstream reported, at OpenAI's published price.
 */
import Anthropic from '@anthropic-ai/sdk';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings } from '../src/shared/config';
import { ipcContract } from '../src/shared/ipc';
import type { RequestRecord } from '../src/shared/requestRecord';
import { TurnoutController } from '../src/main/app/controller';
import { MemoryVault } from '../src/main/app/secretVault';
import { MemorySettingsStore } from '../src/main/app/settingsStore';
import { batchLogChanges } from '../src/main/desktop/logBroadcast';
import { UsageStore } from '../src/main/usage/usageStore';
import { quietIpcHandlers } from '../test/support/ipcHandlers';
import { completion, startFakeUpstream, type FakeUpstream } from '../test/support/fakeUpstream';
import { openSettingsSection } from './support/settingsNav';
import { launchTestBrowser } from './support/browser';
import { bindTurnout, emit } from './support/bridge';
import { ensureRendererBuilt, projectRoot, rendererDir } from './support/buildRenderer';
import { serveDirectory } from './support/staticServer';

const artifacts = join(projectRoot, 'test-results', 'e2e');
const DAY = 86_400_000;

let dir: string;
let browser: Browser;
let upstream: FakeUpstream;
let site: Awaited<ReturnType<typeof serveDirectory>>;
let controller: TurnoutController;
let page: Page;
let settingsPage: Page;
let csvPath: string;
const cleanups: (() => unknown)[] = [];

/** A small deterministic generator (mulberry32), so the history and screenshot never change. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MIX: Array<{ share: number; provider: string; model: string; client: string; cached: number }> = [
  { share: 0.5, provider: 'openai', model: 'gpt-5.1', client: 'claude-sonnet-4-5-20250929', cached: 0.7 },
  { share: 0.2, provider: 'openai', model: 'gpt-5-mini', client: 'claude-haiku-4-5-20251001', cached: 0.5 },
  {
    share: 0.17,
    provider: 'anthropic',
    model: 'claude-sonnet-4-5-20250929',
    client: 'claude-sonnet-4-5-20250929',
    cached: 0.8,
  },
  {
    share: 0.1,
    provider: 'groq',
    model: 'openai/gpt-oss-120b',
    client: 'claude-sonnet-4-5-20250929',
    cached: 0,
  },
  {
    share: 0.03,
    provider: 'ollama',
    model: 'qwen3-coder:30b',
    client: 'claude-sonnet-4-5-20250929',
    cached: 0,
  },
];

/** Four weeks of requests before today, like a working month of Claude Code sessions. */
function history(now: number): RequestRecord[] {
  const next = random(11);
  const records: RequestRecord[] = [];
  const today = new Date(now);
  today.setHours(0, 0, 0, 0);
  for (let back = 28; back >= 1; back--) {
    const day = new Date(today);
    day.setDate(day.getDate() - back);
    const weekend = day.getDay() === 0 || day.getDay() === 6;
    const count = Math.round((weekend ? 8 : 45) + next() * (weekend ? 10 : 50));
    for (let i = 0; i < count; i++) {
      let pick = next();
      const kind = MIX.find((m) => (pick -= m.share) < 0) ?? MIX[0];
      const prompt = Math.round(6000 + next() * 60_000);
      const cacheRead = Math.round(prompt * kind.cached * (0.7 + next() * 0.3));
      const cacheWrite = kind.provider === 'anthropic' ? Math.round((prompt - cacheRead) * 0.5) : 0;
      const failed = next() < 0.02;
      const latency = Math.round((kind.provider === 'groq' ? 900 : 2500) + next() * (failed ? 500 : 18_000));
      records.push({
        id: `req_${back}_${i}`,
        startedAt: day.getTime() + 9 * 3_600_000 + i * ((9 * 3_600_000) / count),
        method: 'POST',
        path: '/v1/messages',
        clientModel: kind.client,
        provider: kind.provider,
        upstreamModel: kind.model,
        stream: true,
        status: failed ? 529 : 200,
        state: failed ? 'error' : 'done',
        latencyMs: latency,
        ttftMs: failed ? undefined : Math.round(latency * (0.1 + next() * 0.2)),
        inputTokens: failed ? 0 : prompt,
        cacheReadTokens: failed ? 0 : cacheRead,
        cacheWriteTokens: failed ? 0 : cacheWrite,
        outputTokens: failed ? 0 : Math.round(150 + next() * 2500),
        error: failed ? 'Overloaded' : undefined,
        ...(next() < 0.015 ? { attempts: 2 } : {}),
      } as RequestRecord);
    }
  }
  return records;
}

beforeAll(async () => {
  await ensureRendererBuilt();
  dir = mkdtempSync(join(tmpdir(), 'turnout-e2e-usage-'));
  csvPath = join(dir, 'usage.csv');
  upstream = await startFakeUpstream();
  // 12,000 prompt tokens of which 8,000 cached, 600 out: what OpenAI reports for a warm session.
  // It answers after 1.5 s, so today's latency looks like a model's, not a loopback's.
  const answer = completion('Done.', {
    model: 'gpt-5.1',
    usage: {
      prompt_tokens: 12_000,
      completion_tokens: 600,
      total_tokens: 12_600,
      prompt_tokens_details: { cached_tokens: 8000 },
    },
  });
  upstream.fallback = {
    kind: 'custom',
    handle: async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    },
  };
  site = await serveDirectory(rendererDir);

  const store = UsageStore.open(join(dir, 'usage.sqlite'));
  const settings = defaultSettings();
  settings.port = 0;
  settings.providers.openai.baseUrl = upstream.url;
  controller = new TurnoutController({
    settingsStore: new MemorySettingsStore(settings),
    vault: new MemoryVault({ openai: 'sk-e2e-usage-0123456789abcdef' }),
    keyHelp: 'settings',
    version: 'e2e',
    usageStore: store,
  });
  // Written through the controller's store, so the history is priced like live requests.
  for (const record of history(Date.now())) store.record(record);
  await store.flush();
  const handlers = quietIpcHandlers(controller, dir, { chooseSaveFile: async () => csvPath });
  await controller.start();

  browser = await launchTestBrowser();
  const context = await browser.newContext({ viewport: { width: 1100, height: 1000 }, colorScheme: 'light' });
  page = await context.newPage();
  page.on('pageerror', (error) => console.error('[usage] page error:', error));
  await bindTurnout(page, handlers);
  await page.goto(`${site.url}/usage.html`);
  cleanups.push(
    batchLogChanges(controller.log, (batch) => void emit(page, ipcContract.onLog.channel, batch)),
  );
  const settingsContext = await browser.newContext({
    viewport: { width: 820, height: 900 },
    colorScheme: 'light',
  });
  settingsPage = await settingsContext.newPage();
  await bindTurnout(settingsPage, handlers);
  await settingsPage.goto(`${site.url}/settings.html`);
  cleanups.push(controller.subscribe((state) => void emit(settingsPage, ipcContract.onState.channel, state)));
}, 180_000);

afterAll(async () => {
  cleanups.forEach((cleanup) => cleanup());
  await browser?.close();
  await controller?.shutdown();
  await site?.close();
  await upstream?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function saveScreenshot(file: string, buffer: Buffer): void {
  mkdirSync(artifacts, { recursive: true });
  const path = join(artifacts, file);
  writeFileSync(path, buffer);
  if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(path, join(projectRoot, 'docs', file));
}

const card = (id: string) => page.getByTestId(`usage-${id}`).locator('.usage-value');

describe('Usage window in Chromium over the real controller and store', () => {
  it('shows today exactly as the upstream reported it, priced at OpenAI’s list price, and updates live', async () => {
    await page.getByRole('button', { name: 'Today' }).click();
    await expect.poll(() => card('requests').textContent()).toBe('0');
    expect(await card('cost').textContent()).toBe('–');

    const client = new Anthropic({
      baseURL: `http://127.0.0.1:${controller.listeningPort}`,
      apiKey: 'unused',
    });
    for (let i = 0; i < 3; i++) {
      await client.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 1024,
        messages: [{ role: 'user', content: 'Refactor the parser.' }],
      });
    }
    // The window refreshes itself when requests finish.
    await expect.poll(() => card('requests').textContent(), { timeout: 10_000 }).toBe('3');
    // 3 × (4,000 × $1.25 + 8,000 × $0.125 + 600 × $10) per million = $0.036.
    expect(await card('cost').textContent()).toBe('$0.04');
    expect(await card('tokens').textContent()).toBe('38k');
    // 24,000 of 36,000 prompt tokens came from the cache.
    expect(await card('cache').textContent()).toBe('67%');
    const rows = page.getByTestId('usage-models').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('gpt-5.1');
  });

  it('draws four weeks split by provider, then by model, with unknown costs as "–"', async () => {
    await page.getByRole('button', { name: '30 days' }).click();
    const expected = history(Date.now()).length + 3;
    await expect.poll(() => card('requests').textContent()).toBe(expected.toLocaleString('en-US'));
    const legend = page.locator('.recharts-legend-wrapper').first();
    await expect.poll(() => legend.textContent()).toContain('anthropic');
    expect(await page.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(20);
    // The local model has no price: its cost is unknown, not $0.
    const ollama = page.getByTestId('usage-models').locator('tbody tr', { hasText: 'qwen3-coder:30b' });
    expect(await ollama.locator('td').nth(8).textContent()).toBe('–');
    expect(await card('cost').textContent()).toMatch(/^\$\d+\.\d\d\+$/);
    saveScreenshot('usage.png', await page.screenshot({ fullPage: true }));

    // Keyboard users reach the chart and read it day by day (Recharts' accessibility layer).
    const chart = page.getByRole('application', { name: 'Cost per day by provider' });
    expect(await chart.getAttribute('tabindex')).toBe('0');
    await chart.focus();
    const label = page.locator('.recharts-tooltip-label').first();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => label.textContent()).toMatch(/^[A-Z][a-z]{2} \d{1,2}$/);
    const first = await label.textContent();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => label.textContent()).not.toBe(first);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => label.textContent()).toBe(first);
    await page.keyboard.press('Escape');
    await page.mouse.move(0, 0);

    await page.getByRole('button', { name: 'By model' }).click();
    await expect.poll(() => legend.textContent()).toContain('gpt-5.1');
  });

  it('prices a local model from Settings, history included, and shows its cost in the Usage window', async () => {
    await openSettingsSection(settingsPage, 'Usage');
    const section = settingsPage.getByTestId('usage-section');
    await section.getByLabel('Model', { exact: true }).fill('qwen3-coder:30b');
    await section.getByLabel('Input price').fill('0.2');
    await section.getByLabel('Output price').fill('0.8');
    await section.getByRole('button', { name: 'Set price' }).click();
    await expect.poll(() => section.locator('table').textContent()).toContain('qwen3-coder:30b');
    // A price that is not an amount is refused next to the form, and nothing is saved.
    await section.getByLabel('Model', { exact: true }).fill('gpt-5.1');
    await section.getByLabel('Input price').fill('cheap');
    await section.getByLabel('Output price').fill('1');
    await section.getByRole('button', { name: 'Set price' }).click();
    await expect.poll(() => section.locator('.field-error').textContent()).toMatch(/input must be a number/);
    expect(controller.getSettings().usage.prices).toEqual({ 'qwen3-coder:30b': { input: 0.2, output: 0.8 } });

    // The Usage window refreshes on the next finished request.
    const client = new Anthropic({
      baseURL: `http://127.0.0.1:${controller.listeningPort}`,
      apiKey: 'unused',
    });
    await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const ollama = page.getByTestId('usage-models').locator('tbody tr', { hasText: 'qwen3-coder:30b' });
    await expect
      .poll(() => ollama.locator('td').nth(8).textContent(), { timeout: 10_000 })
      .toMatch(/^\$\d+\.\d\d$/);
    await expect.poll(() => card('cost').textContent()).toMatch(/^\$\d+\.\d\d$/);
  });

  it('exports the range as CSV', async () => {
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await expect.poll(() => page.locator('.notice').last().textContent()).toContain(csvPath);
    const lines = readFileSync(csvPath, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe(
      'day,provider,model,requests,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,cost_usd,unpriced_requests,errors,failovers',
    );
    const total = lines.slice(1).reduce((sum, line) => sum + Number(line.split(',')[3]), 0);
    expect(total).toBe(history(Date.now()).length + 4);
    expect(lines.find((l) => l.includes('qwen3-coder:30b'))?.split(',')[8]).toMatch(/^\d+\.\d+$/);
  });

  it('refuses a custom range that ends before it starts', async () => {
    await page.getByRole('button', { name: 'Custom' }).click();
    const today = new Date();
    const iso = (d: Date) =>
      `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    await page.getByLabel('From', { exact: true }).fill(iso(today));
    await page.getByLabel('To', { exact: true }).fill(iso(new Date(today.getTime() - 3 * DAY)));
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('must not be after');
  });
});
