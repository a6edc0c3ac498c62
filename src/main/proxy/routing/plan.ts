/**
 * The routing step: one pure function of (request, snapshot, health) that returns the ordered
 * attempts for a request. The route handler walks them; nothing here calls an upstream.
 *
 * Precedence, first match wins:
 *  1. an explicit `provider/model` from the client: that one attempt, no rules, no fallbacks;
 *  2. the terminal's pin: `/p/<provider>` serves from that provider with its mapping only (no
 *     rules, no fallbacks: pinned means pinned); `/p/<profile>` uses the profile's provider,
 *     mapping, rules and fallback chain instead of the global ones;
 *  3. rules, in this order: long context > image > web search > think > background — what the
 *     request cannot be served without (a window that holds it, eyes, a search engine) before
 *     preferences (a thinking model, a cheap fast model);
 *  4. the model mapping (big / small / opus) on the active provider.
 * After the rule's target come the active provider's mapping and then each fallback with its
 * own mapping, duplicates removed. The route handler skips providers whose breaker is open
 * while another attempt remains, unless every attempt's provider is open (`allOpen`: then all
 * are tried in order, since a request that may succeed beats a certain error).
 */
import {
  parseRouteTarget,
  type RouteRules,
  type RoutingProfile,
  type RuleName,
} from '../../../shared/config';
import { modelTraits } from '../../../shared/providerCatalog';
import type { CountTokensRequest } from '../anthropicTypes';
import { searchesNatively } from '../dialects';
import { ProxyError } from '../errors';
import type { ProviderRuntime, ProxySnapshot } from '../snapshot';
import type { HealthView } from './health';
import { explicitRoute, mapModel, type ModelSlots } from './modelMapping';
import { requestFacts, type RequestFacts } from './requestFacts';

export interface Attempt {
  provider: ProviderRuntime;
  upstreamModel: string;
  /** Why this attempt is in the plan, e.g. "rule think", "big", "fallback big". */
  why: string;
}

export interface RoutePlan {
  /** The rule that chose the first attempt, 'explicit', or null (plain mapping). */
  rule: RuleName | 'explicit' | null;
  /** The `/p/<name>` the request came through, if any. */
  profile: string | null;
  attempts: Attempt[];
  /** Taken when an attempt answers 400 "input too long" and it is not already in the plan. */
  longContext: Attempt | null;
  /** Every attempt's provider is cooling off: try them all rather than refuse. */
  allOpen: boolean;
  /** What the log should say about the routing decision (e.g. web search unavailable). */
  notes: string[];
}

/** What a `/p/<name>` prefix resolved to. */
export type Pin = { kind: 'provider'; id: string } | { kind: 'profile'; profile: RoutingProfile };

/** The `/p/<name>` prefix → a pin, or the 404 naming every known name. */
export function resolvePin(name: string, snapshot: ProxySnapshot): Pin {
  const profile = snapshot.profiles.get(name);
  if (profile) return { kind: 'profile', profile };
  if (snapshot.providers.has(name)) return { kind: 'provider', id: name };
  const known = [...snapshot.providers.keys(), ...snapshot.profiles.keys()].join(', ');
  throw new ProxyError(404, 'not_found_error', `No provider or profile named "${name}" (known: ${known}).`);
}

interface RouteScope {
  provider: ProviderRuntime;
  slots?: Partial<ModelSlots>;
  rules: RouteRules | null;
  fallbacks: readonly string[];
}

function scopeFor(snapshot: ProxySnapshot, pin: Pin | null): RouteScope {
  const id =
    pin?.kind === 'provider'
      ? pin.id
      : pin?.kind === 'profile'
        ? pin.profile.provider
        : snapshot.activeProvider;
  const provider = snapshot.providers.get(id);
  if (!provider) throw new ProxyError(500, 'api_error', `Provider "${id}" is not configured.`);
  if (pin?.kind === 'provider') return { provider, rules: null, fallbacks: [] };
  if (pin?.kind === 'profile') {
    const { profile } = pin;
    return { provider, slots: profile, rules: profile.rules, fallbacks: profile.fallbackProviders };
  }
  return { provider, rules: snapshot.rules, fallbacks: snapshot.fallbackProviders };
}

/** The rule that fires for these facts, given the default attempt's model traits. */
function firedRule(
  rules: RouteRules,
  facts: RequestFacts,
  primary: Attempt,
  defaultTraits: ReturnType<typeof modelTraits>,
): RuleName | null {
  if (rules.longContext) {
    const tokens = facts.estimatedTokens();
    const window = defaultTraits.contextWindow;
    if (tokens > rules.longContextThreshold || (window !== undefined && tokens > window))
      return 'longContext';
  }
  // Unknown vision counts as blind: whoever set ROUTE_IMAGE wants images routed unless the
  // catalog knows the default model sees.
  if (rules.image && facts.image && defaultTraits.vision !== true) return 'image';
  if (rules.webSearch && facts.webSearch && !searchesNatively(primary, defaultTraits)) return 'webSearch';
  if (rules.think && facts.think) return 'think';
  if (rules.background && facts.background) return 'background';
  return null;
}

function ruleAttempt(snapshot: ProxySnapshot, target: string, name: string): Attempt | null {
  const parsed = parseRouteTarget(target);
  const provider = parsed && snapshot.providers.get(parsed.provider);
  return provider ? { provider, upstreamModel: parsed.model, why: `rule ${name}` } : null;
}

export function planRoute(
  request: CountTokensRequest,
  snapshot: ProxySnapshot,
  health: HealthView,
  pin: Pin | null = null,
): RoutePlan {
  const profile = pin?.kind === 'profile' ? pin.profile.name : pin?.kind === 'provider' ? pin.id : null;
  const explicit = explicitRoute(request.model, snapshot);
  if (explicit) {
    return {
      rule: 'explicit',
      profile,
      attempts: [{ provider: explicit.provider, upstreamModel: explicit.upstreamModel, why: 'explicit' }],
      longContext: null,
      allOpen: false,
      notes: [],
    };
  }

  const scope = scopeFor(snapshot, pin);
  const mapped = mapModel(request.model, scope.provider, scope.slots);
  const primary: Attempt = {
    provider: scope.provider,
    upstreamModel: mapped.upstreamModel,
    why: mapped.slot,
  };
  const facts = requestFacts(request);
  const rules = scope.rules;
  const rule = rules
    ? firedRule(rules, facts, primary, modelTraits(scope.provider.entry, primary.upstreamModel))
    : null;

  const candidates: Attempt[] = [];
  const ruled = rule && rules ? ruleAttempt(snapshot, rules[rule], rule) : null;
  if (ruled) candidates.push(ruled);
  candidates.push(primary);
  for (const id of scope.fallbacks) {
    const provider = snapshot.providers.get(id);
    if (!provider) continue;
    const route = mapModel(request.model, provider);
    // A name the active provider took unchanged (e.g. "gpt-4o") means nothing to a fallback:
    // its big model stands in.
    const upstreamModel =
      route.slot === 'unchanged' && provider.settings.bigModel
        ? provider.settings.bigModel
        : route.upstreamModel;
    candidates.push({
      provider,
      upstreamModel,
      why: `fallback ${route.slot === 'unchanged' ? 'big' : route.slot}`,
    });
  }
  const unique = candidates.filter(
    (a, i) =>
      candidates.findIndex((b) => b.provider === a.provider && b.upstreamModel === a.upstreamModel) === i,
  );
  const attempts = unique;
  const allOpen = attempts.every((a) => health.isOpen(a.provider.entry.id));

  const longContextTarget = rules?.longContext
    ? ruleAttempt(snapshot, rules.longContext, 'longContext')
    : null;
  const longContext =
    longContextTarget &&
    !attempts.some(
      (a) => a.provider === longContextTarget.provider && a.upstreamModel === longContextTarget.upstreamModel,
    )
      ? longContextTarget
      : null;

  const notes: string[] = [];
  if (
    facts.webSearch &&
    !attempts.some((a) => searchesNatively(a, modelTraits(a.provider.entry, a.upstreamModel)))
  ) {
    notes.push(
      'web search: no backend on this route can search; set ROUTE_WEB_SEARCH (Settings › Routing › Web search) to an OpenRouter model or openai/gpt-4o-search-preview',
    );
  }
  return { rule: ruled ? rule : null, profile, attempts, longContext, allOpen, notes };
}
