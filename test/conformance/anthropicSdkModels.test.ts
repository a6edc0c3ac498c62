/**
 * The models endpoints as the official SDK uses them: `models.retrieve(id)` and `models.list()`
 * with `limit` and auto-pagination over `after_id` (https://docs.anthropic.com/en/api/models-list).
 */
import Anthropic, { NotFoundError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_MODELS } from '../../src/main/proxy/routes/models';
import { startHarness, type Harness } from '../support/proxyHarness';

let h: Harness;
let client: Anthropic;

beforeAll(async () => {
  h = await startHarness();
  client = new Anthropic({ apiKey: 'client-key', baseURL: h.baseUrl, maxRetries: 0 });
});
afterAll(() => h.close());

describe('models endpoints', () => {
  it('retrieves one model, with where it is mapped', async () => {
    const model = await client.models.retrieve('claude-sonnet-4-6');
    expect(model).toMatchObject({ type: 'model', id: 'claude-sonnet-4-6' });
    expect(model.display_name).toContain('OpenAI gpt-5.1');
    // A Claude family this list does not name yet is still served (it maps to the big model).
    expect((await client.models.retrieve('claude-future-9')).display_name).toContain('gpt-5.1');
    await expect(client.models.retrieve('no-such-model')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('pages with limit and after_id; the SDK walks every page', async () => {
    const first = await client.models.list({ limit: 2 });
    expect(first.data.map((m) => m.id)).toEqual(CLIENT_MODELS.slice(0, 2).map((m) => m.id));
    expect(first.has_more).toBe(true);
    const all: string[] = [];
    for await (const model of client.models.list({ limit: 1 })) all.push(model.id);
    expect(all).toEqual(CLIENT_MODELS.map((m) => m.id));
    const bad = await fetch(`${h.baseUrl}/v1/models?limit=0`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.type).toBe('invalid_request_error');
  });
});
