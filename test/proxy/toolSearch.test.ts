/**
 * Tool search through any backend: deferred tools (`defer_loading: true`) reach the upstream
 * only once a `tool_reference` loads them, then on every later request, appended so the prefix
 * stays stable. Also the measurement quoted in the README: the upstream body of a Claude Code
 * session with 100 MCP tools, with and without deferral.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { completion } from '../support/fakeUpstream';
import { startHarness, type Harness } from '../support/proxyHarness';

let h: Harness;
let client: Anthropic;

beforeAll(async () => {
  h = await startHarness();
  client = new Anthropic({ baseURL: h.baseUrl, apiKey: 'any', maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.upstream.received.length = 0;
  h.controller.log.clear();
});

/** An MCP tool shaped like real servers' (GitHub, Linear, Playwright…): a few described fields. */
function mcpTool(i: number, deferred: boolean): Anthropic.Tool & { defer_loading?: boolean } {
  const server = ['github', 'linear', 'playwright', 'postgres', 'slack'][i % 5];
  return {
    name: `mcp__${server}__action_${i}`,
    description: `Performs action ${i} on ${server}. Use it when the user asks about ${server} items; it returns the result as JSON with ids, titles, states and timestamps.`,
    input_schema: {
      type: 'object',
      properties: {
        owner: { type: 'string', description: 'Owner or workspace of the item' },
        repo: { type: 'string', description: 'Repository, project or channel name' },
        query: { type: 'string', description: 'Free-text filter applied to titles and bodies' },
        state: { type: 'string', enum: ['open', 'closed', 'all'], description: 'Which items to include' },
        limit: { type: 'integer', minimum: 1, maximum: 100, description: 'Most items to return' },
      },
      required: ['owner', 'repo'],
    },
    ...(deferred ? { defer_loading: true } : {}),
  };
}

const coreTools: Anthropic.Tool[] = ['Bash', 'Read', 'Edit', 'Write', 'Glob', 'Grep', 'ToolSearch'].map(
  (name) => ({
    name,
    description: `${name} tool of Claude Code.`,
    input_schema: { type: 'object', properties: { arg: { type: 'string' } } },
  }),
);

function session(deferred: boolean) {
  const tools = [...coreTools, ...Array.from({ length: 100 }, (_, i) => mcpTool(i, deferred))];
  const first: Anthropic.MessageParam[] = [{ role: 'user', content: 'Open an issue about the flaky test' }];
  const second: Anthropic.MessageParam[] = [
    ...first,
    {
      role: 'assistant',
      content: [
        { type: 'tool_use', id: 'toolu_search01', name: 'ToolSearch', input: { query: 'github issue' } },
      ],
    },
    {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'toolu_search01',
          content: [
            { type: 'tool_reference', tool_name: 'mcp__github__action_5' },
            { type: 'tool_reference', tool_name: 'mcp__github__action_10' },
          ] as never,
        },
      ],
    },
  ];
  return { tools, turns: [first, second] };
}

async function sendSession(deferred: boolean): Promise<{ bytes: number[]; toolNames: string[][] }> {
  h.upstream.received.length = 0;
  h.upstream.fallback = { kind: 'json', body: completion('ok') };
  const { tools, turns } = session(deferred);
  for (const messages of turns) {
    await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      tools: tools as never,
      messages,
    });
  }
  return {
    bytes: h.upstream.received.map((r) => Buffer.byteLength(JSON.stringify(r.body))),
    toolNames: h.upstream.received.map((r) => (r.body.tools ?? []).map((t: any) => t.function.name)),
  };
}

describe('tool search (defer_loading)', () => {
  it('a deferred tool is sent only once referenced, appended after the always-sent ones', async () => {
    const { toolNames } = await sendSession(true);
    const core = coreTools.map((t) => t.name);
    expect(toolNames[0]).toEqual(core);
    expect(toolNames[1]).toEqual([...core, 'mcp__github__action_5', 'mcp__github__action_10']);
    // The earlier list is a prefix of the later one: upstream prompt caches keep hitting.
    expect(toolNames[1].slice(0, toolNames[0].length)).toEqual(toolNames[0]);
    const sent = h.upstream.received[1].body.messages;
    expect(sent.find((m: any) => m.role === 'tool').content).toContain(
      '[tool mcp__github__action_5 is now available]',
    );
    expect(h.controller.log.records().at(-1)!.notes).toContain(
      'deferred 98 tools until a tool_reference loads them',
    );
  });

  it('measurement: upstream body of a session with 100 MCP tools, without and with deferral', async () => {
    const before = await sendSession(false);
    const after = await sendSession(true);
    // Printed for the README's figure; the assertion keeps the saving from regressing.
    console.info(
      `tool search: upstream bytes per request without deferral ${before.bytes.join(', ')}; with ${after.bytes.join(', ')}`,
    );
    expect(after.bytes[0]).toBeLessThan(before.bytes[0] / 5);
    expect(after.bytes[1]).toBeLessThan(before.bytes[1] / 5);
  });
});
