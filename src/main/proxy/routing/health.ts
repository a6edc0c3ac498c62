/**
 * Provider health: one circuit breaker per provider, fed by the outcome of every upstream
 * attempt.
 *  - closed: requests flow. After FAILURE_THRESHOLD consecutive failover-worthy failures
 *    (connect errors, timeouts, 408, 429, 402, 5xx, 529) it opens.
 *  - open: the routing step skips the provider for a cool-off of 30 s, doubling after each
 *    failed probe up to 5 min.
 *  - half-open: once the cool-off has passed, exactly one real request is let through as the
 *    probe; success closes the breaker, failure re-opens it with a longer cool-off.
 * 401/403 do not open the breaker (retrying elsewhere would not fix a key); they mark the
 * provider "needs attention" until a request succeeds or its key changes.
 * The clock is injectable so tests can walk the cycle without waiting.
 */

export const FAILURE_THRESHOLD = 3;
export const BASE_COOLOFF_MS = 30_000;
export const MAX_COOLOFF_MS = 5 * 60_000;

import type { ProviderHealthView } from '../../../shared/appState';
import type { FailoverDecision } from './failover';

export type HealthState = ProviderHealthView['state'];
export type ProviderHealthStatus = ProviderHealthView;

/** The read-only view the routing step needs. */
export interface HealthView {
  /** True while the provider is cooling off (or its one probe is in flight). */
  isOpen(id: string): boolean;
}

interface Breaker {
  failures: number;
  /** Set while open: when the cool-off ends. */
  openUntil: number | null;
  cooloffMs: number;
  probeInFlight: boolean;
  attention: boolean;
  lastError?: string;
  lastErrorAt?: number;
}

export type HealthListener = (change: { id: string; before: HealthState; after: HealthState }) => void;

export class ProviderHealth implements HealthView {
  private readonly breakers = new Map<string, Breaker>();
  private readonly listeners = new Set<HealthListener>();

  constructor(private readonly now: () => number = Date.now) {}

  isOpen(id: string): boolean {
    const b = this.breakers.get(id);
    if (!b || b.openUntil === null) return false;
    return b.probeInFlight || this.now() < b.openUntil;
  }

  /**
   * May a request go to this provider now? Closed: yes. Open and cooled off: yes for exactly
   * one caller, which becomes the probe. Call `success`, `failure` or `release` afterwards.
   */
  admit(id: string): boolean {
    const b = this.breakers.get(id);
    if (!b || b.openUntil === null) return true;
    if (b.probeInFlight || this.now() < b.openUntil) return false;
    b.probeInFlight = true;
    this.changed(id, 'down', 'probing');
    return true;
  }

  success(id: string): void {
    const b = this.breakers.get(id);
    if (!b) return;
    const before = this.stateOf(b);
    this.breakers.delete(id);
    this.changed(id, before, 'ok');
  }

  /** `exhausted`: a spent quota, which no retry cures soon; the breaker opens at once. */
  failure(id: string, message: string, exhausted = false): void {
    const b = this.breaker(id);
    const before = this.stateOf(b);
    b.failures += 1;
    b.lastError = message;
    b.lastErrorAt = this.now();
    if (b.probeInFlight) {
      // The probe failed: open again, for longer.
      b.probeInFlight = false;
      b.cooloffMs = Math.min(b.cooloffMs * 2, MAX_COOLOFF_MS);
      b.openUntil = this.now() + b.cooloffMs;
    } else if (b.openUntil === null && (exhausted || b.failures >= FAILURE_THRESHOLD)) {
      b.cooloffMs = BASE_COOLOFF_MS;
      b.openUntil = this.now() + b.cooloffMs;
    }
    this.changed(id, before, this.stateOf(b));
  }

  /** 401/403: the provider refuses its key; shown until a success or a key change. */
  needsAttention(id: string, message: string): void {
    const b = this.breaker(id);
    const before = this.stateOf(b);
    b.attention = true;
    b.probeInFlight = false;
    b.lastError = message;
    b.lastErrorAt = this.now();
    this.changed(id, before, this.stateOf(b));
  }

  /**
   * An attempt's failure as the failover policy judged it: `next` counts against the breaker
   * (at once when the quota is spent), `attention` flags the key, anything else says nothing
   * about the provider.
   */
  report(id: string, decision: FailoverDecision, message: string, exhausted = false): void {
    if (decision === 'next') this.failure(id, message, exhausted);
    else if (decision === 'attention') this.needsAttention(id, message);
    else this.release(id);
  }

  /** The attempt ended without telling anything about the provider (client left, a 400). */
  release(id: string): void {
    const b = this.breakers.get(id);
    if (b?.probeInFlight) {
      b.probeInFlight = false;
      this.changed(id, 'probing', this.stateOf(b));
    }
  }

  /** Forget what is known (the key or URL changed). */
  reset(id: string): void {
    const b = this.breakers.get(id);
    if (!b) return;
    const before = this.stateOf(b);
    this.breakers.delete(id);
    this.changed(id, before, 'ok');
  }

  status(id: string): ProviderHealthStatus {
    const b = this.breakers.get(id);
    if (!b) return { id, state: 'ok', consecutiveFailures: 0 };
    return {
      id,
      state: this.stateOf(b),
      consecutiveFailures: b.failures,
      lastError: b.lastError,
      lastErrorAt: b.lastErrorAt,
      retryAt: b.openUntil ?? undefined,
    };
  }

  subscribe(listener: HealthListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private breaker(id: string): Breaker {
    let b = this.breakers.get(id);
    if (!b) {
      b = {
        failures: 0,
        openUntil: null,
        cooloffMs: BASE_COOLOFF_MS,
        probeInFlight: false,
        attention: false,
      };
      this.breakers.set(id, b);
    }
    return b;
  }

  private stateOf(b: Breaker): HealthState {
    if (b.probeInFlight) return 'probing';
    if (b.openUntil !== null) return 'down';
    if (b.attention) return 'attention';
    return 'ok';
  }

  private changed(id: string, before: HealthState, after: HealthState): void {
    if (before === after) return;
    for (const listener of this.listeners) {
      try {
        listener({ id, before, after });
      } catch {
        // A broken listener must not break the request that reported the outcome.
      }
    }
  }
}
