/**
 * Qwen on Alibaba Cloud Model Studio (DashScope), OpenAI-compatible mode. Two endpoints with
 * separate keys: international (Singapore) and mainland China. The open-weight Qwen3 hybrid
 * models think by default and refuse a non-streaming call unless `enable_thinking` is false.
 * Sources: https://www.alibabacloud.com/help/en/model-studio/compatibility-of-openai-with-dashscope,
 * https://www.alibabacloud.com/help/en/model-studio/deep-thinking (qwen3-coder-plus and
 * qwen3-coder-flash: 1M context, 65,536 output; checked 2026-12-01).
 */
import { defaultQuirks, type ModelRule, type ProviderCatalogEntry } from './types';

const qwenRules: ModelRule[] = [
  { match: '^qwen3-coder-(plus|flash)', maxOutputTokens: 65_536, contextWindow: 1_000_000 },
  {
    match: '^qwen3-\\d+(\\.\\d+)?b(-a\\d+b)?$',
    maxOutputTokens: 16_384,
    contextWindow: 131_072,
    nonStreamingBody: { enable_thinking: false },
  },
  { match: '^qwen-(plus|max|flash|turbo)', maxOutputTokens: 32_768 },
];

export const qwen: ProviderCatalogEntry = {
  id: 'qwen',
  label: 'Qwen (DashScope international)',
  kind: 'openai-compatible',
  defaultBaseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
  keyEnv: 'QWEN_API_KEY',
  keyEnvAliases: ['DASHSCOPE_API_KEY'],
  baseUrlEnv: 'QWEN_BASE_URL',
  keyOptional: false,
  defaultBigModel: 'qwen3-coder-plus',
  defaultSmallModel: 'qwen3-coder-flash',
  quirks: { ...defaultQuirks, reasoningContentInHistory: true },
  // Only `json_object` is documented, so JSON-schema answers go through a forced tool.
  structuredOutput: 'forced-tool',
  modelRules: qwenRules,
  sources: [
    'https://www.alibabacloud.com/help/en/model-studio/compatibility-of-openai-with-dashscope',
    'https://www.alibabacloud.com/help/en/model-studio/deep-thinking',
  ],
};

export const qwenChina: ProviderCatalogEntry = {
  ...qwen,
  id: 'qwen-cn',
  label: 'Qwen (DashScope China)',
  defaultBaseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
  keyEnv: 'QWEN_CN_API_KEY',
  keyEnvAliases: ['DASHSCOPE_API_KEY'],
  baseUrlEnv: 'QWEN_CN_BASE_URL',
};
