/**
 * Output limit, sampling and reasoning parameters, shaped by what the upstream model accepts
 * (ModelTraits). Anything dropped or changed is noted; nothing is raised or invented.
 */
import type { ModelTraits } from '../../../shared/providerCatalog';
import type { MessagesRequest } from '../anthropicTypes';
import type { DegradationNotes } from './degradationNotes';

export type ReasoningEffort = 'low' | 'medium' | 'high';

export interface SamplingParams {
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  reasoning_effort?: ReasoningEffort;
}

/** OpenAI documents at most four stop sequences; extra ones are rejected, not ignored. */
const MAX_STOP_SEQUENCES = 4;

export function translateSampling(
  req: Pick<
    MessagesRequest,
    'max_tokens' | 'temperature' | 'top_p' | 'stop_sequences' | 'thinking' | 'output_config'
  >,
  traits: ModelTraits,
  notes: DegradationNotes,
): SamplingParams {
  const params: SamplingParams = {};

  let maxTokens = req.max_tokens;
  if (traits.maxOutputTokens !== undefined && maxTokens > traits.maxOutputTokens) {
    notes.add(`clamped max_tokens ${maxTokens}→${traits.maxOutputTokens}`);
    maxTokens = traits.maxOutputTokens;
  }
  params[traits.tokenParam] = maxTokens;

  if (typeof req.temperature === 'number') {
    if (traits.temperature === 'fixed-1' && req.temperature !== 1) {
      notes.add(`dropped temperature ${req.temperature} (model accepts only 1)`);
    } else {
      params.temperature = req.temperature;
    }
  }

  if (typeof req.top_p === 'number') {
    if (traits.supportsTopP) params.top_p = req.top_p;
    else notes.add(`dropped top_p ${req.top_p} (model does not accept it)`);
  }

  const stops = Array.isArray(req.stop_sequences)
    ? req.stop_sequences.filter((s): s is string => typeof s === 'string' && s.length > 0)
    : [];
  if (stops.length > 0) {
    if (!traits.supportsStop) {
      notes.add(`dropped ${stops.length} stop sequence(s) (model does not accept stop)`);
    } else {
      if (stops.length > MAX_STOP_SEQUENCES) {
        notes.add(
          `dropped ${stops.length - MAX_STOP_SEQUENCES} stop sequence(s) beyond ${MAX_STOP_SEQUENCES}`,
        );
      }
      params.stop = stops.slice(0, MAX_STOP_SEQUENCES);
    }
  }

  const effort = reasoningEffortFor(req);
  if (effort !== undefined) {
    if (traits.reasoningEffort) params.reasoning_effort = effort;
    // Claude Code sends adaptive thinking with every request, so only an explicit request for
    // thinking is worth a note when the model cannot reason.
    else if (req.thinking?.type === 'enabled') notes.add('dropped thinking (model has no reasoning_effort)');
  }
  return params;
}

/**
 * Anthropic thinking → OpenAI reasoning effort. A budget maps by size; adaptive thinking uses
 * the client's requested effort; disabled or absent thinking sends nothing at all.
 */
export function reasoningEffortFor(
  req: Pick<MessagesRequest, 'thinking' | 'output_config'>,
): ReasoningEffort | undefined {
  const thinking = req.thinking;
  if (!thinking || typeof thinking !== 'object') return undefined;
  if (thinking.type === 'enabled') {
    const budget = typeof thinking.budget_tokens === 'number' ? thinking.budget_tokens : 0;
    if (budget < 4096) return 'low';
    if (budget < 16384) return 'medium';
    return 'high';
  }
  if (thinking.type === 'adaptive') {
    switch (req.output_config?.effort) {
      case 'low':
        return 'low';
      case 'high':
      case 'max':
        return 'high';
      default:
        return 'medium';
    }
  }
  return undefined;
}
