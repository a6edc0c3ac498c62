/**
 * POST /v1/messages — the pipeline, top to bottom: read the body, validate it, plan the route
 * (rules, profile, fallback chain, provider health), then walk the planned attempts: translate,
 * call the upstream, translate the answer or relay the stream. An attempt that fails before the
 * first byte with a failover-worthy error hands over to the next one. Every step fills in the
 * request's log record.
 */
import type { Context } from 'koa';
import type { AttemptRecord, RequestRecord } from '../../../shared/requestRecord';
import { modelTraits } from '../../../shared/providerCatalog';
import { checkFits, inputScaleFor, scaleUsage } from '../contextWindow';
import { ApiMemory, dialectFor, responsesDialect, switchesToResponses, type Dialect } from '../dialects';
import { ProxyError } from '../errors';
import { newMessageId } from '../ids';
import { readJsonBody } from '../middleware/body';
import type { RequestState } from '../middleware/errors';
import type { RequestLog } from '../requestLog';
import {
  failoverDecision,
  isQuotaExhausted,
  planRoute,
  requireKey,
  resolvePin,
  type Attempt,
  type Pin,
  type ProviderHealth,
  type RoutePlan,
} from '../routing';
import type { ProxySnapshot } from '../snapshot';
import type { Usage } from '../anthropicTypes';
import { estimateRequestTokens } from '../tokens';
import type { ResponseContext } from '../translate/responseContext';
import { messageEvents } from '../translate/messageEvents';
import { serializeEvent } from '../translate/sse';
import { isWebSearchTool } from '../translate/responses/webSearch';
import type { ThoughtSignatureStore } from '../translate/thoughtSignatures';
import { reportedCostOf } from '../translate/usage';
import { parseMessagesRequest } from '../validateRequest';
import { passThroughToAnthropic } from '../upstream/anthropicPassthrough';
import type { OpenAiClients } from '../upstream/openaiClients';
import { relayStream } from '../upstream/streamRelay';
import { readJsonAnswer } from '../upstream/boundedBody';
import { attemptLogOptions, newAttemptLog, retriesOf } from '../upstream/upstreamAttempts';
import { mapUpstreamError } from '../upstream/upstreamErrors';

export interface MessagesDeps {
  getSnapshot: () => ProxySnapshot;
  log: RequestLog;
  clients: OpenAiClients;
  signatures: ThoughtSignatureStore;
  health: ProviderHealth;
  /** Models switched to the Responses API by an upstream's answer (created per handler if absent). */
  apis?: ApiMemory;
}

type Deps = MessagesDeps & { apis: ApiMemory };

/** An attempt that failed before anything reached the client; the next one may take over. */
class AttemptFailed extends Error {
  constructor(
    readonly error: ProxyError,
    /** The upstream's error body (redacted), when there was one. */
    readonly detail?: string,
  ) {
    super(error.message);
  }
}

/** How an attempt ended when it did not serve the request. */
function outcomeOf(error: ProxyError): string {
  if (error.status === 504 && error.type === 'timeout_error') return 'timeout';
  if (error.status === 502 && error.message.startsWith('Could not reach')) return 'unreachable';
  return String(error.status);
}

/** A response body as bytes: a web stream or the Node stream our upstream fetch hands back. */
function responseBody(response: Response): AsyncIterable<Uint8Array> {
  return (response.body ?? []) as AsyncIterable<Uint8Array>;
}

/** Aborted when the client disconnects before the answer is complete. */
function clientGone(ctx: Context): AbortSignal {
  const gone = new AbortController();
  ctx.res.once('close', () => {
    if (!ctx.res.writableFinished) gone.abort();
  });
  return gone.signal;
}

/**
 * One attempt's abort controller: aborted when the client goes, and by the attempt's own
 * timeouts (idle, first byte), which must not end the attempts after it.
 */
function attemptAbort(gone: AbortSignal): { abort: AbortController; done: () => void } {
  const abort = new AbortController();
  const onGone = () => abort.abort();
  if (gone.aborted) abort.abort();
  else gone.addEventListener('abort', onGone, { once: true });
  return { abort, done: () => gone.removeEventListener('abort', onGone) };
}

export function messagesHandler(given: MessagesDeps) {
  const deps: Deps = { ...given, apis: given.apis ?? new ApiMemory() };
  return async function messages(ctx: Context): Promise<void> {
    const snapshot = deps.getSnapshot();
    const startedAt = Date.now();
    const record = deps.log.add({
      id: (ctx.state as RequestState).requestId,
      startedAt,
      method: ctx.method,
      path: ctx.path,
      state: 'pending',
    });
    try {
      // `/p/<name>/v1/messages`: the terminal pinned a provider or profile.
      const pinName = (ctx.params as { pin?: string } | undefined)?.pin;
      const pin = pinName === undefined ? null : resolvePin(pinName, snapshot);
      await serve(ctx, deps, snapshot, record, pin);
    } catch (error) {
      const proxyError = error instanceof ProxyError ? error : null;
      deps.log.update(record, {
        state: ctx.res.destroyed ? 'aborted' : 'error',
        status: proxyError?.status ?? 500,
        error: proxyError?.message ?? 'internal error',
        latencyMs: Date.now() - startedAt,
      });
      throw error;
    }
  };
}

async function serve(
  ctx: Context,
  deps: Deps,
  snapshot: ProxySnapshot,
  record: RequestRecord,
  pin: Pin | null,
): Promise<void> {
  const { log, health } = deps;
  if (snapshot.paused) {
    throw new ProxyError(503, 'overloaded_error', 'Turnout is paused; resume it from the tray menu.');
  }
  const { raw, value } = await readJsonBody(ctx.req, ctx.res);
  const request = parseMessagesRequest(value);
  const plan = planRoute(request, snapshot, health, pin);
  log.update(record, {
    clientModel: request.model,
    stream: request.stream === true,
    rule: plan.rule ?? undefined,
    profile: plan.profile ?? undefined,
    ...(plan.notes.length > 0 ? { notes: plan.notes } : {}),
  });
  const gone = clientGone(ctx);
  const attempts: AttemptRecord[] = [];
  // A cheap estimate of the input, made once: every attempt's context pre-check and its
  // message_start use it.
  const inputEstimate = estimateRequestTokens(request);

  const queue = [...plan.attempts];
  let lastFailure: ProxyError | null = null;

  for (let i = 0; i < queue.length; i++) {
    const attempt = queue[i];
    const id = attempt.provider.entry.id;
    const tried: AttemptRecord = {
      provider: id,
      model: attempt.upstreamModel,
      why: attempt.why,
      outcome: '',
    };
    const note = (outcome: string) => {
      tried.outcome = outcome;
      log.update(record, { attempts: [...attempts, tried] });
    };
    if (gone.aborted) break;
    // A cooling-off provider is skipped while another attempt remains; the last one (or all,
    // when every provider is cooling off) is tried anyway: refusing outright is worse than a
    // request that may well succeed.
    const admitted = health.admit(id);
    if (!admitted && !plan.allOpen && i < queue.length - 1) {
      note('skipped');
      attempts.push(tried);
      continue;
    }
    let apiKey: string;
    try {
      apiKey = requireKey(attempt);
    } catch (error) {
      health.release(id);
      note('no key');
      attempts.push(tried);
      lastFailure ??= error as ProxyError;
      continue;
    }
    // With a fallback ahead the SDK does not retry: the next provider is quicker than backoff.
    const isLast = i === queue.length - 1 && !plan.longContext;
    ctx.set('x-turnout-provider', id);
    ctx.set('x-turnout-model', attempt.upstreamModel);
    log.update(record, { provider: id, upstreamModel: attempt.upstreamModel });
    let final: Partial<RequestRecord>;
    const { abort, done } = attemptAbort(gone);
    try {
      final = await serveAttempt(ctx, deps, snapshot, record, {
        request,
        raw,
        value,
        attempt,
        apiKey,
        abort,
        isLast,
        inputEstimate,
      });
    } catch (error) {
      if (!(error instanceof AttemptFailed)) {
        health.release(id);
        note('error');
        throw error;
      }
      const decision = failoverDecision(error.error, error.detail);
      note(outcomeOf(error.error));
      attempts.push(tried);
      lastFailure = error.error;
      health.report(id, decision, error.error.message, isQuotaExhausted(error.error, error.detail));
      if (decision === 'long-context' && plan.longContext) {
        queue.splice(i + 1, 0, plan.longContext);
        plan.longContext = null;
        continue;
      }
      if (decision !== 'next') throw error.error;
      continue;
    } finally {
      done();
    }
    // The record's final state and the attempts go in one update: listeners (the headless log
    // line, the usage store) see a finished record exactly once.
    tried.outcome = final.state === 'aborted' ? 'aborted' : String(final.status ?? 200);
    log.update(record, { ...final, attempts: [...attempts, tried] });
    if (final.state === 'aborted') {
      health.release(id);
      closeAbandoned(ctx);
    } else {
      reportForwarded(health, id, final);
    }
    return;
  }
  if (gone.aborted) {
    log.update(record, { state: 'aborted', latencyMs: Date.now() - record.startedAt });
    closeAbandoned(ctx);
    return;
  }
  throw lastFailure ?? noAttemptLeft(plan);
}

/**
 * The client left before an answer began: nothing will be written, so the socket is closed
 * rather than left half-open (a server `close()` would otherwise wait on it forever).
 */
function closeAbandoned(ctx: Context): void {
  ctx.respond = false;
  if (!ctx.res.headersSent) ctx.res.destroy();
}

/**
 * Health from an answer that reached the client: a success, or an error status forwarded as it
 * was (Anthropic's own error body on the last attempt), which still counts for the breaker.
 */
function reportForwarded(health: ProviderHealth, id: string, final: Partial<RequestRecord>): void {
  const status = final.status ?? 200;
  if (status < 400) return health.success(id);
  const message = final.error ?? `HTTP ${status}`;
  health.report(id, failoverDecision(new ProxyError(status, 'api_error', message)), message);
}

function noAttemptLeft(plan: RoutePlan): ProxyError {
  return new ProxyError(
    503,
    'overloaded_error',
    `No provider on this route could take the request (${plan.attempts.map((a) => a.provider.entry.id).join(', ')}).`,
  );
}

interface AttemptInput {
  request: ReturnType<typeof parseMessagesRequest>;
  raw: Buffer;
  value: unknown;
  attempt: Attempt;
  apiKey: string;
  abort: AbortController;
  /** The last attempt of the plan: the SDK may retry, and errors go to the client as they are. */
  isLast: boolean;
  /** Estimated input tokens (characters / 4), made once per request. */
  inputEstimate: number;
}

/**
 * One attempt. Throws AttemptFailed when it failed before anything reached the client; once
 * the answer has begun, failures end it as before (an error event in the stream).
 */
async function serveAttempt(
  ctx: Context,
  deps: Deps,
  snapshot: ProxySnapshot,
  record: RequestRecord,
  input: AttemptInput,
): Promise<Partial<RequestRecord>> {
  const { log } = deps;
  const { request, attempt, apiKey, abort } = input;
  const stream = request.stream === true;
  const secrets = [apiKey];
  const label = attempt.provider.entry.label;

  const traits = modelTraits(attempt.provider.entry, attempt.upstreamModel);
  if (attempt.provider.entry.kind === 'anthropic') {
    let outcome;
    try {
      outcome = await passThroughToAnthropic({
        // Anthropic-compatible servers have output limits of their own (catalog model rules).
        maxOutputTokens: traits.maxOutputTokens,
        note: (text) => log.update(record, { notes: [...(record.notes ?? []), text] }),
        ctx,
        provider: attempt.provider,
        apiKey,
        raw: input.raw,
        parsed: input.value as Record<string, unknown>,
        upstreamModel: attempt.upstreamModel,
        abort,
        firstByteMs: snapshot.timeouts.firstByteMs,
        idleMs: snapshot.timeouts.idleMs,
        failOverOn: input.isLast
          ? undefined
          : (status) => failoverDecision(new ProxyError(status, 'api_error', '')) === 'next',
      });
    } catch (error) {
      if (error instanceof ProxyError && !ctx.headerSent) throw new AttemptFailed(error);
      throw error;
    }
    return {
      state: outcome.state,
      status: ctx.res.statusCode,
      error: outcome.error,
      latencyMs: Date.now() - record.startedAt,
      ...(outcome.usage && usageFields(outcome.usage)),
    };
  }

  const route = { provider: attempt.provider, upstreamModel: attempt.upstreamModel };
  // The upstream dialect (chat completions or the Responses API) is chosen with the attempt.
  let dialect = dialectFor(route, traits, deps.apis, {
    webSearch: (request.tools ?? []).some(isWebSearchTool),
  });
  const translateFor = (d: Dialect) =>
    d.translate(request, {
      provider: attempt.provider.entry,
      traits,
      upstreamModel: attempt.upstreamModel,
      clientModel: request.model,
      signatures: deps.signatures,
    });
  let translated = translateFor(dialect);
  const addNotes = (notes: string[]) => {
    if (notes.length > 0) log.update(record, { notes: [...(record.notes ?? []), ...notes] });
  };
  log.update(record, { api: dialect.name });
  addNotes(translated.degraded);
  // Context scaling and the pre-check against the model's window (contextWindow.ts); a request
  // that cannot fit fails this attempt, so a long-context route may still take it.
  const inputScale = inputScaleFor(traits.contextWindow, snapshot.contextScaling, request.model);
  const { inputEstimate } = input;
  try {
    checkFits(inputEstimate, traits.contextWindow, inputScale);
  } catch (error) {
    throw new AttemptFailed(error as ProxyError);
  }
  const client = deps.clients.get(attempt.provider, apiKey, snapshot);
  // A chat-dialect web search is fetched whole (see translate/webSearch.ts), even for a
  // streaming client; everything else streams upstream when the client streams.
  const upstreamStreams = () => stream && (translated.body as { stream?: unknown }).stream === true;

  // The SDK retries before the first byte; the attempt log counts those retries for the record.
  let attempts = newAttemptLog();
  let upstream: unknown;
  const callUpstream = async () => {
    attempts = newAttemptLog();
    const call = dialect.call(client, translated.body, {
      signal: abort.signal,
      // With a fallback ahead the SDK does not retry: the next provider is quicker than backoff.
      ...(input.isLast ? {} : { maxRetries: 0 }),
      ...attemptLogOptions(attempts),
    });
    // The SDK makes the request, retries and maps error statuses; the body is read here: a
    // stream by our SSE parser (cheaper than the SDK's decoders, see relayStream below), an
    // answer with the body timeout.
    const response = await call.asResponse();
    if (upstreamStreams()) return response;
    return readJsonAnswer(response, { label, idleMs: snapshot.timeouts.idleMs, abort, secrets });
  };
  try {
    upstream = await callUpstream().catch(async (error: unknown) => {
      // A chat endpoint that says the model is Responses-only: switch it, say so, retry at once
      // (nothing has reached the client yet).
      if (!switchesToResponses(dialect, route, error)) throw error;
      deps.apis.switchToResponses(route);
      dialect = responsesDialect;
      translated = translateFor(dialect);
      log.update(record, { api: dialect.name });
      addNotes([
        `${attempt.upstreamModel} is served by the Responses API only: switched to it for this and later requests`,
        ...translated.degraded,
      ]);
      return callUpstream();
    });
  } catch (error) {
    const failure = mapUpstreamError(error, label, secrets, {
      connectTimedOut: attempts.connectTimedOut,
      contextScale: inputScale,
    });
    log.update(record, { retries: (record.retries ?? 0) + retriesOf(attempts) });
    if (!failure.error) {
      ctx.respond = false;
      return { state: 'aborted', latencyMs: Date.now() - record.startedAt };
    }
    log.update(record, { errorDetail: failure.detail });
    throw new AttemptFailed(failure.error, failure.detail);
  }
  const responseContext: ResponseContext = {
    clientModel: request.model,
    messageId: newMessageId(),
    names: translated.names,
    stopSequences: request.stop_sequences ?? [],
    signatures: deps.signatures,
    rememberSignatures: attempt.provider.entry.quirks.echoThoughtSignature,
    webSearch: translated.search ?? null,
    secrets,
    structuredOutputTool: translated.structuredOutputTool,
    inputTokenEstimate: inputEstimate,
    inputScale,
  };
  log.update(record, { retries: (record.retries ?? 0) + retriesOf(attempts) });

  if (!upstreamStreams()) {
    const bodyError = dialect.errorInBody(upstream, label, secrets);
    if (bodyError) throw new AttemptFailed(bodyError);
    const answer = dialect.translateResponse(upstream, responseContext);
    // The client sees scaled input counts; the record below keeps the real ones.
    const shown = { ...answer, usage: scaleUsage(answer.usage, inputScale) };
    if (stream) {
      ctx.type = 'text/event-stream; charset=utf-8';
      ctx.set('cache-control', 'no-cache');
      ctx.body = messageEvents(shown).map(serializeEvent).join('');
    } else ctx.body = shown;
    return {
      state: 'done',
      status: 200,
      latencyMs: Date.now() - record.startedAt,
      ...usageFields(answer.usage, reportedCostOf((upstream as { usage?: unknown }).usage)),
      stopReason: answer.stop_reason,
    };
  }

  const translator = dialect.streamTranslator(responseContext);
  ctx.respond = false;
  log.update(record, { state: 'streaming' });
  let outcome;
  try {
    outcome = await relayStream({
      res: ctx.res,
      chunks: (onData) => dialect.chunks(responseBody(upstream as Response), onData),
      translator,
      abort,
      idleMs: snapshot.timeouts.idleMs,
      label,
      secrets,
      requestId: record.id,
      onFirstContent: () => log.update(record, { ttftMs: Date.now() - record.startedAt }),
    });
  } catch (error) {
    // Failed before the first byte: the next attempt, or the error middleware, answers.
    ctx.respond = true;
    const failure = mapUpstreamError(error, label, secrets, { contextScale: inputScale });
    if (!failure.error) {
      ctx.respond = false;
      return { state: 'aborted', latencyMs: Date.now() - record.startedAt };
    }
    throw new AttemptFailed(failure.error, failure.detail);
  }
  const usage = translator.usage;
  return {
    state: outcome.state,
    status: 200,
    error: outcome.error,
    latencyMs: Date.now() - record.startedAt,
    ...usageFields(usage, translator.reportedCost),
    stopReason: translator.stopReason ?? undefined,
  };
}

/** The record's token fields: the real counts the upstream reported (every prompt token). */
function usageFields(usage: Usage, reportedCostUsd?: number): Partial<RequestRecord> {
  const fields: Partial<RequestRecord> = {
    inputTokens: usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens,
    outputTokens: usage.output_tokens,
    cacheReadTokens: usage.cache_read_input_tokens,
  };
  if (usage.cache_creation_input_tokens > 0) fields.cacheWriteTokens = usage.cache_creation_input_tokens;
  if (reportedCostUsd !== undefined) fields.reportedCostUsd = reportedCostUsd;
  return fields;
}
