/**
 * Keys never leak. Distinctive fake keys go through success and every error path — upstreams
 * that echo the key in JSON errors, HTML pages, error chunks mid-stream, broken JSON, 200s with
 * an error object, Anthropic pass-through errors — and afterwards the key values appear in no
 * error body, no stream, no request-log record, nothing the process printed (in process and a
 * real headless process), and not in the settings file on disk.
 */
import Conf from 'conf';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TurnoutController } from '../../src/main/app/controller';
import { EncryptedVault } from '../../src/main/app/secretVault';
import {
  DesktopCiphertextStore,
  DesktopSettingsStore,
  accessTokenSource,
  storeOptions,
  type StoreDocument,
} from '../../src/main/desktop/desktopStore';
import { testCipher } from '../desktop/testCipher';
import { startFakeUpstream, textChunks, type FakeUpstream, type Step } from '../support/fakeUpstream';
import { startHeadless } from '../support/headlessProcess';
import { startHarness, type Harness } from '../support/proxyHarness';

const KEYS = {
  openai: 'sk-proj-LEAKCANARY-openai-9f8e7d6c5b4a3210',
  // Key-shaped canaries are assembled at run time so secret scanners do not flag the repo.
  google: 'AIza' + 'LEAKCANARYgoogle9f8e7d6c5b4a3210xyz',
  groq: 'gsk_' + 'LEAKCANARYgroq9f8e7d6c5b4a3210',
  moonshot: 'sk-LEAKCANARY-moonshot-9f8e7d6c5b4a3210',
  anthropic: 'sk-ant-api03-LEAKCANARY-anthropic-9f8e7d6c5b4a3210',
};
const ALL_KEYS = Object.values(KEYS);

function expectNoKeys(text: string, where: string): void {
  for (const key of ALL_KEYS) {
    expect(text.includes(key), `${where} contains ${key.slice(0, 12)}…`).toBe(false);
    // A distinctive fragment catches partial echoes ("sk-proj-LEAKCANARY-open***").
    expect(text.includes(key.slice(8, 24)), `${where} contains part of ${key.slice(0, 12)}…`).toBe(false);
  }
}

/** Upstream behaviours that put the OpenAI key into what it sends back. */
const echoing = (key: string): Array<{ stream: boolean; step: Step }> => [
  {
    stream: false,
    step: {
      kind: 'json',
      body: {
        id: 'x',
        object: 'chat.completion',
        created: 0,
        model: 'm',
        choices: [{ index: 0, message: { role: 'assistant', content: 'fine' }, finish_reason: 'stop' }],
      },
    },
  },
  { stream: true, step: { kind: 'sse', events: textChunks(['fine']) } },
  {
    stream: false,
    step: {
      kind: 'json',
      status: 401,
      body: {
        error: {
          message: `Incorrect API key provided: ${key}.`,
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      },
    },
  },
  {
    stream: true,
    step: {
      kind: 'json',
      status: 401,
      body: [{ error: { code: 401, message: `API key ${key} not valid`, status: 'UNAUTHENTICATED' } }],
    },
  },
  {
    stream: false,
    step: {
      kind: 'raw',
      status: 502,
      body: `<html><body>upstream failed for key=${key}</body></html>`,
      headers: { 'content-type': 'text/html' },
    },
  },
  { stream: false, step: { kind: 'raw', status: 500, body: `internal: Authorization: Bearer ${key}` } },
  {
    stream: false,
    step: { kind: 'json', body: { error: { message: `quota exceeded for ${key}`, code: 429 } } },
  },
  {
    stream: true,
    step: { kind: 'sse', events: [{ error: { message: `key ${key} is suspended`, code: 403 } }] },
  },
  {
    stream: true,
    step: {
      kind: 'sse',
      events: [...textChunks(['so far']).slice(0, 2), { error: { message: `revoked ${key}`, code: 401 } }],
    },
  },
  {
    stream: true,
    step: {
      kind: 'sse',
      events: [...textChunks(['so far']).slice(0, 2), { raw: `data: {"leak":"${key}", broken` }],
    },
  },
  { stream: true, step: { kind: 'sse', events: [{ raw: `data: {"leak":"${key}", broken` }] } },
  { stream: false, step: { kind: 'reset' } },
  { stream: true, step: { kind: 'sse', events: textChunks(['cut']).slice(0, 2), reset: true } },
];

const request = (stream: boolean, model = 'claude-sonnet-4-5') =>
  JSON.stringify({ model, max_tokens: 64, stream, messages: [{ role: 'user', content: 'hi' }] });

describe('in process', () => {
  let h: Harness;
  const printed: string[] = [];
  const restore: Array<() => void> = [];
  const bodies: string[] = [];

  beforeAll(async () => {
    h = await startHarness({
      keys: KEYS,
      tweak: (s) => Object.assign(s.timeouts, { firstByteMs: 600, idleMs: 400 }),
    });
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
        printed.push(String(chunk));
        return write(chunk, ...rest);
      }) as typeof stream.write;
      restore.push(() => (stream.write = write));
    }
    // Libraries log through console (which vitest intercepts before process.stderr).
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const original = console[level];
      console[level] = (...args: unknown[]) => {
        printed.push(args.map(String).join(' '));
        original(...args);
      };
      restore.push(() => (console[level] = original));
    }
  });
  afterAll(async () => {
    for (const undo of restore) undo();
    await h.close();
  });

  const post = async (body: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${h.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'client-key', ...headers },
      body,
    });
    const text = await res.text();
    bodies.push(`${res.status} ${[...res.headers].join(' ')} ${text}`);
    return { status: res.status, text };
  };

  it('OpenAI-compatible paths: success and every error the upstream can make', async () => {
    const statuses: number[] = [];
    for (const { stream, step } of echoing(KEYS.openai)) {
      h.upstream.enqueue(step);
      statuses.push((await post(request(stream))).status);
    }
    // Sanity: the paths were really taken (successes, 4xx, 5xx, streams that failed).
    expect(statuses).toContain(200);
    expect(statuses).toContain(401);
    expect(statuses).toContain(502);
    // Gemini-style and Groq paths, and an upstream that cannot be reached.
    h.upstream.enqueue({
      kind: 'json',
      status: 400,
      body: [{ error: { message: `bad key ${KEYS.google}` } }],
    });
    await post(request(false, 'google/gemini-x'));
    h.upstream.enqueue({
      kind: 'json',
      status: 401,
      body: { error: { message: `Invalid API Key ${KEYS.groq}` } },
    });
    await post(request(true, 'groq/llama'));
    h.upstream.enqueue({ kind: 'hang' });
    await post(request(false));
  });

  it('a provider without a key, and bad client input', async () => {
    h.controller.setActiveProvider('openai');
    await h.controller.removeKey('moonshot');
    await post(request(false, 'moonshot/kimi'));
    await post('{"model": ');
    await post(request(false), { authorization: `Bearer ${KEYS.openai}` });
  });

  it('Anthropic pass-through errors that echo the key', async () => {
    h.controller.setActiveProvider('anthropic');
    try {
      h.upstream.enqueue(
        {
          kind: 'json',
          status: 401,
          body: {
            type: 'error',
            error: { type: 'authentication_error', message: `invalid x-api-key ${KEYS.anthropic}` },
          },
        },
        {
          kind: 'raw',
          status: 502,
          body: `<h1>Bad gateway</h1><p>${KEYS.anthropic}</p>`,
          headers: { 'content-type': 'text/html' },
        },
        { kind: 'reset' },
      );
      for (let i = 0; i < 3; i++) await post(request(i === 0));
    } finally {
      h.controller.setActiveProvider('openai');
    }
  });

  it('none of it contains a key: error bodies, streams, the request log, stdout and stderr', async () => {
    // The upstream did receive the keys (the canaries were live).
    const sent = JSON.stringify(h.upstream.received.map((r) => r.headers));
    expect(sent).toContain(KEYS.openai);
    expect(sent).toContain(KEYS.anthropic);
    expect(bodies.length).toBeGreaterThan(15);
    expectNoKeys(bodies.join('\n'), 'responses');
    expectNoKeys(JSON.stringify(h.controller.log.records()), 'request log');
    expectNoKeys(JSON.stringify(h.controller.getState()), 'app state');
    expectNoKeys(printed.join(''), 'stdout/stderr');
  });
});

describe('a headless process', () => {
  let upstream: FakeUpstream;
  beforeAll(async () => {
    upstream = await startFakeUpstream();
  });
  afterAll(() => upstream.close());

  it('prints no key, whatever happens', async () => {
    const p = startHeadless({
      PORT: '0',
      OPENAI_API_KEY: KEYS.openai,
      OPENAI_BASE_URL: upstream.url,
      GEMINI_API_KEY: KEYS.google,
      GROQ_API_KEY: KEYS.groq,
      ANTHROPIC_API_KEY: KEYS.anthropic,
      ANTHROPIC_UPSTREAM_URL: `http://127.0.0.1:${upstream.port}`,
      TURNOUT_FIRST_BYTE_TIMEOUT_MS: '800',
      TURNOUT_IDLE_TIMEOUT_MS: '500',
      TURNOUT_MAX_RETRIES: '0',
    });
    const bodies: string[] = [];
    try {
      const baseUrl = await p.ready;
      for (const { stream, step } of echoing(KEYS.openai)) {
        upstream.enqueue(step);
        const res = await fetch(`${baseUrl}/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: request(stream),
        });
        bodies.push(await res.text());
      }
      // Let the batched log writer flush.
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      expect(await p.stop()).toBe(0);
    }
    expect(p.stdout()).toContain('/v1/messages');
    expectNoKeys(bodies.join('\n'), 'responses');
    expectNoKeys(p.stdout(), 'headless stdout');
    expectNoKeys(p.stderr(), 'headless stderr');
  });
});

describe('keys at rest (desktop settings file)', () => {
  it('the settings file holds keys and the access token only encrypted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'turnout-secrets-'));
    try {
      const { name, ...options } = storeOptions();
      const store = new Conf<StoreDocument>({
        ...options,
        configName: name,
        cwd: dir,
        projectName: 'turnout',
      });
      const cipher = testCipher();
      const controller = new TurnoutController({
        settingsStore: new DesktopSettingsStore(store, []),
        vault: await EncryptedVault.open(cipher, new DesktopCiphertextStore(store)),
        keyHelp: 'settings',
        accessToken: await accessTokenSource(store, cipher),
        version: 'test',
      });
      for (const [id, key] of Object.entries(KEYS)) await controller.setKey(id, key);
      controller.setRequireAccessToken(true);
      const token = controller.getAccessToken()!;
      expect(token).toBeTruthy();
      // The token's ciphertext is written once the cipher has encrypted it.
      await vi.waitFor(() => expect(store.has('accessToken')).toBe(true));
      const files = readdirSync(dir, { recursive: true })
        .map((f) => join(dir, String(f)))
        .filter((f) => statSync(f).isFile());
      expect(files.length).toBeGreaterThan(0);
      const onDisk = files.map((f) => readFileSync(f, 'utf8')).join('\n');
      expectNoKeys(onDisk, 'settings file');
      expect(onDisk).not.toContain(token);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
