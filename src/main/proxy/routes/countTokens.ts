/**
 * POST /v1/messages/count_tokens — answered locally; never calls an upstream. The count is
 * scaled like every input count the client sees (context scaling, contextWindow.ts), so Claude
 * Code's view of the window stays consistent.
 */
import type { Context } from 'koa';
import { modelTraits } from '../../../shared/providerCatalog';
import { inputScaleFor } from '../contextWindow';
import { readJsonBody } from '../middleware/body';
import { resolveRoute } from '../routing';
import type { ProxySnapshot } from '../snapshot';
import { countRequestTokens } from '../tokens';
import { parseCountTokensRequest } from '../validateRequest';

export function countTokensHandler(getSnapshot: () => ProxySnapshot) {
  return async function countTokens(ctx: Context): Promise<void> {
    const snapshot = getSnapshot();
    const { value } = await readJsonBody(ctx.req, ctx.res);
    const request = parseCountTokensRequest(value);
    const route = resolveRoute(request.model, snapshot);
    const window = modelTraits(route.provider.entry, route.upstreamModel).contextWindow;
    const scale = inputScaleFor(window, snapshot.contextScaling, request.model);
    ctx.body = { input_tokens: Math.round((await countRequestTokens(request)) * scale) };
  };
}
