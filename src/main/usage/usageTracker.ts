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

  setPrices(prices: PriceOverrides): void {
    this.prices = prices;
  }

  setRetentionDays(days: number): void {
    this.store?.setRetentionDays(days);
  }

  summary(query: UsageQuery): UsageSummary | null {
    if (!this.store) return null;
    this.store.flush();
    return this.store.summary(query);
  }

  report(from: number, to: number): UsageReport {
    this.store?.flush();
    return usageReport(this.store, from, to);
  }

  /** Totals since local midnight; null when usage is off. */
  today(now = Date.now()): UsageTotals | null {
    const summary = this.summary({ from: startOfDay(now), to: now + 1, groupBy: [] });
    return summary ? summary.totals : null;
  }

  last(): LastRequest | null {
    this.store?.flush();
    return this.store?.last() ?? null;
  }

  close(): void {
    this.unsubscribe();
    this.store?.close();
  }
}
