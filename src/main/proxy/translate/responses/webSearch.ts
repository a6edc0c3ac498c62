/**
 * Anthropic's web_search server tool served by the Responses API's `web_search` tool: the tool
 * definition one way, the search call and its sources back as Anthropic's server_tool_use and
 * web_search_tool_result blocks, and url_citation annotations as web_search_result_location
 * citations on the text.
 */
import type { CustomTool } from '../../anthropicTypes';
import { randomId } from '../../ids';

export function isWebSearchTool(tool: CustomTool): boolean {
  return typeof tool.type === 'string' && tool.type.startsWith('web_search_');
}

export function webSearchTool(tool: CustomTool): Record<string, unknown> {
  const out: Record<string, unknown> = { type: 'web_search' };
  const allowed = tool.allowed_domains;
  if (Array.isArray(allowed) && allowed.length > 0) out.filters = { allowed_domains: allowed };
  const location = tool.user_location as Record<string, unknown> | undefined;
  if (location && typeof location === 'object') {
    const fields = ['city', 'region', 'country', 'timezone'].filter((k) => typeof location[k] === 'string');
    if (fields.length > 0) {
      out.user_location = { type: 'approximate', ...Object.fromEntries(fields.map((k) => [k, location[k]])) };
    }
  }
  return out;
}

/** A web_search_call output item, loosely: `action` is absent on some servers. */
export interface WebSearchCallItem {
  type: 'web_search_call';
  id?: string;
  status?: string;
  action?: { type?: string; query?: string; sources?: Array<{ type?: string; url?: string }> };
}

export interface UrlCitation {
  type: 'url_citation';
  url: string;
  title?: string;
  start_index?: number;
  end_index?: number;
}

export type SearchBlock =
  | { type: 'server_tool_use'; id: string; name: 'web_search'; input: { query: string } }
  | {
      type: 'web_search_tool_result';
      tool_use_id: string;
      content: Array<{
        type: 'web_search_result';
        url: string;
        title: string;
        encrypted_content: string;
        page_age: null;
      }>;
    };

/** The two Anthropic blocks one finished search call becomes. */
export function searchBlocks(item: WebSearchCallItem): [SearchBlock, SearchBlock] {
  const id = randomId('srvtoolu_');
  const sources = (item.action?.sources ?? []).filter(
    (s): s is { url: string } => typeof s?.url === 'string' && s.url.length > 0,
  );
  return [
    { type: 'server_tool_use', id, name: 'web_search', input: { query: item.action?.query ?? '' } },
    {
      type: 'web_search_tool_result',
      tool_use_id: id,
      content: sources.map((s) => ({
        type: 'web_search_result',
        url: s.url,
        title: s.url,
        // OpenAI gives no page content; Anthropic's field is required, so it stays empty.
        encrypted_content: '',
        page_age: null,
      })),
    },
  ];
}

export interface Citation {
  type: 'web_search_result_location';
  url: string;
  title: string;
  cited_text: string;
  encrypted_index: string;
}

/** A url_citation annotation as an Anthropic citation, with the cited span of `text`. */
export function citationOf(annotation: unknown, text: string): Citation | undefined {
  const a = annotation as Partial<UrlCitation> | undefined;
  if (!a || a.type !== 'url_citation' || typeof a.url !== 'string') return undefined;
  const start = typeof a.start_index === 'number' ? a.start_index : 0;
  const end = typeof a.end_index === 'number' ? a.end_index : start;
  return {
    type: 'web_search_result_location',
    url: a.url,
    title: typeof a.title === 'string' ? a.title : a.url,
    cited_text: text.slice(start, end),
    encrypted_index: '',
  };
}
