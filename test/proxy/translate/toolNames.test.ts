import { describe, expect, it } from 'vitest';
import { isLegalToolName, ToolNameMap, upstreamToolName } from '../../../src/main/proxy/translate/toolNames';

const LEGAL = /^[a-zA-Z0-9_-]{1,64}$/;

describe('upstreamToolName', () => {
  it('keeps legal names', () => {
    expect(upstreamToolName('Read')).toBe('Read');
    expect(upstreamToolName('mcp__github__create_issue')).toBe('mcp__github__create_issue');
  });

  it('rewrites illegal characters and long names into legal, stable names', () => {
    const dotted = upstreamToolName('server.tool:run');
    expect(dotted).toMatch(/^server_tool_run_[a-z0-9]{8}$/);
    expect(upstreamToolName('server.tool:run')).toBe(dotted);
    const long = 'mcp__' + 'a'.repeat(80);
    expect(upstreamToolName(long)).toMatch(LEGAL);
    expect(upstreamToolName(long)).toHaveLength(64);
  });

  it('keeps names distinct that differ only beyond the cut or in replaced characters', () => {
    const prefix = 'mcp__' + 'b'.repeat(70);
    expect(upstreamToolName(prefix + '_one')).not.toBe(upstreamToolName(prefix + '_two'));
    expect(upstreamToolName('a.b')).not.toBe(upstreamToolName('a:b'));
  });

  it('rewrites an empty name', () => {
    expect(isLegalToolName('')).toBe(false);
    expect(upstreamToolName('')).toMatch(LEGAL);
  });
});

describe('ToolNameMap', () => {
  it('round-trips rewritten names and passes unknown upstream names through', () => {
    const long = 'mcp__claude-in-chrome__' + 'navigate_and_take_screenshot_'.repeat(3);
    const map = ToolNameMap.fromNames(['Read', long, 'x.y']);
    expect(map.toUpstream('Read')).toBe('Read');
    expect(map.toClient(map.toUpstream(long))).toBe(long);
    expect(map.toClient(map.toUpstream('x.y'))).toBe('x.y');
    expect(map.toClient('SomethingElse')).toBe('SomethingElse');
    expect(map.rewritten.map((r) => r.client)).toEqual([long, 'x.y']);
  });

  it('never lets a rewritten name take a legal name that the client uses', () => {
    const taken = upstreamToolName('x.y');
    const map = ToolNameMap.fromNames(['x.y', taken]);
    expect(map.toUpstream(taken)).toBe(taken);
    expect(map.toUpstream('x.y')).not.toBe(taken);
    expect(map.toUpstream('x.y')).toMatch(LEGAL);
    expect(map.toClient(map.toUpstream('x.y'))).toBe('x.y');
  });

  it('collects names from tools, history and tool_choice', () => {
    const map = ToolNameMap.fromRequest({
      tools: [{ name: 'a.tool', input_schema: {} }],
      tool_choice: { type: 'tool', name: 'c.tool' },
      messages: [
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'b.tool', input: {} }] },
      ],
    });
    expect(map.rewritten.map((r) => r.client)).toEqual(['a.tool', 'b.tool', 'c.tool']);
  });
});
