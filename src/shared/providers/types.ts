/**
 * The shape of a provider catalog entry. Every backend Turnout knows is one value of this type
 * in its own module beside this one; the translator reads capabilities and quirks from these
 * entries and never branches on a provider's name.
 */

/** How a backend wants the request shaped, beyond the plain chat-completions contract. */
export interface ProviderQuirks {
  /** Strip JSON-Schema keywords the backend rejects from tool parameter schemas (Gemini). */
  toolSchemaDialect: 'full' | 'gemini';
  /** Echo `extra_content.google.thought_signature` back on assistant tool calls (Gemini 3). */
  echoThoughtSignature: boolean;
  /** Send prior reasoning back as `reasoning_content` on assistant messages (Kimi, DeepSeek). */
  reasoningContentInHistory: boolean;
  /** Longest tool-call id the backend accepts; longer ids are rewritten (and mapped back). */
  maxToolCallIdLength: number;
  /** Send `reasoning_details` back on assistant messages as received (OpenRouter, MiniMax). */
  echoReasoningDetails?: boolean;
}

/**
 * Shape of the tool-call ids a backend accepts and issues:
 * - `any`: any `[A-Za-z0-9_-]` id up to the provider's length limit (OpenAI and most servers);
 * - `alnum9`: exactly nine letters or digits (Mistral rejects anything else, code 3280);
 * - `kimi`: `functions.<name>:<index>`, which Kimi models are trained on and issue themselves.
 */
export type ToolIdFormat = 'any' | 'alnum9' | 'kimi';

/**
 * Order the backend requires between tool results and the next user text:
 * - `any`: a `user` message may follow `tool` messages (OpenAI);
 * - `no-user-after-tool`: it may not (Mistral: "Unexpected role 'user' after role 'tool'",
 *   code 3230), so text beside tool results is folded into the last tool message.
 */
export type MessageOrder = 'any' | 'no-user-after-tool';

/**
 * What the backend needs of reasoning in the history:
 * - `off`: reasoning is dropped from the history;
 * - `echo`: prior reasoning goes back as `reasoning_content` when the client kept it;
 * - `required`: as `echo`, and an assistant tool call that has no reasoning (made by another
 *   backend earlier in the session) gets `reasoning_content: ""`, because thinking-mode Kimi
 *   and DeepSeek answer 400 without it.
 */
export type ReasoningHistory = 'off' | 'echo' | 'required';

/**
 * Per-model behaviour, matched by a pattern on the upstream model id. Rules are read in order;
 * for each field the first matching rule that sets it wins, so a user rule that sets only
 * `maxOutputTokens` keeps the preset's other fields.
 */
export interface ModelRule {
  /** Source of a RegExp tested against the upstream model id, case-insensitive. */
  match: string;
  /** Hard output-token ceiling: larger client requests are clamped to it, never raised. */
  maxOutputTokens?: number;
  /** Input + output tokens the model can hold. */
  contextWindow?: number;
  /** OpenAI reasoning models want `max_completion_tokens` and reject `max_tokens`. */
  tokenParam?: 'max_tokens' | 'max_completion_tokens';
  /** `fixed-1`: only temperature 1 is accepted, so any other value is dropped. */
  temperature?: 'any' | 'fixed-1';
  /** Some models reject `stop` outright. */
  supportsStop?: boolean;
  /** Whether `reasoning_effort` may be sent when the client asks for thinking. */
  reasoningEffort?: boolean;
  /** Reasoning in the history; defaults to the provider's `reasoningContentInHistory`. */
  reasoningHistory?: ReasoningHistory;
  /** Drop `top_p` (models that only accept the default). */
  supportsTopP?: boolean;
  toolIdFormat?: ToolIdFormat;
  messageOrder?: MessageOrder;
  /** Extra fields merged into non-streaming request bodies (DashScope's `enable_thinking`). */
  nonStreamingBody?: Record<string, unknown>;
  /**
   * Which OpenAI API the model speaks: `responses` (only the Responses API: the codex and -pro
   * models), `prefer-responses` (both, but Responses carries reasoning across turns: used when
   * the provider is reached at its catalog base URL) or `chat` (the default).
   */
  api?: ModelApi;
  /** Whether the model reads images (the image rule is skipped when it does). */
  vision?: boolean;
  /** How the model searches the web natively, when it can. */
  webSearch?: WebSearchDialect;
}

export type ModelApi = 'chat' | 'responses' | 'prefer-responses';

/**
 * How a backend searches the web when asked for Anthropic's `web_search_*` server tool:
 * - `openrouter-plugin`: OpenRouter's web plugin, `plugins: [{ id: "web" }]` on any model;
 * - `openai-search-options`: OpenAI's search models, `web_search_options: {}`.
 * Both answer with `url_citation` annotations on the message.
 */
export type WebSearchDialect = 'openrouter-plugin' | 'openai-search-options';

export type ProviderKind = 'openai-compatible' | 'anthropic';

/**
 * How a JSON-schema answer (`output_config.format`) is asked for: `json-schema` sends
 * `response_format: {type: "json_schema"}`; `forced-tool` forces a call of a tool whose
 * parameters are the schema (for servers that only know `json_object`).
 */
export type StructuredOutputMode = 'json-schema' | 'forced-tool';

/** Header that carries the key: `Authorization: Bearer`, Azure's `api-key`, Anthropic's `x-api-key`. */
export type KeyHeader = 'bearer' | 'api-key' | 'x-api-key';

export interface ProviderCatalogEntry {
  id: string;
  label: string;
  kind: ProviderKind;
  defaultBaseUrl: string;
  /** Environment variable that holds the key in headless mode; named in "missing key" errors. */
  keyEnv: string;
  /** Other variables read for the key when `keyEnv` is unset (the provider's own SDK name). */
  keyEnvAliases?: string[];
  /** Environment variable that overrides the base URL in headless mode. */
  baseUrlEnv: string;
  /** Local servers (Ollama, LM Studio) usually need no key. */
  keyOptional: boolean;
  /** Defaults to `bearer` for OpenAI-compatible servers and `x-api-key` for Anthropic ones. */
  keyHeader?: KeyHeader;
  /** Query parameters every request carries (Azure's `api-version`). */
  defaultQuery?: Record<string, string>;
  defaultBigModel: string;
  defaultSmallModel: string;
  quirks: ProviderQuirks;
  modelRules: ModelRule[];
  /** Whether the backend reads PDFs as `file` content parts (OpenAI, OpenRouter, Gemini). */
  readsPdf?: boolean;
  /** Default `json-schema`. */
  structuredOutput?: StructuredOutputMode;
  /** Request field that carries the client's `metadata.user_id` (OpenAI's `user`); unset: not sent. */
  userField?: string;
  /** Where the defaults and limits above were checked. */
  sources?: string[];
  /** The provider's own endpoint serves the Responses API (models with `prefer-responses` use it). */
  servesResponses?: boolean;
  /** Web search every model on this backend has (a gateway's plugin); model rules may add it. */
  webSearch?: WebSearchDialect;
}

export const defaultQuirks: ProviderQuirks = {
  toolSchemaDialect: 'full',
  echoThoughtSignature: false,
  reasoningContentInHistory: false,
  maxToolCallIdLength: 64,
};
