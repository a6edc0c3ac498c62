/**
 * List prices for the presets' default models (US dollars per million tokens), read on the
 * date given from each provider's pricing page (checked through the search index's copies on
 * 2026-12-01 where the provider's own page was not stored). The Anthropic-compatible endpoints
 * of a provider bill as its OpenAI-compatible one. Local servers have no list price: their
 * cost stays unknown (set a price in Settings to count one).
 */
import type { PriceEntry } from './prices';

const ASOF = '2026-12-01';
type Row = Omit<PriceEntry, 'provider' | 'asOf'>;

function rows(provider: string, list: Row[]): PriceEntry[] {
  return list.map((row) => ({ ...row, provider, asOf: ASOF }));
}

const DEEPSEEK = 'https://api-docs.deepseek.com/quick_start/pricing';
const deepseek: Row[] = [
  // V4 launch (2026-04-24): Pro $1.74 in, $0.145 cache hit, $3.48 out; Flash $0.14, $0.028, $0.28.
  { model: 'deepseek-v4-pro', input: 1.74, cacheRead: 0.145, output: 3.48, source: DEEPSEEK },
  { model: 'deepseek-v4-flash', input: 0.14, cacheRead: 0.028, output: 0.28, source: DEEPSEEK },
];

const OPENROUTER = 'https://openrouter.ai/models';
const openrouter: Row[] = [
  // OpenRouter resells at the provider's price (and reports the cost itself, which wins).
  { model: 'openai/gpt-5.1', input: 1.25, cacheRead: 0.125, output: 10, source: OPENROUTER },
  { model: 'openai/gpt-5-mini', input: 0.25, cacheRead: 0.025, output: 2, source: OPENROUTER },
];

const MISTRAL = 'https://mistral.ai/pricing#api-pricing';
const mistral: Row[] = [
  { model: 'devstral-medium-latest', input: 0.4, output: 2, source: MISTRAL },
  { model: 'devstral-small-latest', input: 0.1, output: 0.3, source: MISTRAL },
];

const XAI = 'https://docs.x.ai/docs/models';
const xai: Row[] = [
  { model: 'grok-code-fast-1', input: 0.2, cacheRead: 0.02, output: 1.5, source: XAI },
  { model: 'grok-4-1-fast-non-reasoning', input: 0.2, cacheRead: 0.05, output: 0.5, source: XAI },
];

const QWEN = 'https://www.alibabacloud.com/help/en/model-studio/models';
// The lowest tier (prompts up to 32K tokens); longer prompts cost more.
const qwen: Row[] = [
  { model: 'qwen3-coder-plus', input: 1, output: 5, source: QWEN },
  { model: 'qwen3-coder-flash', input: 0.3, output: 1.5, source: QWEN },
];

const ZAI = 'https://docs.z.ai/guides/overview/pricing';
const zai: Row[] = [
  { model: 'glm-4.7', input: 0.6, cacheRead: 0.11, output: 2.2, source: ZAI },
  { model: 'glm-4.5-air', input: 0.2, cacheRead: 0.03, output: 1.1, source: ZAI },
];

const MINIMAX = 'https://platform.minimax.io/docs/pricing/overview';
const minimax: Row[] = [
  { model: 'MiniMax-M2.7', input: 0.3, cacheRead: 0.03, output: 1.2, source: MINIMAX },
  { model: 'MiniMax-M2.7-highspeed', input: 0.6, cacheRead: 0.06, output: 2.4, source: MINIMAX },
];

const TOGETHER = 'https://www.together.ai/pricing';
const together: Row[] = [
  { model: 'Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8', input: 2, output: 2, source: TOGETHER },
  { model: 'openai/gpt-oss-120b', input: 0.15, output: 0.6, source: TOGETHER },
];

const FIREWORKS = 'https://fireworks.ai/pricing';
const fireworks: Row[] = [
  { model: 'accounts/fireworks/models/kimi-k2p5', input: 0.6, output: 3, source: FIREWORKS },
  { model: 'accounts/fireworks/models/gpt-oss-120b', input: 0.15, output: 0.6, source: FIREWORKS },
];

const CEREBRAS = 'https://www.cerebras.ai/pricing';
const cerebras: Row[] = [{ model: 'gpt-oss-120b', input: 0.25, output: 0.69, source: CEREBRAS }];

const AZURE = 'https://azure.microsoft.com/pricing/details/cognitive-services/openai-service/';
const azure: Row[] = [
  // Global deployments, the same list price as OpenAI's.
  { model: 'gpt-5.1', input: 1.25, cacheRead: 0.125, output: 10, source: AZURE },
  { model: 'gpt-5-mini', input: 0.25, cacheRead: 0.025, output: 2, source: AZURE },
];

const MOONSHOT = 'https://platform.moonshot.ai/docs/pricing/chat';
const moonshotAnthropic: Row[] = [
  { model: 'kimi-k2.5', input: 0.6, cacheRead: 0.1, output: 3, source: MOONSHOT },
  { model: 'kimi-k2-turbo-preview', input: 1.15, cacheRead: 0.15, output: 8, source: MOONSHOT },
];

export const presetPrices: readonly PriceEntry[] = [
  ...rows('deepseek', deepseek),
  ...rows('deepseek-anthropic', deepseek),
  ...rows('openrouter', openrouter),
  ...rows('mistral', mistral),
  ...rows('xai', xai),
  ...rows('qwen', qwen),
  // Mainland China bills in CNY at other rates; the international USD list price as a guide.
  ...rows('qwen-cn', qwen),
  ...rows('zai', zai),
  ...rows('zai-anthropic', zai),
  ...rows('minimax', minimax),
  ...rows('minimax-anthropic', minimax),
  ...rows('together', together),
  ...rows('fireworks', fireworks),
  ...rows('cerebras', cerebras),
  ...rows('azure', azure),
  ...rows('moonshot-anthropic', moonshotAnthropic),
];
