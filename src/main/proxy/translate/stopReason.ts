/**
 * Upstream finish_reason → Anthropic stop_reason, shared by whole and streamed answers.
 * `stop_sequence` is reported only when the backend names the string that matched; it is
 * never guessed from the text.
 */
import type { StopReason } from '../anthropicTypes';

export interface FinishFacts {
  finishReason: string | null | undefined;
  /** Whether the answer holds at least one tool_use block. */
  hasToolCalls: boolean;
  /** The matched stop string the backend reported (vLLM's `stop_reason`), if any. */
  matchedStop?: string;
  stopSequences: string[];
  /** The backend sent a refusal instead of content. */
  refused?: boolean;
}

export function mapStopReason(facts: FinishFacts): { stopReason: StopReason; stopSequence: string | null } {
  switch (facts.finishReason) {
    case 'length':
      return { stopReason: 'max_tokens', stopSequence: null };
    case 'content_filter':
      return { stopReason: 'refusal', stopSequence: null };
    default:
      break;
  }
  if (facts.hasToolCalls) return { stopReason: 'tool_use', stopSequence: null };
  if (facts.refused) return { stopReason: 'refusal', stopSequence: null };
  if (
    facts.finishReason === 'stop' &&
    facts.matchedStop !== undefined &&
    facts.stopSequences.includes(facts.matchedStop)
  ) {
    return { stopReason: 'stop_sequence', stopSequence: facts.matchedStop };
  }
  // `tool_calls` without any call, `stop`, null and unknown reasons all end the turn normally.
  return { stopReason: 'end_turn', stopSequence: null };
}
