/**
 * What tokens cost: a dated table of list prices in US dollars per million tokens for the
 * catalog's default models, each with the page it was read from. Data, not code: a provider's
 * price changes by editing its rows here.
 *
 * Rules the cost calculation follows (see `costOf`):
 * - a cost the provider reports itself (OpenRouter's `usage.cost`) wins over the table;
 * - a user's override for a model wins over the table;
 * - a model with no price has an unknown cost (null), never 0;
 * - cache reads and writes without their own price are billed at the input price (providers
 *   that do not discount cached tokens bill them as ordinary input).
 */

/** US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export interface PriceEntry extends ModelPrice {
  /** Provider id from the catalog. */
  provider: string;
  /** The upstream model id; a trailing `*` matches any suffix (dated snapshots). */
  model: string;
  /** The page the price was read from. */
  source: string;
  /** When it was read (YYYY-MM-DD). */
  asOf: string;
}

const OPENAI = 'https://openai.com/api/pricing/';
const GOOGLE = 'https://ai.google.dev/gemini-api/docs/pricing';
const GROQ = 'https://groq.com/pricing';
const MOONSHOT = 'https://platform.moonshot.ai/docs/pricing/chat';
const ANTHROPIC = 'https://docs.claude.com/en/docs/about-claude/pricing';

export const priceTable: readonly PriceEntry[] = [
  {
    provider: 'openai',
    model: 'gpt-5.1',
    input: 1.25,
    cacheRead: 0.125,
    output: 10,
    source: OPENAI,
    asOf: '2025-11-20',
  },
  {
    provider: 'openai',
    model: 'gpt-5',
    input: 1.25,
    cacheRead: 0.125,
    output: 10,
    source: OPENAI,
    asOf: '2025-11-20',
  },
  {
    provider: 'openai',
    model: 'gpt-5-mini',
    input: 0.25,
    cacheRead: 0.025,
    output: 2,
    source: OPENAI,
    asOf: '2025-11-20',
  },
  {
    provider: 'openai',
    model: 'gpt-5-nano',
    input: 0.05,
    cacheRead: 0.005,
    output: 0.4,
    source: OPENAI,
    asOf: '2025-11-20',
  },
  // Gemini 2.5 Pro: the price for prompts up to 200k tokens (longer prompts cost more).
  {
    provider: 'google',
    model: 'gemini-2.5-pro',
    input: 1.25,
    cacheRead: 0.125,
    output: 10,
    source: GOOGLE,
    asOf: '2025-11-20',
  },
  {
    provider: 'google',
    model: 'gemini-2.5-flash',
    input: 0.3,
    cacheRead: 0.03,
    output: 2.5,
    source: GOOGLE,
    asOf: '2025-11-20',
  },
  {
    provider: 'groq',
    model: 'openai/gpt-oss-120b',
    input: 0.15,
    output: 0.6,
    source: GROQ,
    asOf: '2025-11-20',
  },
  {
    provider: 'groq',
    model: 'openai/gpt-oss-20b',
    input: 0.075,
    output: 0.3,
    source: GROQ,
    asOf: '2025-11-20',
  },
  {
    provider: 'moonshot',
    model: 'kimi-k2-0905-preview',
    input: 0.6,
    cacheRead: 0.15,
    output: 2.5,
    source: MOONSHOT,
    asOf: '2025-11-20',
  },
  {
    provider: 'moonshot',
    model: 'kimi-k2-turbo-preview',
    input: 1.15,
    cacheRead: 0.15,
    output: 8,
    source: MOONSHOT,
    asOf: '2025-11-20',
  },
  // Anthropic: cache writes at the 5-minute TTL price (1.25× input), which Claude Code uses.
  {
    provider: 'anthropic',
    model: 'claude-opus-4-5*',
    input: 5,
    cacheRead: 0.5,
    cacheWrite: 6.25,
    output: 25,
    source: ANTHROPIC,
    asOf: '2025-11-24',
  },
  {
    provider: 'anthropic',
    model: 'claude-opus-4-1*',
    input: 15,
    cacheRead: 1.5,
    cacheWrite: 18.75,
    output: 75,
    source: ANTHROPIC,
    asOf: '2025-11-24',
  },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4-5*',
    input: 3,
    cacheRead: 0.3,
    cacheWrite: 3.75,
    output: 15,
    source: ANTHROPIC,
    asOf: '2025-11-24',
  },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4-*',
    input: 3,
    cacheRead: 0.3,
    cacheWrite: 3.75,
    output: 15,
    source: ANTHROPIC,
    asOf: '2025-11-24',
  },
  {
    provider: 'anthropic',
    model: 'claude-haiku-4-5*',
    input: 1,
    cacheRead: 0.1,
    cacheWrite: 1.25,
    output: 5,
    source: ANTHROPIC,
    asOf: '2025-11-24',
  },
];

/** User overrides, keyed by upstream model id; they apply whichever provider serves the model. */
export type PriceOverrides = Record<string, ModelPrice>;

function matches(pattern: string, model: string): boolean {
  return pattern.endsWith('*') ? model.startsWith(pattern.slice(0, -1)) : pattern === model;
}

/** The price for a model, or null when none is known. Exact rows win over patterns. */
export function findPrice(
  provider: string | undefined,
  model: string | undefined,
  overrides: PriceOverrides = {},
): ModelPrice | null {
  if (!model) return null;
  const override = Object.hasOwn(overrides, model) ? overrides[model] : undefined;
  if (override) return override;
  const rows = priceTable.filter((row) => row.provider === provider && matches(row.model, model));
  return rows.find((row) => row.model === model) ?? rows[0] ?? null;
}

export interface TokenCounts {
  /** Input tokens billed at the input price (cache reads and writes excluded). */
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** Dollars for these tokens at this price, or null when the price is unknown. */
export function costOf(tokens: TokenCounts, price: ModelPrice | null): number | null {
  if (!price) return null;
  const perToken = (perMillion: number) => perMillion / 1_000_000;
  return (
    tokens.inputTokens * perToken(price.input) +
    tokens.outputTokens * perToken(price.output) +
    tokens.cacheReadTokens * perToken(price.cacheRead ?? price.input) +
    tokens.cacheWriteTokens * perToken(price.cacheWrite ?? price.input)
  );
}

/** Checks a user's price override; returns an error message or null. */
export function validatePrice(price: unknown): string | null {
  if (!price || typeof price !== 'object') return 'A price needs input and output amounts.';
  const p = price as Record<string, unknown>;
  for (const key of ['input', 'output', 'cacheRead', 'cacheWrite']) {
    const value = p[key];
    if (value === undefined && (key === 'cacheRead' || key === 'cacheWrite')) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 10_000) {
      return `${key} must be a number of dollars per million tokens (0–10000).`;
    }
  }
  return null;
}
