/**
 * How a Responses API answer ended → Anthropic stop_reason. The Responses API has no finish
 * reason: a `completed` response ended normally, an `incomplete` one says why in
 * `incomplete_details.reason`. Both are expressed as chat finish reasons for the shared rule.
 */
import type { StopReason } from '../../anthropicTypes';
import { mapStopReason } from '../stopReason';

export interface ResponsesEnding {
  status: string | null | undefined;
  incompleteReason?: string | null;
  hasToolCalls: boolean;
  refused: boolean;
}

export function responsesStopReason(ending: ResponsesEnding): StopReason {
  const finishReason =
    ending.status === 'incomplete'
      ? ending.incompleteReason === 'content_filter'
        ? 'content_filter'
        : 'length'
      : 'stop';
  return mapStopReason({
    finishReason,
    hasToolCalls: ending.hasToolCalls,
    stopSequences: [],
    refused: ending.refused,
  }).stopReason;
}
