/**
 * The Anthropic Messages API as Turnout receives and answers it. Inbound shapes are loose on
 * purpose: clients send block types and fields we do not model, and those must pass validation.
 */

export interface CacheControl {
  type: string;
}

export interface TextBlock {
  type: 'text';
  text: string;
  cache_control?: CacheControl;
}

export type ImageSource =
  | { type: 'base64'; media_type: string; data: string }
  | { type: 'url'; url: string }
  | { type: string; [key: string]: unknown };

export interface ImageBlock {
  type: 'image';
  source: ImageSource;
}

export interface DocumentBlock {
  type: 'document';
  source: { type: string; media_type?: string; data?: string; url?: string; content?: unknown };
  title?: string;
}

export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
}

export interface ToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content?: string | Array<TextBlock | ImageBlock | { type: string; [key: string]: unknown }>;
  is_error?: boolean;
}

export interface ThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature?: string;
}

export interface RedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}

/** Any block we do not translate (server tool use/results, tool_reference, future types). */
export interface OtherBlock {
  type: string;
  [key: string]: unknown;
}

export type ContentBlock =
  | TextBlock
  | ImageBlock
  | DocumentBlock
  | ToolUseBlock
  | ToolResultBlock
  | ThinkingBlock
  | RedactedThinkingBlock;

export interface InboundMessage {
  /** `system` appears inside `messages` in Claude Code traffic; treated like the system prompt. */
  role: 'user' | 'assistant' | 'system';
  content: string | Array<ContentBlock | OtherBlock>;
}

export interface CustomTool {
  name: string;
  description?: string;
  input_schema?: Record<string, unknown>;
  /** Versioned/server tools (`web_search_20250305`, `bash_20250124`…) carry a type. */
  type?: string;
  [key: string]: unknown;
}

export type ToolChoice =
  | { type: 'auto' | 'any' | 'none'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean };

export interface ThinkingConfig {
  type: 'enabled' | 'disabled' | 'adaptive' | string;
  budget_tokens?: number;
}

/** count_tokens takes the request without `max_tokens`. */
export interface CountTokensRequest {
  model: string;
  max_tokens?: number;
  messages: InboundMessage[];
  system?: string | TextBlock[];
  tools?: CustomTool[];
  tool_choice?: ToolChoice;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stream?: boolean;
  thinking?: ThinkingConfig;
  output_config?: { effort?: string; [key: string]: unknown };
  metadata?: { user_id?: string };
  [key: string]: unknown;
}

export interface MessagesRequest extends CountTokensRequest {
  max_tokens: number;
}

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal';

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  /** Present when a server tool ran (web search). */
  server_tool_use?: { web_search_requests: number };
}

/** A citation on answer text (web search results served by a backend's own search tool). */
export interface WebSearchCitation {
  type: 'web_search_result_location';
  url: string;
  title: string;
  cited_text: string;
  encrypted_index: string;
}

export interface WebSearchResult {
  type: 'web_search_result';
  url: string;
  title: string;
  encrypted_content: string;
  page_age: null;
}

export type OutboundBlock =
  | { type: 'text'; text: string; citations?: WebSearchCitation[] }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'server_tool_use'; id: string; name: 'web_search'; input: { query: string } }
  | { type: 'web_search_tool_result'; tool_use_id: string; content: WebSearchResult[] };

export interface MessageResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: OutboundBlock[];
  stop_reason: StopReason;
  stop_sequence: string | null;
  usage: Usage;
}

/** One server-sent event of a streamed answer: `event: <type>` + `data: <json>`. */
export type StreamEvent =
  | {
      type: 'message_start';
      message: Omit<MessageResponse, 'stop_reason' | 'content'> & { content: []; stop_reason: null };
    }
  | {
      type: 'content_block_start';
      index: number;
      content_block:
        | { type: 'text'; text: '' }
        | { type: 'tool_use'; id: string; name: string; input: Record<string, never> }
        | { type: 'thinking'; thinking: ''; signature: '' }
        | { type: 'redacted_thinking'; data: string }
        | { type: 'server_tool_use'; id: string; name: 'web_search'; input: Record<string, never> }
        | { type: 'web_search_tool_result'; tool_use_id: string; content: WebSearchResult[] };
    }
  | { type: 'ping' }
  | {
      type: 'content_block_delta';
      index: number;
      delta:
        | { type: 'text_delta'; text: string }
        | { type: 'input_json_delta'; partial_json: string }
        | { type: 'thinking_delta'; thinking: string }
        | { type: 'signature_delta'; signature: string }
        | { type: 'citations_delta'; citation: WebSearchCitation };
    }
  | { type: 'content_block_stop'; index: number }
  | {
      type: 'message_delta';
      delta: { stop_reason: StopReason; stop_sequence: string | null };
      usage: Usage;
    }
  | { type: 'message_stop' }
  | { type: 'error'; error: { type: string; message: string } };
