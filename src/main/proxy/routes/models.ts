/**
 * GET /v1/models and GET /v1/models/{id} — the Claude model names clients may pick, each showing
 * where it is mapped right now. Claude Code reads only ids that start with "claude". The list
 * pages like Anthropic's (`limit`, `after_id`, `before_id`; `first_id`, `last_id`, `has_more`).
 */
import type { Context } from 'koa';
import { ProxyError } from '../errors';
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
/** Anthropic's documented default and maximum page sizes. */
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;

/** Where a name goes: under `/p/<name>` the pin decides, otherwise the active provider. */
function routerFor(ctx: Context, snapshot: ProxySnapshot): (id: string) => Route {
  const pinName = (ctx.params as { pin?: string } | undefined)?.pin;
  const pin = pinName === undefined ? null : resolvePin(pinName, snapshot);
  return (id: string): Route => {
    if (!pin) return resolveRoute(id, snapshot);
    const providerId = pin.kind === 'provider' ? pin.id : pin.profile.provider;
    return mapModel(
      id,
      snapshot.providers.get(providerId)!,
      pin.kind === 'profile' ? pin.profile : undefined,
    );
  };
}

function modelInfo(id: string, name: string, route: Route) {
  return {
    type: 'model',
    id,
    display_name: `${name} → ${route.provider.entry.label} ${route.upstreamModel}`,
    created_at: CREATED_AT,
  };
}

function limitOf(raw: unknown): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > MAX_LIMIT) {
    throw new ProxyError(
      400,
      'invalid_request_error',
      `limit: expected a whole number from 1 to ${MAX_LIMIT}.`,
    );
  }
  return value;
}

export function listModels(getSnapshot: () => ProxySnapshot) {
  return function models(ctx: Context): void {
    const routeFor = routerFor(ctx, getSnapshot());
    const limit = limitOf(ctx.query.limit);
    const afterId = typeof ctx.query.after_id === 'string' ? ctx.query.after_id : undefined;
    const beforeId = typeof ctx.query.before_id === 'string' ? ctx.query.before_id : undefined;
    let list = CLIENT_MODELS;
    let fromEnd = false;
    if (afterId !== undefined) {
      const at = list.findIndex((m) => m.id === afterId);
      list = at === -1 ? [] : list.slice(at + 1);
    } else if (beforeId !== undefined) {
      const at = list.findIndex((m) => m.id === beforeId);
      list = at === -1 ? [] : list.slice(0, at);
      fromEnd = true;
    }
    const page = fromEnd ? list.slice(Math.max(0, list.length - limit)) : list.slice(0, limit);
    const data = page.map(({ id, name }) => modelInfo(id, name, routeFor(id)));
    ctx.body = {
      data,
      has_more: page.length < list.length,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
    };
  };
}

/**
 * One model. Any Claude name is answered (the mapping serves families this list does not name
 * yet), as is `provider/model`; other names are a 404 in Anthropic's shape.
 */
export function getModel(getSnapshot: () => ProxySnapshot) {
  return function model(ctx: Context): void {
    const id = String(ctx.params.id ?? '');
    const snapshot = getSnapshot();
    const known = CLIENT_MODELS.find((m) => m.id === id);
    const slash = id.indexOf('/');
    const explicit = slash > 0 && snapshot.providers.has(id.slice(0, slash));
    if (!known && !id.startsWith('claude') && !explicit) {
      throw new ProxyError(404, 'not_found_error', `model: ${id}`);
    }
    ctx.body = modelInfo(id, known?.name ?? id, routerFor(ctx, snapshot)(id));
  };
}
