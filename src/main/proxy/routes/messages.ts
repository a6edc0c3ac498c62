/**
 * POST /v1/messages — the pipeline, top to bottom: read the body, validate it, pick provider and
 * model from the current snapshot, translate, call the upstream, translate the answer or relay
 * the stream. Every step fills in the request's log record.
 */
import type { Context } from 'koa';
import type { RequestRecord } from '../../../shared/requestRecord';
import { modelTraits } from '../../../shared/providerCatalog';
import { ApiMemory, dialectFor, responsesDialect, switchesToResponses, type Dialect } from '../dialects';
import { ProxyError } from '../errors';
import { newMessageId } from '../ids';
import { readJsonBody } from '../middleware/body';
import type { RequestState } from '../middleware/errors';
import type { RequestLog } from '../requestLog';
import { requireKey, resolveRoute } from '../routing';
import type { ProxySnapshot } from '../snapshot';
import type { Usage } from '../anthropicTypes';
import type { ResponseContext } from '../translate/responseContext';
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
  /** Models switched to the Responses API by an upstream's answer (created per handler if absent). */
  apis?: ApiMemory;
}

/** A response body as bytes: a web stream or the Node stream our upstream fetch hands back. */
function responseBody(response: Response): AsyncIterable<Uint8Array> {
  return (response.body ?? []) as AsyncIterable<Uint8Array>;
}

/** Aborts the upstream call when the client disconnects before the answer is complete. */
function abortOnClientClose(ctx: Context): AbortController {
  const abort = new AbortController();
  ctx.res.once('close', () => {
    if (!ctx.res.writableFinished) abort.abort();
  });
  return abort;
}

export function messagesHandler(given: MessagesDeps) {
  const deps = { ...given, apis: given.apis ?? new ApiMemory() };
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
      await serve(ctx, deps, snapshot, record);
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
  deps: MessagesDeps & { apis: ApiMemory },
  snapshot: ProxySnapshot,
  record: RequestRecord,
): Promise<void> {
  const { log } = deps;
  if (snapshot.paused) {
    throw new ProxyError(503, 'overloaded_error', 'Turnout is paused; resume it from the tray menu.');
  }
  const { raw, value } = await readJsonBody(ctx.req, ctx.res);
  const request = parseMessagesRequest(value);
  const route = resolveRoute(request.model, snapshot);
  const stream = request.stream === true;
  log.update(record, {
    clientModel: request.model,
    provider: route.provider.entry.id,
    upstreamModel: route.upstreamModel,
    stream,
  });
  const apiKey = requireKey(route);
  const secrets = [apiKey];
  const label = route.provider.entry.label;
  const abort = abortOnClientClose(ctx);

  if (route.provider.entry.kind === 'anthropic') {
    const outcome = await passThroughToAnthropic({
      ctx,
      provider: route.provider,
      apiKey,
      raw,
      parsed: value as Record<string, unknown>,
      upstreamModel: route.upstreamModel,
      abort,
      firstByteMs: snapshot.timeouts.firstByteMs,
      idleMs: snapshot.timeouts.idleMs,
    });
    log.update(record, {
      state: outcome.state,
      status: ctx.res.statusCode,
      error: outcome.error,
      latencyMs: Date.now() - record.startedAt,
      ...(outcome.usage && usageFields(outcome.usage)),
    });
    return;
  }

  const traits = modelTraits(route.provider.entry, route.upstreamModel);
  // The upstream dialect (chat completions or the Responses API) is chosen with the route.
  let dialect = dialectFor(route, traits, deps.apis, {
    webSearch: (request.tools ?? []).some(isWebSearchTool),
  });
  const translateFor = (d: Dialect) =>
    d.translate(request, {
      provider: route.provider.entry,
      traits,
      upstreamModel: route.upstreamModel,
      clientModel: request.model,
      signatures: deps.signatures,
    });
  let translated = translateFor(dialect);
  log.update(record, { api: dialect.name });
  if (translated.degraded.length > 0) log.update(record, { notes: translated.degraded });
  const client = deps.clients.get(route.provider, apiKey, snapshot);

  // The SDK retries before the first byte; the attempt log counts those retries for the record.
  let attempts = newAttemptLog();
  let upstream: unknown;
  const callUpstream = async () => {
    attempts = newAttemptLog();
    const call = dialect.call(client, translated.body, {
      signal: abort.signal,
      ...attemptLogOptions(attempts),
    });
    // The SDK makes the request, retries and maps error statuses; the body is read here: a
    // stream by our SSE parser (cheaper than the SDK's decoders, see relayStream below), an
    // answer with the body timeout.
    const response = await call.asResponse();
    if (stream) return response;
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
      log.update(record, {
        api: dialect.name,
        notes: [
          `${route.upstreamModel} is served by the Responses API only: switched to it for this and later requests`,
          ...translated.degraded,
        ],
      });
      return callUpstream();
    });
  } catch (error) {
    const failure = mapUpstreamError(error, label, secrets, { connectTimedOut: attempts.connectTimedOut });
    log.update(record, { retries: retriesOf(attempts) });
    if (!failure.error) {
      log.update(record, { state: 'aborted', latencyMs: Date.now() - record.startedAt });
      ctx.respond = false;
      return;
    }
    log.update(record, { errorDetail: failure.detail });
    throw failure.error;
  }
  const responseContext: ResponseContext = {
    clientModel: request.model,
    messageId: newMessageId(),
    names: translated.names,
    stopSequences: request.stop_sequences ?? [],
    signatures: deps.signatures,
    rememberSignatures: route.provider.entry.quirks.echoThoughtSignature,
    secrets,
  };
  log.update(record, { retries: retriesOf(attempts) });

  if (!stream) {
    const bodyError = dialect.errorInBody(upstream, label, secrets);
    if (bodyError) throw bodyError;
    const answer = dialect.translateResponse(upstream, responseContext);
    ctx.body = answer;
    log.update(record, {
      state: 'done',
      status: 200,
      latencyMs: Date.now() - record.startedAt,
      ...usageFields(answer.usage, reportedCostOf((upstream as { usage?: unknown }).usage)),
      stopReason: answer.stop_reason,
    });
    return;
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
    // Failed before the first byte: let the error middleware answer with a status.
    ctx.respond = true;
    const failure = mapUpstreamError(error, label, secrets);
    if (!failure.error) {
      log.update(record, { state: 'aborted', latencyMs: Date.now() - record.startedAt });
      ctx.respond = false;
      return;
    }
    throw failure.error;
  }
  const usage = translator.usage;
  log.update(record, {
    state: outcome.state,
    status: 200,
    error: outcome.error,
    latencyMs: Date.now() - record.startedAt,
    ...usageFields(usage, translator.reportedCost),
    stopReason: translator.stopReason ?? undefined,
  });
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
