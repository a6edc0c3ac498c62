/**
 * Connects the request log to the usage store: every finished record is queued for the store
 * (the store batches the writes), the live log starts with the store's newest records, and
 * costs use the price table with the user's overrides. With no store (TURNOUT_USAGE=off, or a
 * file that could not be opened) everything still works and reports usage as unavailable.
 */
import { costOf, findPrice, type PriceOverrides } from '../../shared/providers/prices';
import {
  startOfDay,
  type LastRequest,
  type UsageQuery,
  type UsageReport,
  type UsageSummary,
  type UsageTotals,
} from '../../shared/usage';
import type { RequestLog } from '../proxy/requestLog';
import { usageReport } from './usageReport';
import type { UsageStore } from './usageStore';

export class UsageTracker {
  private prices: PriceOverrides = {};
  private pricesLoaded = false;
  private readonly unsubscribe: () => void;

  constructor(
    readonly store: UsageStore | null,
    log: RequestLog,
  ) {
    store?.setCostLookup((provider, model, tokens) =>
      costOf(tokens, findPrice(provider, model, this.prices)),
    );
    if (store) {
      try {
        log.seed(store.recent(log.capacity));
      } catch {
        // An unreadable history must not stop the proxy; the log just starts empty.
      }
    }
    this.unsubscribe = log.subscribe((record, kind) => {
      if (kind === 'updated' && record.state !== 'pending' && record.state !== 'streaming') {
        store?.record(record);
      }
    });
  }

  get enabled(): boolean {
    return this.store !== null;
  }

  /**
   * The user's prices. A model whose price was set, changed or removed is priced again in the
   * history too (a price added for a local model covers its past requests); the first call, at
   * start, only takes them.
   */
  setPrices(prices: PriceOverrides): void {
    const before = this.prices;
    this.prices = prices;
    if (!this.pricesLoaded) {
      this.pricesLoaded = true;
      return;
    }
    for (const model of new Set([...Object.keys(before), ...Object.keys(prices)])) {
      if (JSON.stringify(before[model]) === JSON.stringify(prices[model])) continue;
      const source = Object.hasOwn(prices, model) ? 'override' : 'price-table';
      void this.store?.reprice(
        model,
        (provider) => findPrice(provider ?? undefined, model, this.prices),
        source,
      );
    }
  }

  setRetentionDays(days: number): void {
    void this.store?.setRetentionDays(days);
  }

  /** Reads wait for the requests finished so far to be written, so totals include them. */
  async summary(query: UsageQuery): Promise<UsageSummary | null> {
    if (!this.store) return null;
    await this.store.flush();
    return this.store.summary(query);
  }

  async report(from: number, to: number): Promise<UsageReport> {
    await this.store?.flush();
    return usageReport(this.store, from, to);
  }

  /** Totals since local midnight; null when usage is off. */
  async today(now = Date.now()): Promise<UsageTotals | null> {
    await this.store?.flush();
    return this.todayWritten(now);
  }

  /**
   * Today's totals as written so far, without waiting (at most a second behind): for the tray,
   * which rebuilds synchronously and is told by `onWritten` when a batch lands.
   */
  todayWritten(now = Date.now()): UsageTotals | null {
    return this.store?.summary({ from: startOfDay(now), to: now + 1, groupBy: [] }).totals ?? null;
  }

  onWritten(listener: () => void): () => void {
    return this.store?.onWritten(listener) ?? (() => undefined);
  }

  async last(): Promise<LastRequest | null> {
    await this.store?.flush();
    return this.store?.last() ?? null;
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.store?.close();
  }
}
