/**
 * Anthropic's web search server tool (`web_search_20250305` and later) on backends that search
 * natively. The request asks the backend to search in its own dialect (catalog data):
 *  - OpenRouter's web plugin: `plugins: [{ id: "web", max_results }]`
 *    (https://openrouter.ai/docs/features/web-search);
 *  - OpenAI's search models: `web_search_options: {}` (chat completions, "Web search" guide).
 * Both answer with `message.annotations` of type `url_citation` ({ url, title, start_index,
 * end_index, content? }). The answer goes back as Anthropic does it: a `server_tool_use` block
 * with the query, a `web_search_tool_result` block listing the sources, then the text with
 * `web_search_result_location` citations — what Claude Code's WebSearch tool reads.
 *
 * Search requests are made without streaming upstream: OpenAI's search models send no
 * annotations in streams (spring-projects/spring-ai#4809), and the blocks that list the sources
 * come before the text in Anthropic's order. A streaming client gets the finished answer
 * replayed as events.
 */
import type { WebSearchDialect } from '../../../shared/providerCatalog';
import type {
  CustomTool,
  MessagesRequest,
  OutboundBlock,
  WebSearchCitation,
  WebSearchResult,
} from '../anthropicTypes';
import { randomId } from '../ids';
import { isWebSearchTool } from './responses/webSearch';

/** Claude Code words its search requests this way; the query is what follows. */
const CLAUDE_CODE_PREFIX = /^\s*Perform a web search for the query:\s*/i;
const MAX_QUERY = 500;

export function webSearchTool(req: Pick<MessagesRequest, 'tools'>): CustomTool | undefined {
  return req.tools?.find(isWebSearchTool);
}

/** The request fields that turn the backend's own search on. */
export function searchParams(dialect: WebSearchDialect, tool: CustomTool): Record<string, unknown> {
  switch (dialect) {
    case 'openrouter-plugin': {
      const maxUses =
        typeof tool.max_uses === 'number' && tool.max_uses > 0 ? Math.min(tool.max_uses, 10) : undefined;
      return { plugins: [{ id: 'web', ...(maxUses ? { max_results: maxUses } : {}) }] };
    }
    case 'openai-search-options':
      return { web_search_options: {} };
  }
}

/** What was searched for: the latest user text (Claude Code's prefix removed). */
export function searchQuery(req: Pick<MessagesRequest, 'messages'>): string {
  for (let i = req.messages.length - 1; i >= 0; i--) {
    const message = req.messages[i];
    if (message.role !== 'user') continue;
    const text =
      typeof message.content === 'string'
        ? message.content
        : message.content
            .map((b) => (b.type === 'text' && typeof b.text === 'string' ? b.text : ''))
            .join(' ');
    return text.replace(CLAUDE_CODE_PREFIX, '').trim().slice(0, MAX_QUERY);
  }
  return '';
}

interface UrlCitation {
  url: string;
  title?: string;
  content?: string;
  start_index?: number;
  end_index?: number;
}

/** The `url_citation` annotations of a chat-completions message. */
export function urlCitations(message: unknown): UrlCitation[] {
  const annotations = (message as { annotations?: unknown } | undefined)?.annotations;
  if (!Array.isArray(annotations)) return [];
  const out: UrlCitation[] = [];
  for (const a of annotations) {
    const c = (a as { type?: unknown; url_citation?: unknown })?.url_citation as UrlCitation | undefined;
    if ((a as { type?: unknown }).type === 'url_citation' && c && typeof c.url === 'string') out.push(c);
  }
  return out;
}

// Anthropic's opaque fields; clients only send them back. Ours carry the URL, nothing secret.
const opaque = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/**
 * The blocks that stand for one search: server_tool_use, its result listing each source once,
 * then the answer text with a citation per annotation.
 */
export function webSearchBlocks(query: string, text: string, citations: UrlCitation[]): OutboundBlock[] {
  const id = randomId('srvtoolu_');
  const results = new Map<string, WebSearchResult>();
  for (const c of citations) {
    if (!results.has(c.url)) {
      results.set(c.url, {
        type: 'web_search_result',
        url: c.url,
        title: (c.title || c.url).slice(0, 2000),
        encrypted_content: opaque(c.url),
        page_age: null,
      });
    }
  }
  const located: WebSearchCitation[] = citations.map((c) => ({
    type: 'web_search_result_location',
    url: c.url,
    title: (c.title || c.url).slice(0, 2000),
    encrypted_index: opaque(c.url),
    cited_text:
      typeof c.start_index === 'number' && typeof c.end_index === 'number' && c.end_index > c.start_index
        ? text.slice(c.start_index, c.end_index)
        : (c.content ?? '').slice(0, 500),
  }));
  const blocks: OutboundBlock[] = [
    { type: 'server_tool_use', id, name: 'web_search', input: { query } },
    { type: 'web_search_tool_result', tool_use_id: id, content: [...results.values()] },
  ];
  if (text)
    blocks.push(located.length > 0 ? { type: 'text', text, citations: located } : { type: 'text', text });
  return blocks;
}
