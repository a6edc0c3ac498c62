/**
 * A streamed Responses API answer → Anthropic server-sent events, one upstream event at a time.
 *
 * One explicit state machine. Every output item (`response.output_item.added`, keyed by its
 * `output_index`) is a lane that becomes zero, one or two Anthropic blocks:
 *   reasoning → thinking (summary deltas as thinking_delta; the encrypted item, known at
 *               `output_item.done`, as the signature_delta; none when it has neither),
 *   message → text (output_text and refusal deltas; url citations as citations_delta),
 *   function_call → tool_use (argument deltas as input_json_delta),
 *   web_search_call → server_tool_use + web_search_tool_result (at `output_item.done`).
 * Anthropic blocks cannot interleave, so lanes take turns in output order: the current lane's
 * events are emitted at once, a later lane's events wait until every earlier lane is done. The
 * API streams items one after another, so in practice nothing waits.
 *
 * Phases: idle → streaming (after start) → ended (response.completed / response.incomplete) →
 * finished (after finish) | failed (after fail); nothing is emitted after finished or failed.
 */
import type { StopReason, StreamEvent, Usage, WebSearchCitation } from '../../anthropicTypes';
import type { AnthropicErrorType } from '../../errors';
import { JsonPrefix } from '../jsonPrefix';
import { clientToolName, THINKING_SIGNATURE, type ResponseContext } from '../responseContext';
import { InboundToolIds } from '../toolIds';
import { closingEvents, openingEvents } from '../messageEvents';
import { reasoningSignature, summaryText } from './response';
import { responsesStopReason } from './stopReason';
import { translateResponsesUsage } from './usage';
import { citationOf, searchBlocks, type WebSearchCallItem } from './webSearch';

/** One server-sent event of the Responses API, loosely (servers add and omit fields). */
export interface ResponsesEvent {
  type: string;
  output_index?: number;
  item_id?: string;
  item?: { type?: string; id?: string; [key: string]: unknown };
  delta?: string;
  arguments?: string;
  summary_index?: number;
  annotation?: unknown;
  response?: {
    status?: string;
    usage?: unknown;
    incomplete_details?: { reason?: string } | null;
    error?: { code?: string; message?: string } | null;
  };
  code?: string | null;
  message?: string;
  [key: string]: unknown;
}

type LaneKind = 'thinking' | 'text' | 'tool' | 'search' | 'other';

interface Lane {
  kind: LaneKind;
  /** Operations received while an earlier lane was still current. */
  waiting: Array<() => void>;
  blockIndex?: number;
  /** `output_item.done` arrived and was applied. */
  done: boolean;
  /** Thinking/text: everything emitted so far (citations quote from it). */
  text: string;
  lastSummaryIndex: number;
  sawSummary: boolean;
  signed: boolean;
  // Tool lanes.
  callId?: string;
  name?: string;
  args: string;
  json: JsonPrefix;
  malformed: boolean;
}

type Phase = 'idle' | 'streaming' | 'ended' | 'finished' | 'failed';

export class ResponsesStreamTranslator {
  private phase: Phase = 'idle';
  private out: StreamEvent[] = [];
  private nextBlockIndex = 0;
  /** Lanes in output order; `current` is the first one not yet done. */
  private readonly lanes: Lane[] = [];
  private readonly byKey = new Map<string, Lane>();
  private current = 0;
  private readonly ids = new InboundToolIds();
  private toolBlocks = 0;
  private refused = false;
  private answered = false;
  private status: string | undefined;
  private incompleteReason: string | undefined;
  private lastUsage: unknown = null;
  private result: StopReason | null = null;

  constructor(private readonly rctx: ResponseContext) {}

  start(): StreamEvent[] {
    if (this.phase !== 'idle') return [];
    this.phase = 'streaming';
    return openingEvents(this.rctx);
  }

  push(event: ResponsesEvent): StreamEvent[] {
    if (this.phase === 'finished' || this.phase === 'failed') return [];
    const events = this.start();
    if (!event || typeof event !== 'object' || typeof event.type !== 'string') return events;
    switch (event.type) {
      case 'response.output_item.added':
        this.addLane(event);
        break;
      case 'response.output_text.delta':
        if (event.delta) this.apply(event, (lane) => this.emitText(lane, event.delta as string));
        break;
      case 'response.refusal.delta':
        if (event.delta) {
          this.refused = true;
          this.apply(event, (lane) => this.emitText(lane, event.delta as string, true));
        }
        break;
      case 'response.output_text.annotation.added':
        this.apply(event, (lane) => this.emitCitation(lane, event.annotation));
        break;
      case 'response.reasoning_summary_text.delta':
        if (event.delta) this.apply(event, (lane) => this.emitSummary(lane, event));
        break;
      case 'response.reasoning_text.delta':
        // Raw reasoning (open-weight models behind vLLM and the like): shown only when the
        // server sends no summary, so the two never repeat each other.
        if (event.delta)
          this.apply(event, (lane) => !lane.sawSummary && this.emitThinking(lane, event.delta as string));
        break;
      case 'response.function_call_arguments.delta':
        if (event.delta) this.apply(event, (lane) => this.emitArguments(lane, event.delta as string));
        break;
      case 'response.function_call_arguments.done':
        this.apply(event, (lane) => lane.args === '' && this.emitArguments(lane, event.arguments ?? ''));
        break;
      case 'response.output_item.done':
        this.apply(event, (lane) => this.completeLane(lane, event.item ?? {}));
        break;
      case 'response.completed':
      case 'response.incomplete':
        this.status =
          event.response?.status ?? (event.type === 'response.completed' ? 'completed' : 'incomplete');
        this.incompleteReason = event.response?.incomplete_details?.reason ?? undefined;
        this.lastUsage = event.response?.usage ?? null;
        this.phase = 'ended';
        break;
      case 'response.failed': {
        const error = event.response?.error;
        return [
          ...events,
          ...this.drain(),
          ...this.fail('api_error', error?.message ?? 'The upstream response failed.'),
        ];
      }
      case 'error':
        return [
          ...events,
          ...this.drain(),
          ...this.fail('api_error', event.message ?? 'The upstream stream failed.'),
        ];
      default:
        // created, in_progress, content_part.*, *.done duplicates of what the deltas carried,
        // web_search_call progress: nothing to emit.
        break;
    }
    return [...events, ...this.drain()];
  }

  finish(): StreamEvent[] {
    if (this.phase === 'finished' || this.phase === 'failed') return [];
    const events = this.start();
    const problem = this.unusableAnswer();
    if (problem) return [...events, ...this.drain(), ...this.fail('api_error', problem)];
    // Lanes the upstream never finished (possible on `incomplete`) are closed in order.
    while (this.current < this.lanes.length) {
      const lane = this.lanes[this.current];
      for (const op of lane.waiting.splice(0)) op();
      this.closeBlock(lane);
      lane.done = true;
      this.current++;
    }
    this.result = responsesStopReason({
      status: this.status,
      incompleteReason: this.incompleteReason,
      hasToolCalls: this.toolBlocks > 0,
      refused: this.refused && !this.answered,
    });
    this.out.push(...closingEvents(this.result, null, this.usage, this.rctx.inputScale));
    this.phase = 'finished';
    return [...events, ...this.drain()];
  }

  fail(type: AnthropicErrorType | string, message: string): StreamEvent[] {
    if (this.phase === 'finished' || this.phase === 'failed') return [];
    this.phase = 'failed';
    return [{ type: 'error', error: { type, message } }];
  }

  get usage(): Usage {
    return translateResponsesUsage(this.lastUsage as never);
  }

  get stopReason(): StopReason | null {
    return this.result;
  }

  get producedContent(): boolean {
    return this.nextBlockIndex > 0;
  }

  private unusableAnswer(): string | null {
    if (this.phase !== 'ended') {
      return 'The upstream stream ended before response.completed; the answer is incomplete.';
    }
    const cut = this.status === 'incomplete';
    for (const lane of this.lanes) {
      if (lane.kind !== 'tool') continue;
      if (!lane.name) return 'The upstream sent a function call without a name.';
      if (lane.malformed || (!cut && lane.args.trim() !== '' && !lane.json.complete)) {
        return `The upstream sent malformed arguments for tool ${clientToolName(this.rctx, lane.name)}.`;
      }
    }
    return null;
  }

  private drain(): StreamEvent[] {
    const events = this.out;
    this.out = [];
    return events;
  }

  private keyOf(event: ResponsesEvent): string | undefined {
    if (typeof event.output_index === 'number') return `#${event.output_index}`;
    const id = event.item_id ?? event.item?.id;
    return typeof id === 'string' ? `id:${id}` : undefined;
  }

  private addLane(event: ResponsesEvent): void {
    const item = event.item ?? {};
    const kind: LaneKind =
      item.type === 'reasoning'
        ? 'thinking'
        : item.type === 'message'
          ? 'text'
          : item.type === 'function_call'
            ? 'tool'
            : item.type === 'web_search_call'
              ? 'search'
              : 'other';
    const lane: Lane = {
      kind,
      waiting: [],
      done: false,
      text: '',
      lastSummaryIndex: 0,
      sawSummary: false,
      signed: false,
      args: '',
      json: new JsonPrefix(),
      malformed: false,
    };
    if (kind === 'tool') {
      lane.callId = typeof item.call_id === 'string' ? item.call_id : undefined;
      lane.name = typeof item.name === 'string' && item.name ? item.name : undefined;
    }
    this.lanes.push(lane);
    const key = this.keyOf(event);
    if (key) this.byKey.set(key, lane);
    if (typeof item.id === 'string') this.byKey.set(`id:${item.id}`, lane);
    // A tool_use block opens at once (name and call id are known); a thinking block with its
    // first summary text, or at output_item.done when it has only the encrypted item.
    if (kind === 'tool') this.apply(event, (l) => this.openBlock(l));
  }

  /** Runs `op` for the event's lane now if that lane is current, else queues it. */
  private apply(event: ResponsesEvent, op: (lane: Lane) => unknown): void {
    const key = this.keyOf(event);
    let lane = key ? this.byKey.get(key) : undefined;
    if (!lane && typeof event.item_id === 'string') lane = this.byKey.get(`id:${event.item_id}`);
    if (!lane || lane.done) return;
    const target = lane;
    const run = () => {
      op(target);
    };
    if (this.lanes[this.current] === lane) run();
    else target.waiting.push(run);
  }

  private openBlock(lane: Lane): void {
    if (lane.blockIndex !== undefined) return;
    const index = this.nextBlockIndex++;
    lane.blockIndex = index;
    if (lane.kind === 'thinking') {
      this.out.push({
        type: 'content_block_start',
        index,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      });
    } else if (lane.kind === 'tool') {
      this.toolBlocks++;
      this.out.push({
        type: 'content_block_start',
        index,
        content_block: {
          type: 'tool_use',
          id: this.ids.assign(lane.callId),
          name: clientToolName(this.rctx, lane.name ?? ''),
          input: {},
        },
      });
    } else {
      this.out.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
    }
  }

  private closeBlock(lane: Lane): void {
    if (lane.blockIndex === undefined || lane.done) return;
    if (lane.kind === 'thinking' && !lane.signed) {
      // Clients require a signature; without an encrypted item there is nothing to carry back.
      this.out.push({
        type: 'content_block_delta',
        index: lane.blockIndex,
        delta: { type: 'signature_delta', signature: THINKING_SIGNATURE },
      });
    }
    if (lane.kind === 'tool' && lane.args.trim() === '') {
      // A call without arguments still needs partial_json that parses.
      this.out.push({
        type: 'content_block_delta',
        index: lane.blockIndex,
        delta: { type: 'input_json_delta', partial_json: '{}' },
      });
    }
    this.out.push({ type: 'content_block_stop', index: lane.blockIndex });
  }

  private emitText(lane: Lane, piece: string, refusal = false): void {
    if (lane.kind !== 'text') return;
    this.openBlock(lane);
    if (!refusal) this.answered = true;
    lane.text += piece;
    this.out.push({
      type: 'content_block_delta',
      index: lane.blockIndex as number,
      delta: { type: 'text_delta', text: piece },
    });
  }

  private emitCitation(lane: Lane, annotation: unknown): void {
    if (lane.kind !== 'text') return;
    const citation: WebSearchCitation | undefined = citationOf(annotation, lane.text);
    if (!citation) return;
    this.openBlock(lane);
    this.out.push({
      type: 'content_block_delta',
      index: lane.blockIndex as number,
      delta: { type: 'citations_delta', citation },
    });
  }

  private emitSummary(lane: Lane, event: ResponsesEvent): void {
    const part = typeof event.summary_index === 'number' ? event.summary_index : 0;
    // Summary parts are paragraphs of one thought.
    if (lane.sawSummary && part !== lane.lastSummaryIndex) this.emitThinking(lane, '\n\n');
    lane.sawSummary = true;
    lane.lastSummaryIndex = part;
    this.emitThinking(lane, event.delta as string);
  }

  private emitThinking(lane: Lane, piece: string): void {
    if (lane.kind !== 'thinking') return;
    this.openBlock(lane);
    lane.text += piece;
    this.out.push({
      type: 'content_block_delta',
      index: lane.blockIndex as number,
      delta: { type: 'thinking_delta', thinking: piece },
    });
  }

  private emitArguments(lane: Lane, piece: string): void {
    if (lane.kind !== 'tool' || lane.malformed || piece === '') return;
    lane.args += piece;
    // Once broken, nothing more of this call is forwarded: clients parse fragments as they come.
    if (!lane.json.feed(piece)) {
      lane.malformed = true;
      return;
    }
    this.out.push({
      type: 'content_block_delta',
      index: lane.blockIndex as number,
      delta: { type: 'input_json_delta', partial_json: piece },
    });
  }

  /** `output_item.done`: whatever the deltas did not carry, then the block's end; next lanes follow. */
  private completeLane(lane: Lane, item: Record<string, unknown>): void {
    if (lane.kind === 'thinking') {
      if (lane.text === '') {
        const summary = summaryText(item);
        if (summary) this.emitThinking(lane, summary);
      }
      const signature = reasoningSignature(item);
      // A reasoning item with neither summary nor encrypted content carries nothing.
      if (lane.blockIndex === undefined && signature !== THINKING_SIGNATURE) this.openBlock(lane);
      if (lane.blockIndex !== undefined) {
        this.out.push({
          type: 'content_block_delta',
          index: lane.blockIndex,
          delta: { type: 'signature_delta', signature },
        });
        lane.signed = true;
      }
    } else if (lane.kind === 'text' && lane.text === '') {
      for (const part of Array.isArray(item.content)
        ? (item.content as Array<Record<string, unknown>>)
        : []) {
        if (part?.type === 'output_text' && typeof part.text === 'string' && part.text)
          this.emitText(lane, part.text);
        if (part?.type === 'refusal' && typeof part.refusal === 'string' && part.refusal) {
          this.refused = true;
          this.emitText(lane, part.refusal, true);
        }
      }
    } else if (lane.kind === 'tool') {
      if (!lane.name && typeof item.name === 'string') lane.name = item.name;
      if (lane.args === '' && typeof item.arguments === 'string') this.emitArguments(lane, item.arguments);
    } else if (lane.kind === 'search') {
      this.emitSearch(item as unknown as WebSearchCallItem);
    }
    this.closeBlock(lane);
    lane.done = true;
    this.advance();
  }

  private emitSearch(item: WebSearchCallItem): void {
    const [use, result] = searchBlocks(item);
    if (use.type !== 'server_tool_use' || result.type !== 'web_search_tool_result') return;
    const useIndex = this.nextBlockIndex++;
    this.out.push(
      {
        type: 'content_block_start',
        index: useIndex,
        content_block: { type: 'server_tool_use', id: use.id, name: 'web_search', input: {} },
      },
      {
        type: 'content_block_delta',
        index: useIndex,
        delta: { type: 'input_json_delta', partial_json: JSON.stringify(use.input) },
      },
      { type: 'content_block_stop', index: useIndex },
    );
    const resultIndex = this.nextBlockIndex++;
    this.out.push(
      { type: 'content_block_start', index: resultIndex, content_block: result },
      { type: 'content_block_stop', index: resultIndex },
    );
  }

  /** Moves past finished lanes, replaying what each next lane received while it waited. */
  private advance(): void {
    while (this.current < this.lanes.length && this.lanes[this.current].done) {
      this.current++;
      const next = this.lanes[this.current];
      if (!next) break;
      for (const op of next.waiting.splice(0)) op();
    }
  }
}
