/**
 * Pumps an upstream stream (chat chunks or Responses events) through its dialect's translator to the client as
 * Anthropic server-sent events, chunk by chunk as it arrives. The 200 status is committed only
 * once the first upstream chunk is in, so an upstream that fails at once (or answers 200 with an
 * error object) still gets a proper HTTP error; after that, failures become `event: error`.
 */
import type { ServerResponse } from 'node:http';
import type { StreamEvent } from '../anthropicTypes';
import { ProxyError } from '../errors';
import { serializeEvent } from '../translate/sse';
import { redactSecrets } from '../redact';
import { mapUpstreamError } from './upstreamErrors';

/** A stream translator of either dialect (chat chunks or Responses events → Anthropic events). */
export interface RelayTranslator<Chunk> {
  start(): StreamEvent[];
  push(chunk: Chunk): StreamEvent[];
  finish(): StreamEvent[];
  fail(type: string, message: string): StreamEvent[];
}

export interface RelayOptions<Chunk> {
  res: ServerResponse;
  /**
   * Opens the upstream's chunks; `onData` is to be called for every piece of bytes received,
   * so an event still arriving, or a keep-alive comment, counts as activity for the watchdog.
   */
  chunks: (onData: () => void) => AsyncIterable<Chunk>;
  translator: RelayTranslator<Chunk>;
  /** Aborts the upstream request (client gone or idle timeout). */
  abort: AbortController;
  idleMs: number;
  label: string;
  secrets: string[];
  requestId: string;
  /** Called once, when the first content event is written (time to first token). */
  onFirstContent: () => void;
}

export interface RelayOutcome {
  /** 'done': a complete answer; 'error': `event: error` was sent; 'aborted': the client left. */
  state: 'done' | 'error' | 'aborted';
  error?: string;
}

class IdleTimeout extends Error {}
class ClientGone extends Error {}

export async function relayStream<Chunk>(options: RelayOptions<Chunk>): Promise<RelayOutcome> {
  const { res, translator, abort, label, secrets } = options;
  let idle = false;
  // Armed only while waiting on the upstream: a slow client (backpressure) is not an idle upstream.
  // Any bytes count, not only complete chunks: one large event trickling in is not silence.
  let waiting = false;
  const watchdog = setTimeout(() => {
    if (!waiting) return;
    idle = true;
    abort.abort();
  }, options.idleMs);
  const iterator = options.chunks(() => watchdog.refresh())[Symbol.asyncIterator]();
  const next = async (): Promise<IteratorResult<Chunk>> => {
    watchdog.refresh();
    waiting = true;
    let result: IteratorResult<Chunk>;
    try {
      result = await iterator.next();
    } catch (error) {
      if (idle) throw new IdleTimeout();
      if (abort.signal.aborted) throw new ClientGone();
      throw error;
    } finally {
      waiting = false;
    }
    // The SDK ends iteration quietly when its request is aborted: tell that from a real end.
    if (idle) throw new IdleTimeout();
    if (abort.signal.aborted) throw new ClientGone();
    return result;
  };

  try {
    let first: IteratorResult<Chunk>;
    try {
      first = await next();
    } catch (error) {
      // Nothing sent yet: the route's error middleware answers with a proper status.
      if (error instanceof ClientGone) return { state: 'aborted' };
      if (error instanceof IdleTimeout) {
        throw new ProxyError(504, 'timeout_error', `${label} sent no data for ${options.idleMs / 1000} s.`);
      }
      throw error;
    }

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'request-id': options.requestId,
    });
    let sawContent = false;
    // The events of one upstream read (however many chunks it carried) leave in one write: they
    // are collected here and written on the next tick, i.e. once the chunks already received are
    // translated. A full client socket is reported to the loop before it pulls the next chunk
    // (at most one chunk later than writing each chunk at once would), so backpressure still
    // stops the reading of the upstream.
    let pending = '';
    let flushScheduled = false;
    let blocked: Promise<boolean> | null = null;
    let gone = false;
    const flush = (): Promise<boolean> | boolean => {
      flushScheduled = false;
      if (pending === '' || gone) return !gone;
      const data = pending;
      pending = '';
      const written = write(res, data);
      if (written === false) gone = true;
      else if (written !== true) {
        blocked = written.then((ok) => {
          if (!ok) gone = true;
          return ok;
        });
      }
      return blocked ?? !gone;
    };
    /** Whether to go on reading: false once the client has gone; waits while its socket is full. */
    const settle = (): Promise<boolean> | boolean => {
      if (gone || res.destroyed) return false;
      if (blocked === null) return true;
      const waiting = blocked;
      blocked = null;
      return waiting;
    };
    const emit = (events: StreamEvent[]): Promise<boolean> | boolean => {
      if (events.length > 0) {
        if (!sawContent && events.some((e) => e.type === 'content_block_delta')) {
          sawContent = true;
          options.onFirstContent();
        }
        for (const event of events) pending += serializeEvent(event);
        if (!flushScheduled) {
          flushScheduled = true;
          process.nextTick(flush);
        }
      }
      return settle();
    };
    /** Writes what is collected now (before an end or an error event) and waits for the socket. */
    const flushNow = async (): Promise<boolean> => {
      const ok = await flush();
      return (await settle()) && ok;
    };

    // After the 200, anything that goes wrong ends the stream with `event: error`, including a
    // chunk the translator cannot make sense of.
    const failWith = async (failure: ProxyError): Promise<RelayOutcome> => {
      abort.abort();
      let closing: string;
      try {
        closing = translator.fail(failure.type, failure.message).map(serializeEvent).join('');
      } catch {
        closing = serializeEvent({
          type: 'error',
          error: { type: failure.type, message: failure.message },
        });
      }
      pending += closing;
      await flushNow();
      res.end();
      return { state: 'error', error: failure.message };
    };
    const translate = (step: () => StreamEvent[]): StreamEvent[] | ProxyError => {
      try {
        return step();
      } catch (error) {
        reportTranslatorBug(error, secrets);
        return new ProxyError(
          502,
          'api_error',
          `${label} sent a stream Turnout could not translate: ${redactSecrets(String((error as Error)?.message ?? error), secrets)}`,
        );
      }
    };

    let events = translate(() => translator.start());
    if (events instanceof ProxyError) return await failWith(events);
    let ok = await emit(events);
    let result = first;
    while (ok && !result.done) {
      const value = result.value;
      events = translate(() => translator.push(value));
      if (events instanceof ProxyError) return await failWith(events);
      ok = await emit(events);
      if (!ok) break;
      try {
        result = await next();
      } catch (error) {
        if (error instanceof ClientGone || res.destroyed) return { state: 'aborted' };
        // An error object mid-stream keeps its own type (e.g. rate_limit_error); a cut
        // connection is an api_error, which clients treat as retryable.
        const failure =
          error instanceof IdleTimeout
            ? new ProxyError(
                504,
                'timeout_error',
                `${label} stopped sending data for ${options.idleMs / 1000} s; the answer is incomplete.`,
              )
            : (mapUpstreamError(error, label, secrets).error ??
              new ProxyError(502, 'api_error', `${label} failed.`));
        return await failWith(failure);
      }
    }
    if (!ok) {
      abort.abort();
      return { state: 'aborted' };
    }
    events = translate(() => translator.finish());
    if (events instanceof ProxyError) return await failWith(events);
    // The translator ends an unusable answer (no finish reason, broken tool arguments, nothing
    // at all) with `event: error`: the log must say so, and its text (a tool name the upstream
    // chose) is redacted like every other upstream string.
    const closing = events.at(-1);
    const failed = closing?.type === 'error' ? closing : null;
    if (failed) failed.error.message = redactSecrets(failed.error.message, secrets);
    await emit(events);
    await flushNow();
    res.end();
    return failed ? { state: 'error', error: failed.error.message } : { state: 'done' };
  } finally {
    clearTimeout(watchdog);
  }
}

function reportTranslatorBug(error: unknown, secrets: string[]): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  // The message may quote what the upstream sent.
  process.stderr.write(`turnout: stream translation failed: ${redactSecrets(detail, secrets)}\n`);
}

/** Writes with backpressure; resolves false when the client has gone. */
function write(res: ServerResponse, data: string): Promise<boolean> | boolean {
  if (res.destroyed) return false;
  if (res.write(data)) return true;
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}
