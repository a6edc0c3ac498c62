/**
 * Access control over real HTTP: web pages (Origin, Sec-Fetch-Site, text/plain form posts),
 * DNS rebinding (Host), the local access token (x-api-key or Bearer, constant-time compare),
 * and the bind rules: loopback by default, never beyond it without a token — in process and in
 * a real headless process.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exportLine } from '../../src/main/app/exportLines';
import { defaultSettings } from '../../src/shared/config';
import { startFakeUpstream, type FakeUpstream } from '../support/fakeUpstream';
import { startHeadless } from '../support/headlessProcess';
import { startHarness, type Harness } from '../support/proxyHarness';

const TOKEN = 'sy-local-token-7f3a9c1e5b2d4a6f8e0c';

const body = JSON.stringify({
  model: 'claude-sonnet-4-5',
  max_tokens: 64,
  messages: [{ role: 'user', content: 'hi' }],
});

/** A raw request, so tests control every header (fetch would refuse to set Host or Origin). */
function send(
  baseUrl: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${baseUrl}${options.path ?? '/v1/messages'}`,
      { method: options.method ?? 'POST', headers: options.headers ?? {} },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode!, json: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = { 'content-type': 'application/json' };

describe('defaults', () => {
  it('listens on loopback and requires no token there unless asked', () => {
    const settings = defaultSettings();
    expect(settings.host).toBe('127.0.0.1');
    expect(settings.requireAccessToken).toBe(false);
  });
});

describe('web pages and DNS rebinding (loopback bind)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.upstream.received.length = 0;
  });

  it('refuses any request carrying Origin, whatever the origin', async () => {
    for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1:8082', 'http://localhost:3000']) {
      const res = await send(h.baseUrl, { headers: { ...json, origin }, body });
      expect(res.status).toBe(403);
      expect(res.json).toMatchObject({ type: 'error', error: { type: 'permission_error' } });
    }
    expect(h.upstream.received).toHaveLength(0);
  });

  it('refuses browser requests marked cross-site or same-site, even without Origin', async () => {
    for (const site of ['cross-site', 'same-site']) {
      const res = await send(h.baseUrl, {
        method: 'GET',
        path: '/v1/models',
        headers: { 'sec-fetch-site': site },
      });
      expect(res.status).toBe(403);
    }
    // Typing the URL into the address bar is fine.
    expect(
      (await send(h.baseUrl, { method: 'GET', path: '/', headers: { 'sec-fetch-site': 'none' } })).status,
    ).toBe(200);
  });

  it('refuses cross-site form posts (text/plain and friends) before reaching the upstream', async () => {
    const formTypes = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'];
    for (const type of formTypes) {
      const withOrigin = await send(h.baseUrl, {
        headers: { 'content-type': type, origin: 'https://evil.example' },
        body,
      });
      expect(withOrigin.status).toBe(403);
      // An old browser that omits Origin still cannot get a non-JSON body through.
      const without = await send(h.baseUrl, { headers: { 'content-type': type }, body });
      expect(without.status).toBe(400);
      expect(without.json.error.type).toBe('invalid_request_error');
    }
    expect(h.upstream.received).toHaveLength(0);
  });

  it('refuses a Host that is a DNS name other than localhost (rebinding), accepts loopback literals', async () => {
    const port = new URL(h.baseUrl).port;
    for (const host of [
      `rebind.evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      `localhost.evil.example`,
    ]) {
      const res = await send(h.baseUrl, { headers: { ...json, host }, body });
      expect(res.status, host).toBe(403);
      expect(res.json.error.type).toBe('permission_error');
    }
    expect(h.upstream.received).toHaveLength(0);
    for (const host of [
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
      `127.0.0.2:${port}`,
      'LOCALHOST',
    ]) {
      expect((await send(h.baseUrl, { headers: { ...json, host }, body })).status, host).toBe(200);
    }
  });
});

describe('access token', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ accessToken: TOKEN, tweak: (s) => (s.requireAccessToken = true) });
  });
  afterAll(() => h.close());

  it('refuses requests without the token, or with a wrong one, as authentication_error', async () => {
    const wrong: Array<Record<string, string>> = [
      {},
      { 'x-api-key': 'nope' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: TOKEN },
    ];
    for (const headers of wrong) {
      const res = await send(h.baseUrl, { headers: { ...json, ...headers }, body });
      expect(res.status).toBe(401);
      expect(res.json.error.type).toBe('authentication_error');
      expect(JSON.stringify(res.json)).not.toContain(TOKEN);
    }
    expect((await send(h.baseUrl, { method: 'GET', path: '/v1/models' })).status).toBe(401);
    expect((await send(h.baseUrl, { path: '/v1/messages/count_tokens', headers: json, body })).status).toBe(
      401,
    );
  });

  it('accepts it as x-api-key (ANTHROPIC_API_KEY) or Bearer (ANTHROPIC_AUTH_TOKEN), either of two', async () => {
    const right: Array<Record<string, string>> = [
      { 'x-api-key': TOKEN },
      { authorization: `Bearer ${TOKEN}` },
      { authorization: `bearer ${TOKEN}` },
      { 'x-api-key': 'sk-ant-some-real-key', authorization: `Bearer ${TOKEN}` },
    ];
    for (const headers of right) {
      expect((await send(h.baseUrl, { headers: { ...json, ...headers }, body })).status).toBe(200);
    }
  });

  it('lets the start-up probe (HEAD /) through without it', async () => {
    expect((await send(h.baseUrl, { method: 'HEAD', path: '/' })).status).toBe(200);
  });

  it('puts the token in the export line only when it is required', () => {
    const line = exportLine('posix', h.baseUrl, h.controller.getAccessToken());
    expect(line).toBe(`export ANTHROPIC_BASE_URL=${h.baseUrl}; export ANTHROPIC_AUTH_TOKEN=${TOKEN}`);
    h.controller.setRequireAccessToken(false);
    try {
      expect(h.controller.getAccessToken()).toBeNull();
      expect(exportLine('posix', h.baseUrl, h.controller.getAccessToken())).not.toContain('AUTH_TOKEN');
    } finally {
      h.controller.setRequireAccessToken(true);
    }
  });
});

describe('binding beyond loopback', () => {
  it('refuses to start without a token (the controller, for any entry point)', async () => {
    const h = await startHarness();
    try {
      await expect(h.controller.setListenAddress('0.0.0.0', 0)).rejects.toThrow(/access token/);
      h.controller.replaceSettings({ ...h.controller.getSettings(), host: '0.0.0.0' });
      const status = await h.controller.start();
      expect(status).toMatchObject({ state: 'error', code: 'ACCESS_TOKEN_REQUIRED' });
      expect(status.state === 'error' && status.message).toMatch(/TURNOUT_ACCESS_TOKEN/);
    } finally {
      await h.close();
    }
  });

  it('with a token: any Host is accepted (LAN names), the token is required', async () => {
    const h = await startHarness({ accessToken: TOKEN, tweak: (s) => (s.host = '0.0.0.0') });
    try {
      expect(h.controller.getAccessToken()).toBe(TOKEN);
      const headers = { ...json, host: 'my-desktop.lan:8082' };
      expect((await send(h.baseUrl, { headers, body })).status).toBe(401);
      expect(
        (await send(h.baseUrl, { headers: { ...headers, authorization: `Bearer ${TOKEN}` }, body })).status,
      ).toBe(200);
      // Web pages are still refused, token or not.
      const fromPage = { ...headers, authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example' };
      expect((await send(h.baseUrl, { headers: fromPage, body })).status).toBe(403);
    } finally {
      await h.close();
    }
  });
});

describe('headless mode (a real process)', () => {
  let upstream: FakeUpstream;
  beforeAll(async () => {
    upstream = await startFakeUpstream();
  });
  afterAll(() => upstream.close());

  it('HOST=0.0.0.0 without TURNOUT_ACCESS_TOKEN: one clear line on stderr, exit code 1', async () => {
    const p = startHeadless({ HOST: '0.0.0.0', PORT: '0', OPENAI_API_KEY: 'sk-test-headless-0000000000' });
    expect(await p.exited).toBe(1);
    const lines = p.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^turnout: Refusing to listen on 0\.0\.0\.0: .*TURNOUT_ACCESS_TOKEN/);
    expect(p.stdout()).toBe('');
  });

  it('HOST=0.0.0.0 with a token: serves, prints an export line naming the variable (never the token), enforces it', async () => {
    const p = startHeadless({
      HOST: '0.0.0.0',
      PORT: '0',
      TURNOUT_ACCESS_TOKEN: TOKEN,
      OPENAI_API_KEY: 'sk-test-headless-0000000000',
      OPENAI_BASE_URL: upstream.url,
    });
    try {
      const baseUrl = await p.ready;
      // Headless stdout lands in docker logs and journald: the token's value must not.
      expect(p.stdout()).toContain(
        `export ANTHROPIC_BASE_URL=${baseUrl}; export ANTHROPIC_AUTH_TOKEN="$TURNOUT_ACCESS_TOKEN"`,
      );
      expect(p.stdout()).not.toContain(TOKEN);
      expect(p.stderr()).not.toContain(TOKEN);
      expect((await send(baseUrl, { headers: json, body })).status).toBe(401);
      const ok = await send(baseUrl, { headers: { ...json, authorization: `Bearer ${TOKEN}` }, body });
      expect(ok.status).toBe(200);
      expect(ok.json.content[0].text).toBe('ok');
    } finally {
      expect(await p.stop()).toBe(0);
    }
  });

  it('default (loopback, no token): serves without a token and the export line has none', async () => {
    const p = startHeadless({
      PORT: '0',
      OPENAI_API_KEY: 'sk-test-headless-0000000000',
      OPENAI_BASE_URL: upstream.url,
    });
    try {
      const baseUrl = await p.ready;
      expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(p.stdout()).not.toContain('ANTHROPIC_AUTH_TOKEN');
      expect((await send(baseUrl, { headers: json, body })).status).toBe(200);
    } finally {
      await p.stop();
    }
  });
});
