/**
 * The providers a user's routing involves: the active one, the fallback chain, every rule's and
 * profile's provider. The Routing section shows health for these (plus any provider with a key
 * or a problem) rather than a row per preset, most of which a user never sets up.
 */
import { RULE_NAMES, type RouteRules, type Settings } from './config';

function ruleProviders(rules: RouteRules): string[] {
  // A rule is "provider/model"; an empty string is off.
  return RULE_NAMES.map((name) => rules[name].split('/')[0]).filter(Boolean);
}

export function providersInUse(settings: Settings): Set<string> {
  const ids = [settings.activeProvider, ...settings.fallbackProviders, ...ruleProviders(settings.rules)];
  for (const profile of settings.profiles) {
    ids.push(profile.provider, ...profile.fallbackProviders, ...ruleProviders(profile.rules));
  }
  return new Set(ids);
}
