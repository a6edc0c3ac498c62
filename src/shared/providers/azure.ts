/**
 * Azure OpenAI. The base URL names the resource and the deployment
 * (`https://<resource>.openai.azure.com/openai/deployments/<deployment>`); every request carries
 * `api-version` and the key goes in the `api-key` header, not `Authorization`. The deployment in
 * the URL decides the model; the mapped model name is sent but Azure ignores it, so OpenAI's
 * rules are matched against it (name deployments after their model).
 * Source: https://learn.microsoft.com/azure/ai-services/openai/reference (api-version
 * 2024-10-21 is the current GA data-plane version; checked 2026-12-01).
 */
import { openAiModelRules } from './openaiModels';
import { defaultQuirks, type ProviderCatalogEntry } from './types';

export const azure: ProviderCatalogEntry = {
  id: 'azure',
  label: 'Azure OpenAI',
  kind: 'openai-compatible',
  defaultBaseUrl: 'https://YOUR-RESOURCE.openai.azure.com/openai/deployments/YOUR-DEPLOYMENT',
  keyEnv: 'AZURE_API_KEY',
  keyEnvAliases: ['AZURE_OPENAI_API_KEY'],
  baseUrlEnv: 'AZURE_BASE_URL',
  keyOptional: false,
  keyHeader: 'api-key',
  defaultQuery: { 'api-version': '2024-10-21' },
  defaultBigModel: 'gpt-5.1',
  defaultSmallModel: 'gpt-5-mini',
  quirks: { ...defaultQuirks, maxToolCallIdLength: 40 },
  userField: 'user',
  modelRules: openAiModelRules,
  readsPdf: true,
  sources: ['https://learn.microsoft.com/azure/ai-services/openai/reference'],
};
