/** One upstream attempt of a request and how it ended. */
export interface AttemptRecord {
  provider: string;
  model: string;
  /** Why the routing step planned it, e.g. "rule think", "big", "fallback small". */
  why: string;
  /** An HTTP status, or what happened instead: "unreachable", "timeout", "no key", "skipped", "aborted". */
  outcome: string;
}

/** One request as the log shows it. Metadata only: never a key, no message content. */
export interface RequestRecord {
  id: string;
  /** Epoch milliseconds when the request arrived. */
  startedAt: number;
  method: string;
  path: string;
  clientModel?: string;
  provider?: string;
  upstreamModel?: string;
  /** Which OpenAI API served it (OpenAI-compatible providers): chat completions or Responses. */
  api?: 'chat' | 'responses';
  stream?: boolean;
  /** HTTP status sent to the client (200 even when a stream later failed; see `error`). */
  status?: number;
  /** Total time until the response ended, in ms. */
  latencyMs?: number;
  /** Time until the first content event reached the client, in ms (streams only). */
  ttftMs?: number;
  /** Every prompt token the upstream counted, cache reads and writes included (real counts). */
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  /** Prompt tokens written to the provider's cache (Anthropic's cache_creation_input_tokens). */
  cacheWriteTokens?: number;
  /** The request's cost in US dollars as the provider reported it (OpenRouter's usage.cost). */
  reportedCostUsd?: number;
  stopReason?: string;
  /** Short, key-free description of what went wrong. */
  error?: string;
  /** The upstream error body (redacted), for the detail pane. */
  errorDetail?: string;
  /** Things the translator dropped or changed, e.g. "clamped max_tokens 64000→32768". */
  notes?: string[];
  /** Retries spent before the first byte. */
  retries?: number;
  /** The routing rule that chose the route ('explicit' for a client's provider/model). */
  rule?: string;
  /** The `/p/<name>` (provider or profile) the request came through. */
  profile?: string;
  /** Every upstream attempt in order, e.g. openai 429 then groq 200. */
  attempts?: AttemptRecord[];
  state: 'pending' | 'streaming' | 'done' | 'error' | 'aborted';
}
