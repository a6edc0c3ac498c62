/**
 * One chat-completions call through the `openai` SDK, with the body serialised once, by us.
 *
 * `client.chat.completions.create(params)` serialises the params with a `JSON.stringify`
 * replacer (the SDK watches the serialisation for the `stream` key): a JavaScript callback for
 * every key and value of the body. For a long Claude Code session (hundreds of KB of history on
 * every turn) that was the largest single cost in the proxy, several milliseconds per request
 * (see the README's Performance section). The SDK's generic `post` sends bytes verbatim, with the
 * same retries, `retry-after`, timeouts, abort and error mapping as `create`: so the body is
 * stringified once, encoded once, and handed to undici as bytes it writes as they are.
 */
import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParams } from 'openai/resources/chat/completions';

type RequestOptions = NonNullable<Parameters<OpenAI['chat']['completions']['create']>[1]>;

export function postChatCompletion(
  client: OpenAI,
  params: ChatCompletionCreateParams,
  options?: RequestOptions,
): ReturnType<typeof OpenAI.prototype.post<ChatCompletion>> {
  return client.post<ChatCompletion>('/chat/completions', {
    ...options,
    body: Buffer.from(JSON.stringify(params)),
    headers: { 'content-type': 'application/json' },
    // Which parser the SDK applies to a successful answer; a stream is read with asResponse().
    stream: params.stream === true,
  });
}
