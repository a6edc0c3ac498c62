/** Contexts for translation tests, built from the real provider catalog. */
import { builtinProvider, customProviderEntry, modelTraits } from '../../../src/shared/providerCatalog';
import type { TranslationContext } from '../../../src/main/proxy/translate/context';
import type { ResponseContext } from '../../../src/main/proxy/translate/responseContext';
import { ThoughtSignatureStore } from '../../../src/main/proxy/translate/thoughtSignatures';
import { ToolNameMap } from '../../../src/main/proxy/translate/toolNames';

export function translationContext(providerId: string, upstreamModel: string): TranslationContext {
  const provider =
    builtinProvider(providerId) ?? customProviderEntry({ id: providerId, baseUrl: 'http://127.0.0.1:9/v1' });
  return {
    provider,
    traits: modelTraits(provider, upstreamModel),
    upstreamModel,
    clientModel: 'claude-sonnet-4-5',
    signatures: new ThoughtSignatureStore(),
  };
}

export function responseContext(overrides: Partial<ResponseContext> = {}): ResponseContext {
  return {
    clientModel: 'claude-sonnet-4-5',
    messageId: 'msg_test0001',
    names: ToolNameMap.fromNames([]),
    stopSequences: [],
    signatures: new ThoughtSignatureStore(),
    rememberSignatures: false,
    ...overrides,
  };
}
