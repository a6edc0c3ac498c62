/**
 * A scripted model that speaks only OpenAI's Responses API, for tests. It builds the documented
 * wire shapes (https://platform.openai.com/docs/api-reference/responses-streaming and
 * .../responses/object): the streamed event sequence (response.created → in_progress → per
 * output item: output_item.added, its part/delta/done events, output_item.done → completed or
 * incomplete, every event with a sequence_number) and the whole response object. The sequence is
 * checked against the openai SDK's own `responses.stream()` accumulator in
 * test/proxy/responses/fakeResponses.test.ts, so the fake cannot drift from what the SDK accepts.
 *
 * `responsesOnly` answers chat completions the way OpenAI does for a Responses-only model: 404
 * "This model is only supported in v1/responses and not in v1/chat/completions."
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type FakeItem =
  | { type: 'reasoning'; summary: string[]; encrypted?: string }
  | {
      type: 'message';
      text: string;
      citations?: Array<{ url: string; title: string; start: number; end: number }>;
    }
  | { type: 'refusal'; refusal: string }
  | { type: 'function_call'; callId: string; name: string; arguments: string }
  | { type: 'web_search_call'; query: string; sources: string[] };

export interface FakeAnswer {
  items: FakeItem[];
  /** `incomplete` with `max_output_tokens` by default when set. */
  incomplete?: 'max_output_tokens' | 'content_filter';
  usage?: { input: number; cached?: number; output: number; reasoning?: number };
}

export const RESPONSES_ONLY_MESSAGE =
  'This model is only supported in v1/responses and not in v1/chat/completions.';

let counter = 0;
const nextId = (prefix: string) => `${prefix}_${(++counter).toString(16).padStart(8, '0')}fake`;

/** Two pieces, as a real stream splits text (tests then see more than one delta). */
function halves(text: string): string[] {
  if (text.length < 2) return [text];
  const cut = Math.ceil(text.length / 2);
  return [text.slice(0, cut), text.slice(cut)];
}

type Json = Record<string, unknown>;

function doneItem(item: FakeItem, id: string): Json {
  switch (item.type) {
    case 'reasoning':
      return {
        id,
        type: 'reasoning',
        summary: item.summary.map((text) => ({ type: 'summary_text', text })),
        ...(item.encrypted !== undefined ? { encrypted_content: item.encrypted } : {}),
      };
    case 'message':
      return {
        id,
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [
          {
            type: 'output_text',
            text: item.text,
            annotations: (item.citations ?? []).map((c) => ({
              type: 'url_citation',
              url: c.url,
              title: c.title,
              start_index: c.start,
              end_index: c.end,
            })),
            logprobs: [],
          },
        ],
      };
    case 'refusal':
      return {
        id,
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'refusal', refusal: item.refusal }],
      };
    case 'function_call':
      return {
        id,
        type: 'function_call',
        status: 'completed',
        call_id: item.callId,
        name: item.name,
        arguments: item.arguments,
      };
    case 'web_search_call':
      return {
        id,
        type: 'web_search_call',
        status: 'completed',
        action: {
          type: 'search',
          query: item.query,
          sources: item.sources.map((url) => ({ type: 'url', url })),
        },
      };
  }
}

function usageOf(answer: FakeAnswer): Json {
  const u = answer.usage ?? { input: 20, output: 8 };
  return {
    input_tokens: u.input,
    input_tokens_details: { cached_tokens: u.cached ?? 0 },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
    total_tokens: u.input + u.output,
  };
}

function responseShell(
  id: string,
  model: string,
  status: string,
  output: Json[],
  usage: Json | null,
  answer: FakeAnswer,
): Json {
  return {
    id,
    object: 'response',
    created_at: 1_764_547_200,
    status,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: answer.incomplete } : null,
    instructions: null,
    max_output_tokens: null,
    model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage,
    metadata: {},
  };
}

/** The whole response object (non-streamed answer, and `response.completed`'s payload). */
export function responseObject(answer: FakeAnswer, model = 'fake-model', ids?: string[]): Json {
  const itemIds = ids ?? answer.items.map((item) => nextId(idPrefix(item)));
  const output = answer.items.map((item, i) => doneItem(item, itemIds[i]));
  return responseShell(
    nextId('resp'),
    model,
    answer.incomplete ? 'incomplete' : 'completed',
    output,
    usageOf(answer),
    answer,
  );
}

function idPrefix(item: FakeItem): string {
  return { reasoning: 'rs', message: 'msg', refusal: 'msg', function_call: 'fc', web_search_call: 'ws' }[
    item.type
  ];
}

/** The streamed events of one answer, in the documented order. */
export function responseEvents(answer: FakeAnswer, model = 'fake-model'): Json[] {
  const responseId = nextId('resp');
  const events: Json[] = [];
  const emit = (type: string, fields: Json) =>
    events.push({ type, ...fields, sequence_number: events.length });
  emit('response.created', { response: responseShell(responseId, model, 'in_progress', [], null, answer) });
  emit('response.in_progress', {
    response: responseShell(responseId, model, 'in_progress', [], null, answer),
  });
  const done: Json[] = [];
  answer.items.forEach((item, output_index) => {
    const id = nextId(idPrefix(item));
    const final = doneItem(item, id);
    const at = { item_id: id, output_index };
    switch (item.type) {
      case 'reasoning':
        emit('response.output_item.added', { output_index, item: { id, type: 'reasoning', summary: [] } });
        item.summary.forEach((text, summary_index) => {
          emit('response.reasoning_summary_part.added', {
            ...at,
            summary_index,
            part: { type: 'summary_text', text: '' },
          });
          for (const delta of halves(text))
            emit('response.reasoning_summary_text.delta', { ...at, summary_index, delta });
          emit('response.reasoning_summary_text.done', { ...at, summary_index, text });
          emit('response.reasoning_summary_part.done', {
            ...at,
            summary_index,
            part: { type: 'summary_text', text },
          });
        });
        break;
      case 'message': {
        emit('response.output_item.added', {
          output_index,
          item: { id, type: 'message', status: 'in_progress', role: 'assistant', content: [] },
        });
        const at0 = { ...at, content_index: 0 };
        emit('response.content_part.added', {
          ...at0,
          part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
        });
        for (const delta of halves(item.text))
          emit('response.output_text.delta', { ...at0, delta, logprobs: [] });
        const part = (final.content as Json[])[0];
        (part.annotations as Json[]).forEach((annotation, annotation_index) =>
          emit('response.output_text.annotation.added', { ...at0, annotation_index, annotation }),
        );
        emit('response.output_text.done', { ...at0, text: item.text, logprobs: [] });
        emit('response.content_part.done', { ...at0, part });
        break;
      }
      case 'refusal': {
        emit('response.output_item.added', {
          output_index,
          item: { id, type: 'message', status: 'in_progress', role: 'assistant', content: [] },
        });
        const at0 = { ...at, content_index: 0 };
        emit('response.content_part.added', { ...at0, part: { type: 'refusal', refusal: '' } });
        for (const delta of halves(item.refusal)) emit('response.refusal.delta', { ...at0, delta });
        emit('response.refusal.done', { ...at0, refusal: item.refusal });
        emit('response.content_part.done', { ...at0, part: { type: 'refusal', refusal: item.refusal } });
        break;
      }
      case 'function_call':
        emit('response.output_item.added', {
          output_index,
          item: {
            id,
            type: 'function_call',
            status: 'in_progress',
            call_id: item.callId,
            name: item.name,
            arguments: '',
          },
        });
        for (const delta of halves(item.arguments))
          emit('response.function_call_arguments.delta', { ...at, delta });
        emit('response.function_call_arguments.done', { ...at, name: item.name, arguments: item.arguments });
        break;
      case 'web_search_call':
        emit('response.output_item.added', {
          output_index,
          item: { id, type: 'web_search_call', status: 'in_progress' },
        });
        emit('response.web_search_call.in_progress', at);
        emit('response.web_search_call.searching', at);
        emit('response.web_search_call.completed', at);
        break;
    }
    emit('response.output_item.done', { output_index, item: final });
    done.push(final);
  });
  const status = answer.incomplete ? 'incomplete' : 'completed';
  emit(`response.${status}`, {
    response: responseShell(responseId, model, status, done, usageOf(answer), answer),
  });
  return events;
}

/** SSE text of events, each with its `event:` line as OpenAI sends them. */
export function sseText(events: Json[]): string {
  return events.map((e) => `event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`).join('');
}

export type Play = (body: any) => FakeAnswer;

/**
 * A request handler for the fake upstream that serves `/responses` with `play` and answers
 * `/chat/completions` with OpenAI's 404 for Responses-only models.
 */
export function responsesOnly(play: Play) {
  return (req: IncomingMessage, res: ServerResponse, body: any): void => {
    const url = req.url ?? '';
    if (!url.endsWith('/responses')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            message: RESPONSES_ONLY_MESSAGE,
            type: 'invalid_request_error',
            param: 'model',
            code: null,
          },
        }),
      );
      return;
    }
    const answer = play(body);
    if (body?.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(sseText(responseEvents(answer, body.model)));
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(responseObject(answer, body?.model)));
    }
  };
}
