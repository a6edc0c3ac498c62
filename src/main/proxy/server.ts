/**
 * The proxy's HTTP server: Koa, one middleware per concern, read top to bottom —
 * request id and error shape → origin/host/token guard → routes.
 */
import type { AddressInfo, Socket } from 'node:net';
import { createServer, type Server, type ServerResponse } from 'node:http';
import Koa from 'koa';
import Router from '@koa/router';
import { isLoopbackHost } from '../../shared/config';
import { requestContext } from './middleware/errors';
import { guard } from './middleware/guard';
import { allowedMethods } from './middleware/methods';
import type { RequestLog } from './requestLog';
import { statusRoute, usageRoute, type UsageApi } from './routes/api';
import { countTokensHandler } from './routes/countTokens';
import { messagesHandler } from './routes/messages';
import { getModel, listModels } from './routes/models';
import { resolvePin, type ProviderHealth } from './routing';
import type { ProxySnapshot } from './snapshot';
import { ThoughtSignatureStore } from './translate/thoughtSignatures';
import { OpenAiClients } from './upstream/openaiClients';

export interface ProxyServerOptions {
  getSnapshot: () => ProxySnapshot;
  log: RequestLog;
  version: string;
  /** Provider health, shared with whoever shows it (tray, Settings). */
  health: ProviderHealth;
  /** Usage history and status for the local API (`/api/usage`, `/api/status`). */
  api?: UsageApi;
  /** Replaces global fetch for upstream calls (tests, custom agents). */
  fetch?: typeof fetch;
}

export interface ProxyServer {
  readonly app: Koa;
  listen(host: string, port: number): Promise<AddressInfo>;
  /**
   * Stops accepting connections and resolves once every connection is gone. Responses sent
   * meanwhile carry `Connection: close` and each connection is closed as soon as it is idle, so
   * keep-alive clients do not hold the server open. With `deadlineMs`, connections still busy
   * then (a long stream) are cut, so the caller knows how long closing can take.
   */
  close(options?: { deadlineMs?: number }): Promise<void>;
}

export function createProxyServer(options: ProxyServerOptions): ProxyServer {
  const { getSnapshot, log, version } = options;
  let boundHost = '127.0.0.1';
  const app = new Koa();
  // Koa would print stack traces for errors that escape; ours never escape requestContext.
  app.silent = true;
  const router = new Router();

  const health = (ctx: Koa.Context) => {
    ctx.body = { name: 'turnout', version, status: 'ok', provider: getSnapshot().activeProvider };
  };
  // @koa/router answers HEAD with the GET route (Claude Code probes `HEAD /` at start-up, the one
  // request that needs no token; GET / needs it like every other path).
  router.get('/', health);
  const messages = messagesHandler({
    getSnapshot,
    log,
    clients: new OpenAiClients(options.fetch),
    signatures: new ThoughtSignatureStore(),
    health: options.health,
  });
  const models = listModels(getSnapshot);
  const countTokens = countTokensHandler(getSnapshot, options.health);
  router.post('/v1/messages', messages);
  router.post('/v1/messages/count_tokens', countTokens);
  router.get('/v1/models', models);
  router.get('/v1/models/:id', getModel(getSnapshot));
  // Every route again under `/p/<name>`: a terminal whose ANTHROPIC_BASE_URL ends in /p/groq
  // (or /p/<profile>) is pinned to it, whatever the tray's active provider. An unknown name is
  // a 404 in Anthropic's shape that names the known ones.
  const pinned =
    (handler: (ctx: Koa.Context) => unknown) =>
    (ctx: Koa.Context): unknown => {
      resolvePin(ctx.params.pin, getSnapshot());
      return handler(ctx);
    };
  router.post('/p/:pin/v1/messages', messages);
  router.post('/p/:pin/v1/messages/count_tokens', countTokens);
  router.get('/p/:pin/v1/models', models);
  router.get('/p/:pin/v1/models/:id', getModel(getSnapshot));
  router.get('/p/:pin', pinned(health));
  router.get('/p/:pin/', pinned(health));
  if (options.api) {
    router.get('/api/usage', usageRoute(options.api));
    router.get('/api/status', statusRoute(options.api));
  }

  app.use(requestContext);
  app.use(guard(getSnapshot, { loopbackOnly: () => isLoopbackHost(boundHost) }));
  app.use(
    allowedMethods({
      '/': ['GET'],
      '/v1/messages': ['POST'],
      '/v1/messages/count_tokens': ['POST'],
      '/v1/models': ['GET'],
    }),
  );
  app.use(router.routes());

  let server: Server | null = null;
  const inFlight = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  return {
    app,
    listen(host, port) {
      boundHost = host;
      return new Promise((resolve, reject) => {
        const s = createServer(app.callback());
        // Long agent turns stream for minutes; Node's defaults would cut them off.
        s.requestTimeout = 0;
        s.headersTimeout = 60_000;
        s.keepAliveTimeout = 65_000;
        s.on('connection', (socket: Socket) => {
          sockets.add(socket);
          socket.once('close', () => sockets.delete(socket));
        });
        s.on('request', (_req, res: ServerResponse) => {
          inFlight.add(res);
          res.once('close', () => inFlight.delete(res));
        });
        s.once('error', reject);
        s.listen(port, host, () => {
          s.off('error', reject);
          server = s;
          resolve(s.address() as AddressInfo);
        });
      });
    },
    close(options = {}) {
      const s = server;
      server = null;
      if (!s) return Promise.resolve();
      return new Promise((resolve) => {
        let deadline: NodeJS.Timeout | undefined;
        s.close(() => {
          clearTimeout(deadline);
          resolve();
        });
        // A keep-alive connection may still send requests: tell its client to go away, and
        // drop every connection the moment its response is done.
        const closeWhenIdle = () => setImmediate(() => s.closeIdleConnections());
        s.prependListener('request', (_req, res: ServerResponse) => {
          res.setHeader('Connection', 'close');
          res.once('close', closeWhenIdle);
        });
        for (const res of inFlight) res.once('close', closeWhenIdle);
        s.closeIdleConnections();
        // A connection a client opened ahead of need and never sent a request on counts as
        // active until the headers timeout (60 s); it has nothing to finish.
        for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy();
        if (options.deadlineMs !== undefined) {
          deadline = setTimeout(() => s.closeAllConnections(), options.deadlineMs);
          deadline.unref();
        }
      });
    },
  };
}
