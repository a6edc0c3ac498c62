/**
 * What the desktop shell and renderer see of the controller. Secrets never appear here: a key
 * is reduced to whether it is set and its last four characters.
 */
import type { ProviderSettings, Settings } from './config';

/** One provider's circuit breaker as Settings and the tray show it (times are epoch ms). */
export interface ProviderHealthView {
  id: string;
  /** ok; down (cooling off); probing (one request is testing it); attention (key refused). */
  state: 'ok' | 'down' | 'probing' | 'attention';
  consecutiveFailures: number;
  lastError?: string;
  lastErrorAt?: number;
  /** When a down provider gets its next probe. */
  retryAt?: number;
}

export interface ProviderView {
  id: string;
  label: string;
  kind: 'openai-compatible' | 'anthropic';
  custom: boolean;
  settings: ProviderSettings;
  keySet: boolean;
  /** Last four characters of the stored key, for "set · ••••abcd". */
  keyHint: string | null;
  keyOptional: boolean;
  /** Environment variable that holds this key in headless mode. */
  keyEnv: string;
  /** Why the provider cannot take requests now (e.g. "no API key"), or null. */
  unavailableReason: string | null;
}

export type ProxyStatus =
  | { state: 'starting' }
  | { state: 'running'; host: string; port: number }
  | { state: 'paused'; host: string; port: number }
  | { state: 'error'; message: string; code?: string }
  | { state: 'stopped' };

export interface AppState {
  settings: Settings;
  providers: ProviderView[];
  proxy: ProxyStatus;
  /** The base URL clients should use, e.g. http://127.0.0.1:8082. */
  baseUrl: string;
  /** Notes from start-up for the user (e.g. a corrupt settings file moved aside). */
  notices: string[];
  /**
   * "encrypted" (OS keychain), "obscured" (Linux basic_text), "memory" (headless, from the
   * environment) or "session" (desktop without a keychain that can encrypt: not saved).
   */
  keyStorage: 'encrypted' | 'obscured' | 'memory' | 'session';
  /** Whether an access token is required; the token itself is included only in export lines. */
  accessTokenRequired: boolean;
  /** Every provider's health, in the providers' order. */
  health: ProviderHealthView[];
}
