/**
 * The two upstream dialects of an OpenAI-compatible backend: chat completions and the Responses
 * API. Each brings its request translator, its answer translator and its stream translator;
 * the route picks one per request (`dialectFor`) and runs the same pipeline with it.
 *
 * Which one: the provider's `apiStyle` setting when it is `chat` or `responses`; under `auto`,
 * the model's catalog rule (`api`): Responses-only models always use it, models that prefer it
 * use it on the provider's own endpoint (a user-set base URL may be a server without
 * `/responses`), and a model that a chat endpoint answered "only supported in v1/responses"
 * uses it from then on (ApiMemory), so a codex model the catalog does not know yet works after
 * one failed request.
 */
import { APIError } from 'openai';
import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { Response as OpenAiResponse } from 'openai/resources/responses/responses';
import type { ModelTraits } from '../../shared/providerCatalog';
import type { MessageResponse, StopReason, Usage } from './anthropicTypes';
import type { ProxyError } from './errors';
import type { Route as FullRoute } from './routing';

/** What choosing a dialect needs of a route (an attempt of the routing plan is one). */
type Route = Pick<FullRoute, 'provider' | 'upstreamModel'>;
import type { TranslationContext } from './translate/context';
import { translateRequest } from './translate/request';
import { translateResponse } from './translate/response';
import type { ResponseContext } from './translate/responseContext';
import { asCreateParams, translateResponsesRequest } from './translate/responses/request';
import { translateResponsesResponse } from './translate/responses/response';
import { ResponsesStreamTranslator } from './translate/responses/stream';
import { StreamTranslator } from './translate/stream';
import type { ToolNameMap } from './translate/toolNames';
import type { MessagesRequest } from './anthropicTypes';
import { postChatCompletion } from './upstream/chatCompletionCall';
import { responseEvents } from './upstream/responseEvents';
import { sseChunks } from './upstream/sseChunks';
import type { RelayTranslator } from './upstream/streamRelay';
import { errorInBody, responsesErrorInBody } from './upstream/upstreamErrors';

export type DialectName = 'chat' | 'responses';

/** What the route needs from an upstream call: the SDK's promise, readable whole or raw. */
interface UpstreamCall {
  asResponse(): Promise<Response>;
  then: PromiseLike<unknown>['then'];
}

export interface Dialect {
  name: DialectName;
  translate(
    request: MessagesRequest,
    ctx: TranslationContext,
  ): {
    body: object;
    names: ToolNameMap;
    degraded: string[];
    /** Set when a chat backend searches the web itself (the answer is then fetched whole). */
    search?: { query: string } | null;
    /** The tool whose arguments are the answer's text (structured output by forced tool). */
    structuredOutputTool?: string;
  };
  call(
    client: OpenAI,
    body: object,
    options: Parameters<OpenAI['chat']['completions']['create']>[1],
  ): UpstreamCall;
  /**
   * A successful stream's body as upstream chunks or events; `onData` is called for every piece
   * of bytes (upstream activity for the idle watchdog, even mid-event).
   */
  chunks(body: AsyncIterable<Uint8Array>, onData?: () => void): AsyncIterable<unknown>;
  /** A 200 answer that is really an error. */
  errorInBody(answer: unknown, label: string, secrets: string[]): ProxyError | null;
  translateResponse(answer: unknown, rctx: ResponseContext): MessageResponse;
  streamTranslator(rctx: ResponseContext): DialectStreamTranslator;
}

export interface DialectStreamTranslator extends RelayTranslator<unknown> {
  readonly usage: Usage;
  /** The cost the provider reported with its usage (OpenRouter's usage.cost), when it did. */
  readonly reportedCost?: number;
  readonly stopReason: StopReason | null;
}

export const chatDialect: Dialect = {
  name: 'chat',
  translate: translateRequest,
  // Not `chat.completions.create`: see chatCompletionCall.ts (the body is serialised once, by us).
  call: (client, body, options) => postChatCompletion(client, body as ChatCompletionCreateParams, options),
  chunks: sseChunks,
  errorInBody,
  translateResponse: (answer, rctx) => translateResponse(answer as ChatCompletion, rctx),
  streamTranslator: (rctx) => new StreamTranslator(rctx) as DialectStreamTranslator,
};

export const responsesDialect: Dialect = {
  name: 'responses',
  translate: translateResponsesRequest,
  call: (client, body, options) =>
    client.responses.create(asCreateParams(body as Parameters<typeof asCreateParams>[0]), options),
  chunks: responseEvents,
  errorInBody: responsesErrorInBody,
  translateResponse: (answer, rctx) => translateResponsesResponse(answer as OpenAiResponse, rctx),
  streamTranslator: (rctx) => new ResponsesStreamTranslator(rctx) as DialectStreamTranslator,
};

const MAX_REMEMBERED = 256;

/** Models a chat endpoint sent to the Responses API, per provider, for this process's life. */
export class ApiMemory {
  private readonly models = new Set<string>();

  usesResponses(route: Route): boolean {
    return this.models.has(keyOf(route));
  }

  switchToResponses(route: Route): void {
    if (this.models.size >= MAX_REMEMBERED) this.models.delete(this.models.values().next().value!);
    this.models.add(keyOf(route));
  }
}

const keyOf = (route: Route) => `${route.provider.entry.id}\n${route.upstreamModel}`;

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * `webSearch`: the request carries Anthropic's web_search server tool, which only the Responses
 * API can serve (with its own `web_search` tool), so the provider's own endpoint is asked there.
 */
export function dialectFor(
  route: Route,
  traits: ModelTraits,
  memory: ApiMemory,
  request: { webSearch: boolean } = { webSearch: false },
): Dialect {
  const { entry, settings } = route.provider;
  const style = settings.apiStyle ?? 'auto';
  if (style === 'chat') return chatDialect;
  if (style === 'responses') return responsesDialect;
  if (traits.api === 'responses' || memory.usesResponses(route)) return responsesDialect;
  const ownEndpoint =
    entry.servesResponses === true && trimSlash(settings.baseUrl) === trimSlash(entry.defaultBaseUrl);
  if (ownEndpoint && (traits.api === 'prefer-responses' || request.webSearch)) return responsesDialect;
  return chatDialect;
}

/**
 * Whether this route can serve Anthropic's web search itself: a chat backend whose catalog
 * entry names its search (OpenRouter's plugin, OpenAI's search models), or the Responses API's
 * `web_search` tool where `dialectFor` would pick it for a search request.
 */
export function searchesNatively(route: Route, traits: ModelTraits): boolean {
  const style = route.provider.settings.apiStyle ?? 'auto';
  if (style === 'responses') return true;
  if (traits.webSearch) return true;
  if (style === 'chat') return false;
  const { entry, settings } = route.provider;
  return (
    traits.api === 'responses' ||
    (entry.servesResponses === true && trimSlash(settings.baseUrl) === trimSlash(entry.defaultBaseUrl))
  );
}

/** Whether a failed call should be retried on the Responses API (only under `auto`). */
export function switchesToResponses(dialect: Dialect, route: Route, error: unknown): boolean {
  if (dialect.name !== 'chat' || (route.provider.settings.apiStyle ?? 'auto') !== 'auto') return false;
  return wantsResponsesApi(error);
}

/**
 * Whether a chat-completions failure says the model lives on the Responses API: OpenAI's 404
 * "This model is only supported in v1/responses and not in v1/chat/completions.", or Azure
 * OpenAI's `OperationNotSupported` for the chatCompletion operation.
 */
export function wantsResponsesApi(error: unknown): boolean {
  if (!(error instanceof APIError)) return false;
  const body = error.error as { message?: unknown; code?: unknown } | undefined;
  const message = `${typeof body?.message === 'string' ? body.message : ''} ${error.message}`;
  if (error.status === 404 && /v1\/responses/i.test(message)) return true;
  return body?.code === 'OperationNotSupported' && /chat\s*completion/i.test(message);
}
