/**
 * What the benchmark sends and what the fake upstream answers. The request is shaped like a
 * (shortened) Claude Code turn: a system prompt, tool definitions, a few messages with a tool
 * call and its result. About 12 KB of JSON; real Claude Code turns are larger, which only makes
 * the proxy's fixed per-request cost a smaller share.
 */
export const TEXT_BYTES = 2000;
export const TEXT_CHUNKS = 50;

/** 2000 bytes of plain ASCII prose, split into 50 pieces of 40 bytes. */
export function answerPieces(): string[] {
  const words = 'the proxy relays every piece of this answer as soon as it arrives from upstream '.repeat(40);
  const text = words.slice(0, TEXT_BYTES);
  const size = TEXT_BYTES / TEXT_CHUNKS;
  return Array.from({ length: TEXT_CHUNKS }, (_, i) => text.slice(i * size, (i + 1) * size));
}

const prose = (sentence: string, bytes: number): string =>
  sentence.repeat(Math.ceil(bytes / sentence.length)).slice(0, bytes);

function tool(name: string, description: string, properties: Record<string, unknown>, required: string[]) {
  return {
    name,
    description,
    input_schema: { type: 'object', properties, required, additionalProperties: false },
  };
}

/** The Anthropic Messages request sent to the proxy. */
export function anthropicRequest(stream: boolean): Record<string, unknown> {
  return {
    model: 'claude-sonnet-4-5',
    max_tokens: 8192,
    stream,
    system: [
      {
        type: 'text',
        text: prose(
          'You are an interactive CLI tool that helps users with software engineering tasks. ',
          5000,
        ),
      },
    ],
    tools: [
      tool(
        'Read',
        prose('Reads a file from the local filesystem. ', 900),
        {
          file_path: { type: 'string', description: 'The absolute path to the file to read' },
          offset: { type: 'number', description: 'The line number to start reading from' },
          limit: { type: 'number', description: 'The number of lines to read' },
        },
        ['file_path'],
      ),
      tool(
        'Bash',
        prose('Executes a given bash command in a persistent shell session. ', 1500),
        {
          command: { type: 'string', description: 'The command to execute' },
          timeout: { type: 'number', description: 'Optional timeout in milliseconds' },
          description: {
            type: 'string',
            description: 'Clear, concise description of what this command does',
          },
        },
        ['command'],
      ),
      tool(
        'Edit',
        prose('Performs exact string replacements in files. ', 900),
        {
          file_path: { type: 'string' },
          old_string: { type: 'string' },
          new_string: { type: 'string' },
          replace_all: { type: 'boolean', default: false },
        },
        ['file_path', 'old_string', 'new_string'],
      ),
    ],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'Why does the build fail? Look at src/index.ts.' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me read the file.' },
          {
            type: 'tool_use',
            id: 'toolu_01BenchReadCall',
            name: 'Read',
            input: { file_path: '/repo/src/index.ts' },
          },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_01BenchReadCall',
            content: prose('export function main(): void { console.log("hello"); }\n', 1500),
          },
        ],
      },
    ],
  };
}

/**
 * A long Claude Code session as one streamed request: a 15 KB system prompt, 24 tools, and
 * `turns` rounds of "assistant reads a file / user returns 3 KB of it". 150 turns are ~675 KB,
 * 400 turns ~1.7 MB; Claude Code sends the whole history again on every turn.
 */
export function longSessionRequest(turns: number): Record<string, unknown> {
  const names = [
    'Read',
    'Write',
    'Edit',
    'MultiEdit',
    'Bash',
    'Glob',
    'Grep',
    'LS',
    'Task',
    'TodoWrite',
    'WebFetch',
    'WebSearch',
    'NotebookRead',
    'NotebookEdit',
    'BashOutput',
    'KillShell',
    'ExitPlanMode',
    'SlashCommand',
    'mcp__git__status',
    'mcp__git__diff',
    'mcp__git__log',
    'mcp__fs__tree',
    'mcp__fs__stat',
    'mcp__docs__lookup',
  ];
  const tools = names.map((name) =>
    tool(
      name,
      prose(`${name} does one thing for the agent and describes it at length. `, 400),
      {
        file_path: { type: 'string', description: 'The absolute path to the file' },
        offset: { type: 'number', description: 'The line number to start from' },
        limit: { type: 'number', description: 'The number of lines' },
        pattern: { type: 'string', description: 'A pattern to match' },
      },
      ['file_path'],
    ),
  );
  const messages: Array<Record<string, unknown>> = [
    {
      role: 'user',
      content: [{ type: 'text', text: 'Refactor the router module and keep the tests green.' }],
    },
  ];
  for (let i = 0; i < turns; i++) {
    const id = `toolu_01LongSession${String(i).padStart(6, '0')}`;
    messages.push(
      {
        role: 'assistant',
        content: [
          { type: 'text', text: prose(`Turn ${i}: the next file to look at is part of the router. `, 910) },
          { type: 'tool_use', id, name: 'Read', input: { file_path: `/repo/src/router/part${i}.ts` } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: id,
            content: prose(
              `export const part${i} = (input: string): string => input.trim(); // ${i}\n`,
              3000,
            ),
          },
        ],
      },
    );
  }
  return {
    model: 'claude-sonnet-4-5',
    max_tokens: 32000,
    stream: true,
    system: [
      {
        type: 'text',
        text: prose('You are Claude Code, an interactive CLI tool for software engineering. ', 15000),
        cache_control: { type: 'ephemeral' },
      },
    ],
    tools,
    messages,
  };
}
