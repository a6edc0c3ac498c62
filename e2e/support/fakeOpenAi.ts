/**
 * A small OpenAI-compatible server for the end-to-end tests: GET /v1/models and
 * POST /v1/chat/completions (JSON or SSE), checking the Bearer key. It lists models under real
 * Groq names so the README's screenshots look like a user's; BROKEN_MODEL answers 500 with an
 * error body, so the log shows a failure too.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeOpenAi {
  url: string;
  /** Each chat request as received: model, whether streamed, and the Authorization header. */
  chats: { model: string; stream: boolean; authorization: string | undefined }[];
  close(): Promise<void>;
}

export const BIG_MODEL = 'openai/gpt-oss-120b';
export const SMALL_MODEL = 'llama-3.1-8b-instant';
export const BROKEN_MODEL = 'moonshotai/kimi-k2-instruct-0905';
const MODELS = [BIG_MODEL, SMALL_MODEL, BROKEN_MODEL];

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startFakeOpenAi(expectedKey: string): Promise<FakeOpenAi> {
  const chats: FakeOpenAi['chats'] = [];
  const server = createServer(async (req, res) => {
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.headers.authorization !== `Bearer ${expectedKey}`) {
      return json(401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error' } });
    }
    if (req.method === 'GET' && req.url === '/v1/models') {
      return json(200, {
        object: 'list',
        data: MODELS.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })),
      });
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions')
      return json(404, { error: { message: 'Not found' } });
    const request = await body(req);
    const model = String(request.model);
    const stream = request.stream === true;
    chats.push({ model, stream, authorization: req.headers.authorization });
    await sleep(120);
    if (model === BROKEN_MODEL) {
      return json(500, {
        error: { message: 'The model is over capacity; try again later.', type: 'server_error' },
      });
    }
    const usage = { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 };
    if (!stream) {
      return json(200, {
        id: 'chatcmpl-fake',
        object: 'chat.completion',
        created: 0,
        model,
        choices: [
          { index: 0, message: { role: 'assistant', content: 'Hello from Groq.' }, finish_reason: 'stop' },
        ],
        usage,
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.write(chunk({ role: 'assistant', content: '' }));
    for (const part of ['Hello', ' from', ' Groq.']) {
      await sleep(40);
      res.write(chunk({ content: part }));
    }
    res.write(chunk({}, 'stop'));
    res.write(
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model, choices: [], usage })}\n\n`,
    );
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    chats,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
