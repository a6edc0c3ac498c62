/**
 * Prices: the table as data (every row dated and sourced), overrides, reported costs, and
 * unknown prices staying unknown. Expected dollars are worked out by hand from the published
 * per-million prices, not read back from the table.
 */
import { describe, expect, it } from 'vitest';
import { providerCatalog } from '../../../src/shared/providerCatalog';
import { costOf, findPrice, priceTable, validatePrice } from '../../../src/shared/providers/prices';
import { formatCost } from '../../../src/shared/usage';
import { rowFromRecord } from '../../../src/main/usage/usageRow';
import type { RequestRecord } from '../../../src/shared/requestRecord';

const tokens = (input: number, output: number, cacheRead = 0, cacheWrite = 0) => ({
  inputTokens: input,
  outputTokens: output,
  cacheReadTokens: cacheRead,
  cacheWriteTokens: cacheWrite,
});

const record = (patch: Partial<RequestRecord>): RequestRecord => ({
  id: 'r',
  startedAt: 0,
  method: 'POST',
  path: '/v1/messages',
  state: 'done',
  ...patch,
});

const lookup = (provider?: string, model?: string, t = tokens(0, 0)) => costOf(t, findPrice(provider, model));

describe('price table', () => {
  it('has a dated, sourced price for every default model in the catalog', () => {
    for (const entry of providerCatalog) {
      for (const model of [entry.defaultBigModel, entry.defaultSmallModel].filter(Boolean)) {
        expect(findPrice(entry.id, model), `${entry.id} ${model}`).not.toBeNull();
      }
    }
    for (const row of priceTable) {
      expect(row.source).toMatch(/^https:\/\//);
      expect(row.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('prices gpt-5.1 as OpenAI publishes it: $1.25 in, $0.125 cached, $10 out per million', () => {
    expect(costOf(tokens(1_000_000, 1_000_000, 1_000_000), findPrice('openai', 'gpt-5.1'))).toBeCloseTo(
      11.375,
      10,
    );
  });

  it('matches dated snapshots by prefix, exact rows first, and only for the provider that sells them', () => {
    expect(findPrice('anthropic', 'claude-sonnet-4-5-20250929')?.output).toBe(15);
    expect(findPrice('anthropic', 'claude-haiku-4-5-20251001')?.input).toBe(1);
    expect(findPrice('openai', 'gpt-5')?.input).toBe(1.25);
    expect(findPrice('groq', 'gpt-5.1')).toBeNull();
  });

  it('bills cache reads and writes at the input price when the provider has no separate price', () => {
    // Groq gpt-oss-120b: $0.15 in, $0.60 out, no cache price.
    expect(costOf(tokens(0, 0, 1_000_000, 1_000_000), findPrice('groq', 'openai/gpt-oss-120b'))).toBeCloseTo(
      0.3,
      10,
    );
  });

  it('lets a user override win for any provider', () => {
    const price = findPrice('local', 'qwen3-coder', { 'qwen3-coder': { input: 0.2, output: 0.8 } });
    expect(costOf(tokens(500_000, 250_000), price)).toBeCloseTo(0.3, 10);
  });

  it('keeps an unknown price unknown: null cost, shown as "–", never $0', () => {
    expect(lookup('local', 'my-model', tokens(1000, 1000))).toBeNull();
    expect(formatCost(null)).toBe('–');
    const row = rowFromRecord(
      record({ provider: 'local', upstreamModel: 'my-model', inputTokens: 10 }),
      lookup,
    );
    expect(row.cost_usd).toBeNull();
    expect(row.cost_source).toBeNull();
  });

  it('uses the cost the provider reported over the table', () => {
    const row = rowFromRecord(
      record({ provider: 'openai', upstreamModel: 'gpt-5.1', inputTokens: 1_000_000, reportedCostUsd: 0.5 }),
      lookup,
    );
    expect(row).toMatchObject({ cost_usd: 0.5, cost_source: 'provider' });
    const free = rowFromRecord(record({ provider: 'x', upstreamModel: 'y', reportedCostUsd: 0 }), lookup);
    expect(free).toMatchObject({ cost_usd: 0, cost_source: 'provider' });
  });

  it('refuses override prices that are not amounts', () => {
    expect(validatePrice({ input: 1, output: 2 })).toBeNull();
    expect(validatePrice({ input: -1, output: 2 })).toMatch(/input/);
    expect(validatePrice({ input: 1 })).toMatch(/output/);
    expect(validatePrice({ input: 1, output: 2, cacheRead: 'cheap' })).toMatch(/cacheRead/);
  });
});
