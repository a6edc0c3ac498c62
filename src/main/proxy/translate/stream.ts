/**
 * A streamed chat completion → Anthropic server-sent events, one upstream chunk at a time.
 *
 * One explicit state machine. Upstream output arrives on "lanes": reasoning text, answer text,
 * and one lane per tool call. Anthropic blocks cannot interleave, so exactly one lane is open
 * as a block at a time; pieces for the open lane are emitted at once, pieces for other lanes
 * wait in arrival order. The open lane gives way to a waiting one as soon as it can be closed:
 * text and reasoning always can, a tool call only once its arguments form complete JSON (a
 * later fragment would otherwise have no open block to go to). Sequential output therefore
 * streams without delay, and only genuinely interleaved tool calls are held back.
 *
 * Phases: idle → streaming (after start) → finished (after finish) | failed (after fail);
 * nothing is emitted after finished or failed.
 */
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { AnthropicErrorType } from '../errors';
import type { StopReason, StreamEvent, Usage } from '../anthropicTypes';
import { clientToolName, THINKING_SIGNATURE, type ResponseContext } from './responseContext';
import { mapStopReason } from './stopReason';
import { JsonPrefix } from './jsonPrefix';
import { dataForDetails, mergeDetailPieces, reasoningDetailsOf } from './reasoningDetails';
import { InboundToolIds } from './toolIds';
import { chunkUsageOf, matchedStopOf, reasoningTextOf, thoughtSignatureOf } from './upstreamExtras';
import { closingEvents, openingEvents } from './messageEvents';
import { reportedCostOf, translateUsage } from './usage';

export { chunkError } from './upstreamExtras';

interface ProseLane {
  kind: 'text' | 'thinking';
  /** Received but not yet emitted (the lane is waiting). */
  pending: string;
  blockIndex?: number;
  closed: boolean;
}

interface ToolLane {
  kind: 'tool';
  upstreamIndex?: number;
  upstreamId?: string;
  name?: string;
  clientId?: string;
  /** Everything received (for the empty-arguments case and diagnostics). */
  args: string;
  /** Whether the arguments so far can still become a JSON object, and whether they are one. */
  json: JsonPrefix;
  /** A fragment broke the JSON: nothing more is forwarded and the answer ends in an error. */
  malformed: boolean;
  pending: string;
  blockIndex?: number;
  closed: boolean;
  signature?: string;
  /** Structured output by forced tool: the arguments are streamed as the answer's text. */
  asText?: boolean;
}

type Lane = ProseLane | ToolLane;

type Phase = 'idle' | 'streaming' | 'finished' | 'failed';

/** One tool-call fragment as backends send it; `index` is missing in Gemini's whole calls. */
type ToolCallFragment = Partial<ChatCompletionChunk.Choice.Delta.ToolCall>;

export class StreamTranslator {
  private phase: Phase = 'idle';
  private out: StreamEvent[] = [];
  private nextBlockIndex = 0;
  private open: Lane | null = null;
  private readonly waiting: Lane[] = [];
  private text: ProseLane | null = null;
  private thinking: ProseLane | null = null;
  private readonly toolsByIndex = new Map<number, ToolLane>();
  private readonly toolsById = new Map<string, ToolLane>();
  private lastTool: ToolLane | null = null;
  /** Every tool call seen, including ones whose index or id a later call took over. */
  private readonly toolLanes: ToolLane[] = [];
  private readonly ids = new InboundToolIds();
  private toolBlocks = 0;
  private finishReason: string | null = null;
  private matchedStop: string | undefined;
  private refused = false;
  private emptyFinish = false;
  /** reasoning_details pieces (OpenRouter), sent as one redacted_thinking block at the end. */
  private readonly details: Array<Record<string, unknown>> = [];
  private lastUsage: ChatCompletionChunk['usage'] = null;
  private result: { stopReason: StopReason; stopSequence: string | null } | null = null;

  constructor(private readonly rctx: ResponseContext) {}

  /** message_start (with the input estimate; the exact usage comes at the end) and a ping. */
  start(): StreamEvent[] {
    if (this.phase !== 'idle') return [];
    this.phase = 'streaming';
    return openingEvents(this.rctx);
  }

  push(chunk: ChatCompletionChunk): StreamEvent[] {
    if (this.phase === 'finished' || this.phase === 'failed') return [];
    const events = this.start();
    // Backends (and proxies in front of them) send odd chunks; skip what is not a chunk at all.
    if (!chunk || typeof chunk !== 'object') return events;
    // Usage may come twice (Groq) or alone in a chunk without choices: the last report wins.
    const usage = chunkUsageOf(chunk);
    if (usage) this.lastUsage = usage;
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    const choice = choices.find((c) => c && typeof c === 'object' && (c.index ?? 0) === 0);
    if (choice) {
      const delta = choice.delta ?? {};
      const reasoning = reasoningTextOf(delta);
      if (reasoning) this.receive(this.thinkingLane(), reasoning);
      const details = reasoningDetailsOf(delta);
      if (details) mergeDetailPieces(this.details, details);
      if (typeof delta.content === 'string' && delta.content) this.receive(this.textLane(), delta.content);
      if (typeof delta.refusal === 'string' && delta.refusal) {
        this.refused = true;
        this.receive(this.textLane(), delta.refusal);
      }
      const fragments = Array.isArray(delta.tool_calls) ? delta.tool_calls : [];
      for (const fragment of fragments)
        if (fragment && typeof fragment === 'object') this.receiveToolFragment(fragment);
      if (choice.finish_reason) {
        this.finishReason = choice.finish_reason;
        this.matchedStop = matchedStopOf(choice);
      } else if ((choice.finish_reason as string | null | undefined) === '') {
        // xAI sends "" beside tool calls: the field is there but says nothing.
        this.emptyFinish = true;
      }
    }
    return [...events, ...this.drain()];
  }

  /**
   * Closes every block, then message_delta (stop reason + usage) and message_stop — or, when the
   * upstream's answer is unusable, an `error` event instead of inventing an ending.
   */
  finish(): StreamEvent[] {
    if (this.phase === 'finished' || this.phase === 'failed') return [];
    const events = this.start();
    const problem = this.unusableAnswer();
    if (problem) return [...events, ...this.drain(), ...this.fail('api_error', problem)];
    this.closeOpen();
    while (this.waiting.length > 0) {
      this.openLane(this.waiting.shift() as Lane);
      this.closeOpen();
    }
    if (this.details.length > 0) {
      const index = this.nextBlockIndex++;
      this.out.push(
        {
          type: 'content_block_start',
          index,
          content_block: { type: 'redacted_thinking', data: dataForDetails(this.details) },
        },
        { type: 'content_block_stop', index },
      );
    }
    this.result = mapStopReason({
      finishReason: this.finishReason,
      hasToolCalls: this.toolBlocks > 0,
      matchedStop: this.matchedStop,
      stopSequences: this.rctx.stopSequences,
      refused: this.refused,
    });
    // Scaled for the client (context scaling); `usage` below stays the real count.
    this.out.push(
      ...closingEvents(this.result.stopReason, this.result.stopSequence, this.usage, this.rctx.inputScale),
    );
    this.phase = 'finished';
    return [...events, ...this.drain()];
  }

  /** An `error` event; the stream is over after it. */
  fail(type: AnthropicErrorType | string, message: string): StreamEvent[] {
    if (this.phase === 'finished' || this.phase === 'failed') return [];
    this.phase = 'failed';
    return [{ type: 'error', error: { type, message } }];
  }

  /**
   * Why the answer cannot be ended normally: the stream stopped without a finish reason (a cut
   * connection looks like that), or a tool call has no name or arguments that are not JSON.
   * Arguments cut off by the token limit are not a problem: they end as `max_tokens`.
   */
  private unusableAnswer(): string | null {
    if (this.finishReason === null && this.emptyFinish && this.toolLanes.length > 0) {
      // finish_reason "" is "absent", and a stream that ended cleanly after whole tool calls is
      // a tool_use turn; anything malformed is still caught below.
      this.finishReason = 'tool_calls';
    }
    if (this.finishReason === null) {
      return 'The upstream stream ended without a finish reason; the answer is incomplete.';
    }
    for (const lane of this.toolLanes) {
      if (!lane.name) return 'The upstream sent a tool call without a name.';
      const cut = this.finishReason === 'length';
      if (lane.malformed || (!cut && lane.args.trim() !== '' && !lane.json.complete)) {
        return `The upstream sent malformed arguments for tool ${clientToolName(this.rctx, lane.name)}.`;
      }
    }
    return null;
  }

  get usage(): Usage {
    return translateUsage(this.lastUsage);
  }

  /** The cost the provider reported with its last usage report (OpenRouter), if any. */
  get reportedCost(): number | undefined {
    return reportedCostOf(this.lastUsage);
  }

  /** Null until finish(). */
  get stopReason(): StopReason | null {
    return this.result?.stopReason ?? null;
  }

  get stopSequence(): string | null {
    return this.result?.stopSequence ?? null;
  }

  /** Whether any content block was emitted. */
  get producedContent(): boolean {
    return this.nextBlockIndex > 0;
  }

  private drain(): StreamEvent[] {
    const events = this.out;
    this.out = [];
    return events;
  }

  private textLane(): ProseLane {
    if (!this.text || this.text.closed) this.text = { kind: 'text', pending: '', closed: false };
    return this.text;
  }

  private thinkingLane(): ProseLane {
    if (!this.thinking || this.thinking.closed)
      this.thinking = { kind: 'thinking', pending: '', closed: false };
    return this.thinking;
  }

  private receiveToolFragment(fragment: ToolCallFragment): void {
    const lane = this.toolLaneFor(fragment);
    const name = fragment.function?.name;
    if (typeof name === 'string' && name && lane.name === undefined) lane.name = name;
    const signature = thoughtSignatureOf(fragment);
    if (signature) {
      lane.signature = signature;
      if (lane.clientId) this.rememberSignature(lane);
    }
    const args = fragment.function?.arguments;
    const piece = typeof args === 'string' ? args : '';
    lane.args += piece;
    if (!lane.malformed && !lane.json.feed(piece)) lane.malformed = true;
    // Once broken, nothing more of this call is forwarded: clients parse fragments as they come.
    this.receive(lane, lane.malformed ? '' : piece);
  }

  /**
   * Which call a fragment continues. An id already seen is that call (unless its index says
   * otherwise). Otherwise the candidate is the call at the same index, or, for a fragment with
   * neither index nor id, the last call. The candidate is continued unless the fragment brings
   * a different id (the index was reused) or is itself a whole new call: a name plus arguments
   * arriving after the candidate's arguments were already complete JSON.
   */
  private toolLaneFor(fragment: ToolCallFragment): ToolLane {
    const index = typeof fragment.index === 'number' ? fragment.index : undefined;
    const id = typeof fragment.id === 'string' && fragment.id ? fragment.id : undefined;
    let lane = id ? this.toolsById.get(id) : undefined;
    if (lane && index !== undefined && lane.upstreamIndex !== undefined && lane.upstreamIndex !== index) {
      lane = undefined;
    }
    if (!lane) {
      const candidate = index !== undefined ? this.toolsByIndex.get(index) : id ? undefined : this.lastTool;
      const otherId = Boolean(id && candidate?.upstreamId && candidate.upstreamId !== id);
      const wholeNewCall =
        Boolean(fragment.function?.name) &&
        (fragment.function?.arguments ?? '').trim() !== '' &&
        candidate !== null &&
        candidate !== undefined &&
        candidate.json.complete;
      if (candidate && !otherId && !wholeNewCall) lane = candidate;
    }
    if (!lane) {
      lane = {
        kind: 'tool',
        args: '',
        json: new JsonPrefix(),
        malformed: false,
        pending: '',
        closed: false,
        upstreamIndex: index,
      };
      this.toolLanes.push(lane);
    }
    if (id && !lane.upstreamId) lane.upstreamId = id;
    if (index !== undefined) this.toolsByIndex.set(index, lane);
    if (id) this.toolsById.set(id, lane);
    this.lastTool = lane;
    return lane;
  }

  /** Emits the piece if its lane is the open block, otherwise queues it; then lets lanes advance. */
  private receive(lane: Lane, piece: string): void {
    if (lane.kind === 'text' && lane.blockIndex === undefined && !this.waiting.includes(lane)) {
      // Text is held back while it is only whitespace: it becomes a block only once it has
      // something to say (a lone "\n\n" before tool calls is dropped).
      lane.pending += piece;
      if (lane.pending.trim() === '') return;
      piece = '';
    }
    if (this.open === lane) {
      if (piece) this.emitPiece(lane, piece);
    } else if (!lane.closed) {
      lane.pending += piece;
      if (!this.waiting.includes(lane)) this.waiting.push(lane);
    }
    // A piece for an already closed tool lane can only follow arguments that were complete
    // JSON, so it is trailing whitespace at most: nothing is lost by dropping it.
    this.advance();
  }

  private advance(): void {
    while (this.waiting.length > 0) {
      if (this.open && !this.canClose(this.open)) return;
      const next = this.waiting[0];
      if (next.kind === 'tool' && next.name === undefined) return;
      this.waiting.shift();
      this.closeOpen();
      this.openLane(next);
    }
  }

  private canClose(lane: Lane): boolean {
    return lane.kind !== 'tool' || lane.json.complete || lane.malformed;
  }

  private openLane(lane: Lane): void {
    const index = this.nextBlockIndex++;
    lane.blockIndex = index;
    this.open = lane;
    if (
      lane.kind === 'tool' &&
      this.rctx.structuredOutputTool !== undefined &&
      lane.name === this.rctx.structuredOutputTool
    ) {
      lane.asText = true;
      this.out.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
    } else if (lane.kind === 'tool') {
      lane.clientId = this.ids.assign(lane.upstreamId);
      if (lane.signature) this.rememberSignature(lane);
      this.toolBlocks++;
      this.out.push({
        type: 'content_block_start',
        index,
        content_block: {
          type: 'tool_use',
          id: lane.clientId,
          name: clientToolName(this.rctx, lane.name ?? ''),
          input: {},
        },
      });
    } else if (lane.kind === 'thinking') {
      this.out.push({
        type: 'content_block_start',
        index,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      });
    } else {
      this.out.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
    }
    const pending = lane.pending;
    lane.pending = '';
    if (pending) this.emitPiece(lane, pending);
  }

  private emitPiece(lane: Lane, piece: string): void {
    const index = lane.blockIndex as number;
    if (lane.kind === 'text' || (lane.kind === 'tool' && lane.asText)) {
      this.out.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } });
    } else if (lane.kind === 'thinking') {
      this.out.push({
        type: 'content_block_delta',
        index,
        delta: { type: 'thinking_delta', thinking: piece },
      });
    } else {
      this.out.push({
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: piece },
      });
    }
  }

  private closeOpen(): void {
    const lane = this.open;
    if (!lane) return;
    const index = lane.blockIndex as number;
    if (lane.kind === 'thinking') {
      // Clients require a signature on thinking blocks and send it back; the backend never sees it.
      this.out.push({
        type: 'content_block_delta',
        index,
        delta: { type: 'signature_delta', signature: THINKING_SIGNATURE },
      });
    } else if (lane.kind === 'tool' && lane.args.trim() === '') {
      // A call without arguments still needs partial_json that parses.
      this.out.push({
        type: 'content_block_delta',
        index,
        delta: lane.asText
          ? { type: 'text_delta', text: '{}' }
          : { type: 'input_json_delta', partial_json: '{}' },
      });
    }
    this.out.push({ type: 'content_block_stop', index });
    lane.closed = true;
    this.open = null;
  }

  private rememberSignature(lane: ToolLane): void {
    if (this.rctx.rememberSignatures && lane.signature && lane.clientId) {
      this.rctx.signatures.remember(lane.clientId, lane.signature);
    }
  }
}
