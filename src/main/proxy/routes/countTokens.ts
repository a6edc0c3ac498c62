/**
 * POST /v1/messages/count_tokens (also under `/p/<name>`) — answered locally; never calls an
 * upstream. The count is scaled like every input count the client sees (context scaling,
 * contextWindow.ts), against the window of the model the same request would be sent to: the
 * routing step's first attempt, so a pinned terminal or a long-context rule counts against its
 * own model, and Claude Code's view of the window stays consistent.
 */
import type { Context } from 'koa';
import { modelTraits } from '../../../shared/providerCatalog';
import { inputScaleFor } from '../contextWindow';
import { readJsonBody } from '../middleware/body';
import { planRoute, resolvePin, type HealthView } from '../routing';
import type { ProxySnapshot } from '../snapshot';
import { countRequestTokens } from '../tokens';
import { parseCountTokensRequest } from '../validateRequest';

export function countTokensHandler(getSnapshot: () => ProxySnapshot, health: HealthView) {
  return async function countTokens(ctx: Context): Promise<void> {
    const snapshot = getSnapshot();
    const pinName = (ctx.params as { pin?: string } | undefined)?.pin;
    const pin = pinName === undefined ? null : resolvePin(pinName, snapshot);
    const { value } = await readJsonBody(ctx.req, ctx.res);
    const request = parseCountTokensRequest(value);
    const [first] = planRoute(request, snapshot, health, pin).attempts;
    const window = first ? modelTraits(first.provider.entry, first.upstreamModel).contextWindow : undefined;
    const scale = inputScaleFor(window, snapshot.contextScaling, request.model);
    ctx.body = { input_tokens: Math.round((await countRequestTokens(request)) * scale) };
  };
}
