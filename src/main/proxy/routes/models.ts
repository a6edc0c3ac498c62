/**
 * GET /v1/models — the Claude model names clients may pick, each showing where it is mapped
 * right now. Claude Code reads only ids that start with "claude".
 */
import type { Context } from 'koa';
import { mapModel, resolvePin, resolveRoute, type Route } from '../routing';
import type { ProxySnapshot } from '../snapshot';

export const CLIENT_MODELS: ReadonlyArray<{ id: string; name: string }> = [
  // Current names (Claude Code 2.1 defaults to claude-opus-4-8); older ones map the same way.
  { id: 'claude-opus-4-8', name: 'Claude Opus 4.8' },
  { id: 'claude-sonnet-5', name: 'Claude Sonnet 5' },
  { id: 'claude-sonnet-4-6', name: 'Claude Sonnet 4.6' },
  { id: 'claude-haiku-4-5', name: 'Claude Haiku 4.5' },
];

// A fixed date: these entries are aliases, not releases.
const CREATED_AT = '2025-01-01T00:00:00Z';

export function listModels(getSnapshot: () => ProxySnapshot) {
  return function models(ctx: Context): void {
    const snapshot = getSnapshot();
    // Under `/p/<name>` the list shows where that pin maps each name.
    const pinName = (ctx.params as { pin?: string } | undefined)?.pin;
    const pin = pinName === undefined ? null : resolvePin(pinName, snapshot);
    const routeFor = (id: string): Route => {
      if (!pin) return resolveRoute(id, snapshot);
      const providerId = pin.kind === 'provider' ? pin.id : pin.profile.provider;
      return mapModel(
        id,
        snapshot.providers.get(providerId)!,
        pin.kind === 'profile' ? pin.profile : undefined,
      );
    };
    const data = CLIENT_MODELS.map(({ id, name }) => {
      const route = routeFor(id);
      return {
        type: 'model',
        id,
        display_name: `${name} → ${route.provider.entry.label} ${route.upstreamModel}`,
        created_at: CREATED_AT,
      };
    });
    ctx.body = { data, has_more: false, first_id: data[0].id, last_id: data[data.length - 1].id };
  };
}
