/**
 * OpenAI's own model families; also applied when OpenAI models are reached through a router
 * (OpenRouter's `openai/…`, Azure deployments named after the model).
 * Source: https://platform.openai.com/docs/models (output limits per model page).
 */
import type { ModelRule } from './types';

export const openAiModelRules: ModelRule[] = [
  // Search models take few sampling parameters and search on every request. Rules merge field
  // by field, so the fields the gpt-5 rule below would add are set here explicitly.
  {
    match: '^(openai/)?gpt-(4o|4o-mini|5)-search',
    maxOutputTokens: 16_384,
    webSearch: 'openai-search-options',
    temperature: 'fixed-1',
    supportsTopP: false,
    supportsStop: false,
    contextWindow: 128_000,
    tokenParam: 'max_tokens',
    reasoningEffort: false,
    api: 'chat',
  },
  {
    // gpt-5-codex, gpt-5.1-codex(-mini|-max), gpt-5-pro, o3-pro…: served by /responses only.
    match: '^(openai/)?(gpt-5[.\\d]*-codex|codex-|(o\\d|gpt-5[.\\d]*)-pro)',
    maxOutputTokens: 128_000,
    contextWindow: 400_000,
    tokenParam: 'max_completion_tokens',
    temperature: 'fixed-1',
    supportsStop: false,
    supportsTopP: false,
    reasoningEffort: true,
    api: 'responses',
  },
  {
    match: '^(openai/)?(o3|o4-mini)',
    maxOutputTokens: 100_000,
    contextWindow: 200_000,
    tokenParam: 'max_completion_tokens',
    temperature: 'fixed-1',
    supportsStop: false,
    supportsTopP: false,
    reasoningEffort: true,
    vision: true,
    api: 'prefer-responses',
  },
  {
    match: '^(openai/)?(o1|gpt-5)',
    maxOutputTokens: 128_000,
    contextWindow: 400_000,
    tokenParam: 'max_completion_tokens',
    temperature: 'fixed-1',
    supportsTopP: false,
    reasoningEffort: true,
    vision: true,
    api: 'prefer-responses',
  },
  { match: '^(openai/)?gpt-4\\.1', maxOutputTokens: 32_768, contextWindow: 1_047_576, vision: true },
  { match: '^(openai/)?gpt-4o', maxOutputTokens: 16_384, contextWindow: 128_000, vision: true },
];
