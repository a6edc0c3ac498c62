/** Anthropic itself: the request passes through unchanged. */
import { defaultQuirks, type ProviderCatalogEntry } from './types';

export const anthropic: ProviderCatalogEntry = {
  id: 'anthropic',
  label: 'Anthropic',
  kind: 'anthropic',
  defaultBaseUrl: 'https://api.anthropic.com',
  keyEnv: 'ANTHROPIC_API_KEY',
  baseUrlEnv: 'ANTHROPIC_UPSTREAM_URL',
  keyOptional: false,
  keyHeader: 'x-api-key',
  // Empty mapping: Claude model names pass through to Anthropic unchanged.
  defaultBigModel: '',
  defaultSmallModel: '',
  quirks: { ...defaultQuirks },
  modelRules: [],
};
