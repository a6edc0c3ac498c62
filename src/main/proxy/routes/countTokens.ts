/** POST /v1/messages/count_tokens — answered locally; never calls an upstream. */
import type { Context } from 'koa';
import { readJsonBody } from '../middleware/body';
import { countRequestTokens } from '../tokens';
import { parseCountTokensRequest } from '../validateRequest';

export async function countTokens(ctx: Context): Promise<void> {
  const { value } = await readJsonBody(ctx.req, ctx.res);
  const request = parseCountTokensRequest(value);
  ctx.body = { input_tokens: await countRequestTokens(request) };
}
