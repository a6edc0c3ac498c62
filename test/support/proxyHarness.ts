/**
 * Starts the real controller and proxy on an ephemeral loopback port, wired to a fake upstream,
 * the way headless mode wires them. Tests talk to it over real HTTP.
 */
import { defaultSettings, type Settings } from '../../src/shared/config';
import { TurnoutController } from '../../src/main/app/controller';
import { MemoryVault } from '../../src/main/app/secretVault';
import { MemorySettingsStore } from '../../src/main/app/settingsStore';
import type { UsageStore } from '../../src/main/usage/usageStore';
import { startFakeUpstream, type FakeUpstream, type FakeUpstreamOptions } from './fakeUpstream';

export const TEST_KEYS = {
  openai: 'sk-test-openai-0123456789abcdef',
  // Key-shaped fakes are assembled at run time so secret scanners do not flag the repo.
  google: 'AIza' + 'TestGoogleKey0123456789abcdefghij',
  groq: 'gsk_' + 'testgroqkey0123456789abcdef',
  moonshot: 'sk-test-moonshot-0123456789abcdef',
  anthropic: 'sk-ant-test-anthropic-0123456789abcdef',
};

export interface Harness {
  baseUrl: string;
  controller: TurnoutController;
  upstream: FakeUpstream;
  close(): Promise<void>;
}

export async function startHarness(
  options: {
    provider?: string;
    keys?: Record<string, string>;
    tweak?: (s: Settings) => void;
    accessToken?: string | null;
    upstream?: FakeUpstreamOptions;
    /** The clock provider health reads. */
    now?: () => number;
    usageStore?: UsageStore;
  } = {},
): Promise<Harness> {
  const upstream = await startFakeUpstream(options.upstream);
  const settings = defaultSettings();
  settings.port = 0;
  settings.activeProvider = options.provider ?? 'openai';
  for (const id of Object.keys(settings.providers)) {
    settings.providers[id].baseUrl = id === 'anthropic' ? `http://127.0.0.1:${upstream.port}` : upstream.url;
  }
  settings.maxRetries = 0;
  // Tests assert the backend's own counts; context scaling has tests of its own that turn it on.
  settings.contextScaling = false;
  options.tweak?.(settings);
  const controller = new TurnoutController({
    settingsStore: new MemorySettingsStore(settings),
    vault: new MemoryVault(options.keys ?? TEST_KEYS),
    keyHelp: 'env',
    accessToken: options.accessToken ?? null,
    version: 'test',
    now: options.now,
    usageStore: options.usageStore,
  });
  const status = await controller.start();
  if (status.state !== 'running') throw new Error(`proxy did not start: ${JSON.stringify(status)}`);
  return {
    baseUrl: `http://127.0.0.1:${controller.listeningPort}`,
    controller,
    upstream,
    async close() {
      await controller.shutdown();
      await upstream.close();
    },
  };
}

/** POSTs JSON (or a raw string body) the way an Anthropic client does. */
export function postJson(
  baseUrl: string,
  path: string,
  payload: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'client-key', ...headers },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}
