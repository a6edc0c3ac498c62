/**
 * `turnout statusline`: the one line Claude Code shows under its prompt when its settings say
 * `"statusLine": { "type": "command", "command": "npx turnout statusline" }`. Claude Code runs
 * the command after each message with its session as JSON on stdin
 * (https://docs.claude.com/en/docs/claude-code/statusline) and shows the first line printed.
 *
 * It asks the running proxy (`GET /api/status`) which provider and model answered last, today's
 * cost and the last latency. When the proxy is down it says so at once (a refused connection
 * fails in milliseconds; a hung one is cut off after `TIMEOUT_MS`).
 *
 * This file runs directly under Node 24 (type stripping) from `bin/turnout.mjs`, so it imports
 * nothing but Node built-ins and uses only erasable TypeScript.
 */

const DEFAULT_URL = 'http://127.0.0.1:8082';
const TIMEOUT_MS = 700;

interface StatusTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number | null;
  unpricedRequests: number;
}

/** The parts of `GET /api/status` the line uses. */
export interface StatusPayload {
  name?: string;
  activeProvider?: string;
  activeProviderLabel?: string;
  health?: string;
  usageEnabled?: boolean;
  today?: StatusTotals | null;
  last?: {
    provider: string | null;
    model: string | null;
    latencyMs: number | null;
    status: number | null;
  } | null;
}

type Env = Record<string, string | undefined>;

/** The proxy's address: TURNOUT_URL, else the base URL Claude Code itself uses, else the default. */
export function proxyUrl(env: Env): string {
  const url = env.TURNOUT_URL || env.ANTHROPIC_BASE_URL || DEFAULT_URL;
  return url.replace(/\/+$/, '');
}

function headers(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  const token = env.TURNOUT_ACCESS_TOKEN || env.ANTHROPIC_AUTH_TOKEN;
  if (token) out.authorization = `Bearer ${token}`;
  if (env.ANTHROPIC_API_KEY) out['x-api-key'] = env.ANTHROPIC_API_KEY;
  return out;
}

function money(cost: number | null | undefined): string {
  if (cost === null || cost === undefined || !Number.isFinite(cost)) return '–';
  return cost > 0 && cost < 0.01 ? `$${cost.toFixed(4)}` : `$${cost.toFixed(2)}`;
}

function tokens(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)}k`;
  return String(n);
}

function seconds(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return null;
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

export function formatStatusLine(status: StatusPayload): string {
  const parts: string[] = [];
  const last = status.last;
  const provider = last?.provider ?? status.activeProvider ?? 'turnout';
  parts.push(last?.model ? `${provider} · ${last.model}` : provider);
  if (status.health === 'paused') parts.push('paused');
  const today = status.today;
  if (today) {
    const unpriced = today.unpricedRequests > 0 && today.costUsd !== null ? '+' : '';
    const all = today.inputTokens + today.outputTokens + today.cacheReadTokens + today.cacheWriteTokens;
    parts.push(`today ${money(today.costUsd)}${unpriced} · ${tokens(all)} tok`);
  } else if (status.usageEnabled === false) {
    parts.push('usage off');
  }
  const latency = seconds(last?.latencyMs);
  if (latency) parts.push(`last ${latency}${last?.status && last.status >= 400 ? ` (${last.status})` : ''}`);
  return `⇄ ${parts.join(' · ')}`;
}

export async function fetchStatus(env: Env, timeoutMs = TIMEOUT_MS): Promise<StatusPayload> {
  const response = await fetch(`${proxyUrl(env)}/api/status`, {
    headers: headers(env),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status === 401 || response.status === 403) throw new Error('access token refused');
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = (await response.json()) as StatusPayload;
  if (body?.name !== 'turnout') throw new Error('not a Turnout proxy');
  return body;
}

/** Reads and discards Claude Code's JSON on stdin, without waiting when there is none. */
async function drainStdin(stdin: NodeJS.ReadStream, waitMs = 200): Promise<void> {
  if (stdin.isTTY) return;
  await new Promise<void>((done) => {
    const timer = setTimeout(finish, waitMs);
    function finish() {
      clearTimeout(timer);
      stdin.off('end', finish);
      stdin.off('error', finish);
      stdin.pause();
      done();
    }
    stdin.on('data', () => undefined);
    stdin.once('end', finish);
    stdin.once('error', finish);
  });
}

/** Prints the line; always exits 0 (Claude Code shows whatever a failing command printed). */
export async function runStatusLine(
  env: Env = process.env,
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  stdin: NodeJS.ReadStream | null = process.stdin,
): Promise<void> {
  const [status] = await Promise.allSettled([
    fetchStatus(env),
    stdin ? drainStdin(stdin) : Promise.resolve(),
  ]);
  if (status.status === 'fulfilled') {
    out(formatStatusLine(status.value));
    return;
  }
  const reason = (status.reason as Error)?.message ?? '';
  const refused = /token/.test(reason) ? ` (${reason})` : '';
  out(`⇄ Turnout proxy not running at ${proxyUrl(env)}${refused}`);
}
