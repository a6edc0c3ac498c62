/**
 * A fake OpenAI-compatible upstream on 127.0.0.1 for tests. Each test scripts what the next
 * requests get (JSON, an SSE stream with pauses, an error, a reset); every request received is
 * recorded so tests can assert what the proxy sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: any;
}

export type Step =
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'raw'; status: number; body: string; headers?: Record<string, string> }
  /** SSE: each item is a chunk object (sent as `data: JSON`), a raw line, or a pause. */
  | {
      kind: 'sse';
      events: Array<unknown | { raw: string } | { pauseMs: number } | { waitFor: Promise<void> }>;
      done?: boolean;
      /** Destroy the socket after the events instead of ending cleanly. */
      reset?: boolean;
    }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | {
      kind: 'custom';
      handle: (req: IncomingMessage, res: ServerResponse, body: any) => void | Promise<void>;
    };

export interface FakeUpstream {
  url: string;
  port: number;
  received: ReceivedRequest[];
  /** Queue steps for the next requests, in order; when empty, `fallback` answers. */
  enqueue(...steps: Step[]): void;
  fallback: Step;
  /** Requests whose connection the client closed before the answer ended. */
  aborted: number;
  openSockets(): number;
  /** Requests whose answer has not yet ended (finished or closed). */
  inFlight(): number;
  close(): Promise<void>;
}

export function completion(content: string, extra: Record<string, unknown> = {}): unknown {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 0,
    model: 'fake-model',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    ...extra,
  };
}

/** A non-streamed answer that is one tool call, arguments as the JSON string OpenAI sends. */
export function toolCallCompletion(id: string, name: string, args: unknown): unknown {
  return completion('', {
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [{ id, type: 'function', function: { name, arguments: JSON.stringify(args) } }],
        },
        finish_reason: 'tool_calls',
      },
    ],
  });
}

/** A streamed text answer split into `parts`, ending with usage. */
export function textChunks(
  parts: string[],
  usage = { prompt_tokens: 10, completion_tokens: parts.length },
): unknown[] {
  return [
    {
      id: 'c',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'fake-model',
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    },
    ...parts.map((p) => chunk({ content: p })),
    chunk({}, 'stop'),
    {
      id: 'c',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'fake-model',
      choices: [],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    },
  ];
}

export function chunk(delta: Record<string, unknown>, finish: string | null = null): unknown {
  return {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'fake-model',
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}

async function readBody(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface FakeUpstreamOptions {
  /** Idle keep-alive sockets are closed after this long (Node's default: 5 s). */
  keepAliveTimeoutMs?: number;
  /**
   * Sockets with no traffic for this long are closed by the fake (including connections a pool
   * opened and never used). Such closes are not counted in `aborted`.
   */
  idleSocketTimeoutMs?: number;
}

export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const queue: Step[] = [];
  const sockets = new Set<Socket>();
  const state = { aborted: 0, inFlight: 0 };
  const timedOut = new WeakSet<Socket>();
  const fake: Partial<FakeUpstream> = { received: [], fallback: { kind: 'json', body: completion('ok') } };

  const server: Server = createServer(async (req, res) => {
    state.inFlight += 1;
    res.on('close', () => {
      state.inFlight -= 1;
      if (!res.writableFinished && !timedOut.has(req.socket)) state.aborted += 1;
    });
    const body = await readBody(req);
    fake.received!.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    const step = queue.shift() ?? fake.fallback!;
    switch (step.kind) {
      case 'json':
        res.writeHead(step.status ?? 200, { 'content-type': 'application/json', ...step.headers });
        res.end(JSON.stringify(step.body));
        return;
      case 'raw':
        res.writeHead(step.status, { 'content-type': 'text/plain', ...step.headers });
        res.end(step.body);
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return;
      case 'custom':
        await step.handle(req, res, body);
        return;
      case 'sse': {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        // Headers go out now, as a real streaming server's do, not with the first event.
        res.flushHeaders();
        for (const event of step.events) {
          if (res.destroyed) return;
          if (event && typeof event === 'object' && 'pauseMs' in event)
            await sleep((event as { pauseMs: number }).pauseMs);
          else if (event && typeof event === 'object' && 'waitFor' in event)
            await (event as { waitFor: Promise<void> }).waitFor;
          else if (event && typeof event === 'object' && 'raw' in event)
            res.write(`${(event as { raw: string }).raw}\n\n`);
          else res.write(`data: ${JSON.stringify(event)}\n\n`);
        }
        if (step.reset) {
          // Let what was written reach the proxy first: a reset can discard data in flight.
          await new Promise<void>((resolve) => res.write('', () => resolve()));
          await sleep(20);
          req.socket.destroy();
          return;
        }
        if (step.done !== false) res.write('data: [DONE]\n\n');
        res.end();
        return;
      }
    }
  });
  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  server.on('connection', (socket) => {
    sockets.add(socket);
    if (options.idleSocketTimeoutMs !== undefined) {
      socket.setTimeout(options.idleSocketTimeoutMs, () => {
        timedOut.add(socket);
        socket.destroy();
      });
    }
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  // A getter, not a copied value: the count changes after this returns.
  Object.defineProperty(fake, 'aborted', { get: () => state.aborted });
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    enqueue: (...steps: Step[]) => queue.push(...steps),
    openSockets: () => sockets.size,
    inFlight: () => state.inFlight,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  }) as FakeUpstream;
}

/**
 * A TCP server that accepts connections and never says a word: as an `https://` upstream it
 * stalls the TLS handshake, which is how a connect timeout looks from the proxy.
 */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
