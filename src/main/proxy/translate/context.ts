/**
 * What the translators need to know about one request besides its body. Built once per request
 * by the route from the current config snapshot.
 */
import type { ModelTraits, ProviderCatalogEntry } from '../../../shared/providerCatalog';
import type { ThoughtSignatureStore } from './thoughtSignatures';

export interface TranslationContext {
  /** The provider's catalog entry: quirks are read from here, never from its id. */
  provider: ProviderCatalogEntry;
  /** Behaviour of the upstream model (token parameter, temperature rule, output ceiling…). */
  traits: ModelTraits;
  upstreamModel: string;
  /** The model name the client asked for; answers carry it back unchanged. */
  clientModel: string;
  /** Process-wide cache of Gemini thought signatures, keyed by client-visible tool-call id. */
  signatures: ThoughtSignatureStore;
}
