/**
 * The controller owns settings, keys, the proxy and the request log. Both entry points (the
 * Electron shell and headless mode) drive Turnout only through it. Every change produces a
 * new immutable proxy snapshot, so switching provider applies to the next request without a
 * restart while requests in flight finish where they started.
 */
import {
  API_STYLES,
  isApiStyle,
  PROVIDER_ID_PATTERN,
  defaultProviderSettings,
  isLoopbackHost,
  normalizeModelRules,
  validateBaseUrl,
  validatePort,
  validateSettings,
  type ProviderSettings,
  type RouteRules,
  type RoutingProfile,
  type Settings,
} from '../../shared/config';
import type { AppState, ProviderView, ProxyStatus } from '../../shared/appState';
import type { ProfileSpec } from '../../shared/ipc';
import type { ApiStatus, UsageReport } from '../../shared/usage';
import type { ModelPrice } from '../../shared/providers/prices';
import { builtinProvider } from '../../shared/providerCatalog';
import { RequestLog } from '../proxy/requestLog';
import { ProviderHealth, type HealthListener } from '../proxy/routing';
import { createProxyServer, type ProxyServer } from '../proxy/server';
import { buildSnapshot, providerEntries, type KeyHelpStyle, type ProxySnapshot } from '../proxy/snapshot';
import type { UsageApi } from '../proxy/routes/api';
import { UsageTracker } from '../usage/usageTracker';
import type { UsageStore } from '../usage/usageStore';
import type { SecretVault } from './secretVault';
import type { SettingsStore } from './settingsStore';
import { listenErrorMessage } from './listenError';
import { UserError } from './userError';

export interface ControllerOptions {
  settingsStore: SettingsStore;
  vault: SecretVault;
  /** How a missing key is explained to clients. */
  keyHelp: KeyHelpStyle;
  /**
   * The local access token clients present when one is required: the token, or a function that
   * makes it when first needed (the desktop app creates and stores one only then), or null.
   */
  accessToken?: string | null | (() => string | null);
  version: string;
  /** For platform-specific advice in error messages; defaults to this process's platform. */
  platform?: NodeJS.Platform;
  logCapacity?: number;
  /** The clock provider health reads (tests walk the breaker's cool-off with a fake one). */
  now?: () => number;
  /** The usage history; null or absent when it is off. */
  usageStore?: UsageStore | null;
}

export type StateListener = (state: AppState) => void;

/** A new profile's rules start off (empty targets), keeping the global threshold. */
function defaultRulesOff(): Omit<RouteRules, 'longContextThreshold'> {
  return { background: '', think: '', longContext: '', image: '', webSearch: '' };
}

export class TurnoutController {
  readonly log: RequestLog;
  /** One circuit breaker per provider, fed by every upstream attempt. */
  readonly health: ProviderHealth;
  readonly usage: UsageTracker;
  private settings: Settings;
  private snapshot!: ProxySnapshot;
  private proxyStatus: ProxyStatus = { state: 'stopped' };
  private server: ProxyServer | null = null;
  private readonly listeners = new Set<StateListener>();
  private readonly notices: string[];
  private readonly tokenSource: () => string | null;
  private token: string | null | undefined;

  constructor(private readonly options: ControllerOptions) {
    const loaded = options.settingsStore.load();
    this.settings = loaded.settings;
    this.notices = [...loaded.notices];
    for (const id of options.vault.unreadable) {
      this.notices.push(`The stored key for ${id} could not be decrypted; enter it again in Settings.`);
    }
    const source = options.accessToken;
    this.tokenSource = typeof source === 'function' ? source : () => source ?? null;
    this.log = new RequestLog(options.logCapacity);
    this.health = new ProviderHealth(options.now);
    this.health.subscribe(() => this.emit());
    this.usage = new UsageTracker(options.usageStore ?? null, this.log);
    this.notices.push(...(options.usageStore?.notices ?? []));
    this.applyUsageSettings();
    this.rebuildSnapshot();
  }

  /** Health changes of one provider (down, probing, recovered), for notifications. */
  onHealthChange(listener: HealthListener): () => void {
    return this.health.subscribe(listener);
  }

  // ---- reading -------------------------------------------------------------------------

  getSnapshot = (): ProxySnapshot => this.snapshot;

  getSettings(): Settings {
    return structuredClone(this.settings);
  }

  getState(): AppState {
    const host = this.settings.host;
    const shownHost =
      host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    return {
      settings: this.getSettings(),
      providers: this.providerViews(),
      proxy: this.proxyStatus,
      baseUrl: `http://${shownHost}:${this.listeningPort ?? this.settings.port}`,
      notices: [...this.notices],
      keyStorage: this.options.vault.storage,
      accessTokenRequired: this.snapshot.accessToken !== null,
      health: providerEntries(this.settings).map((entry) => this.health.status(entry.id)),
    };
  }

  /** The token clients must send, for export lines; null when none is required. */
  getAccessToken(): string | null {
    return this.snapshot.accessToken;
  }

  subscribe(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- proxy lifecycle -----------------------------------------------------------------

  /** Starts listening. Never throws: a failure becomes the proxy status, for the tray to show. */
  async start(): Promise<ProxyStatus> {
    await this.stopServer();
    const refusal = this.accessRefusal();
    if (refusal) {
      this.setStatus({ state: 'error', message: refusal, code: 'ACCESS_TOKEN_REQUIRED' });
      return this.proxyStatus;
    }
    this.setStatus({ state: 'starting' });
    const server = createProxyServer({
      getSnapshot: this.getSnapshot,
      log: this.log,
      version: this.options.version,
      health: this.health,
      api: this.usageApi,
    });
    try {
      const address = await server.listen(this.settings.host, this.settings.port);
      this.server = server;
      this.setStatus({
        state: this.settings.paused ? 'paused' : 'running',
        host: this.settings.host,
        port: address.port,
      });
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      const message = listenErrorMessage(
        error as NodeJS.ErrnoException,
        this.settings.host,
        this.settings.port,
        this.options.platform,
      );
      this.setStatus({ state: 'error', message, code });
    }
    return this.proxyStatus;
  }

  /**
   * Stops the proxy. With `deadlineMs` (quitting), requests still running then are cut instead
   * of holding the process open for as long as a stream lasts.
   */
  async stop(options: { deadlineMs?: number } = {}): Promise<void> {
    await this.stopServer(options);
    this.setStatus({ state: 'stopped' });
  }

  /** Stops the proxy and writes what the usage store still holds (quit). */
  async shutdown(options: { deadlineMs?: number } = {}): Promise<void> {
    await this.stop(options);
    await this.usage.close();
  }

  // ---- usage ---------------------------------------------------------------------------

  async getUsageReport(from: number, to: number): Promise<UsageReport> {
    if (!Number.isFinite(from) || !Number.isFinite(to) || from > to) {
      throw new UserError('Choose a start date before the end date.', 'range');
    }
    return this.usage.report(from, to);
  }

  /** What `GET /api/status` and the status line show. */
  async getApiStatus(): Promise<ApiStatus> {
    const active = this.settings.activeProvider;
    const entry = providerEntries(this.settings).find((p) => p.id === active);
    return {
      name: 'turnout',
      version: this.options.version,
      proxy: this.proxyStatus.state,
      activeProvider: active,
      activeProviderLabel: entry?.label ?? active,
      profile: null,
      health: this.settings.paused ? 'paused' : 'ok',
      usageEnabled: this.usage.enabled,
      today: await this.usage.today(),
      last: await this.usage.last(),
    };
  }

  setUsageRetention(days: number): void {
    this.commit({ ...this.settings, usage: { ...this.settings.usage, retentionDays: days } });
  }

  /** Sets (or, with null, removes) the user's price for an upstream model. */
  setModelPrice(model: string, price: ModelPrice | null): void {
    const id = String(model ?? '').trim();
    if (!id) throw new UserError('Name the model the price is for.', 'usage.prices');
    const { [id]: _old, ...rest } = this.settings.usage.prices;
    // Only the four amounts are kept, whatever else the caller sent.
    const clean = price && {
      input: price.input,
      output: price.output,
      ...(price.cacheRead !== undefined && { cacheRead: price.cacheRead }),
      ...(price.cacheWrite !== undefined && { cacheWrite: price.cacheWrite }),
    };
    const prices = clean ? { ...rest, [id]: clean } : rest;
    this.commit({ ...this.settings, usage: { ...this.settings.usage, prices } });
  }

  private readonly usageApi: UsageApi = {
    summary: (query) => this.usage.summary(query),
    status: () => this.getApiStatus(),
  };

  private applyUsageSettings(): void {
    this.usage.setPrices(this.settings.usage.prices);
    this.usage.setRetentionDays(this.settings.usage.retentionDays);
  }

  /** The port the proxy actually listens on (differs from settings when port 0 was asked). */
  get listeningPort(): number | null {
    return this.proxyStatus.state === 'running' || this.proxyStatus.state === 'paused'
      ? this.proxyStatus.port
      : null;
  }

  // ---- changes -------------------------------------------------------------------------

  setActiveProvider(id: string): void {
    if (!this.settings.providers[id]) throw new UserError(`Unknown provider "${id}".`, 'activeProvider');
    this.commit({ ...this.settings, activeProvider: id });
  }

  updateProvider(id: string, patch: Partial<ProviderSettings>): void {
    const current = this.settings.providers[id];
    if (!current) throw new UserError(`Unknown provider "${id}".`, 'provider');
    const next: ProviderSettings = { ...current };
    for (const key of ['baseUrl', 'bigModel', 'smallModel', 'opusModel'] as const) {
      const value = patch[key];
      if (value === undefined) continue;
      if (typeof value !== 'string') throw new UserError(`${key} must be text.`, `providers.${id}.${key}`);
      next[key] = value.trim();
    }
    if (patch.apiStyle !== undefined) {
      if (!isApiStyle(patch.apiStyle)) {
        throw new UserError(`apiStyle must be one of ${API_STYLES.join(', ')}.`, `providers.${id}.apiStyle`);
      }
      // `auto` is the default and is stored as no value.
      if (patch.apiStyle === 'auto') delete next.apiStyle;
      else next.apiStyle = patch.apiStyle;
    }
    const urlError = validateBaseUrl(next.baseUrl);
    if (urlError) throw new UserError(urlError, `providers.${id}.baseUrl`);
    if (patch.modelRules !== undefined) {
      const { rules, problems } = normalizeModelRules(patch.modelRules);
      if (problems.length > 0) throw new UserError(problems.join('; '), `providers.${id}.modelRules`);
      if (rules.length > 0) next.modelRules = rules;
      else delete next.modelRules;
    }
    this.commit({ ...this.settings, providers: { ...this.settings.providers, [id]: next } });
    if (next.baseUrl !== current.baseUrl) this.health.reset(id);
  }

  // ---- routing -------------------------------------------------------------------------

  /** The providers tried, in order, after the active one fails before answering. */
  setFallbackProviders(ids: string[]): void {
    const chain = [
      ...new Set((Array.isArray(ids) ? ids : []).map((id) => String(id).trim()).filter(Boolean)),
    ];
    this.commit({ ...this.settings, fallbackProviders: chain });
  }

  setRules(patch: Partial<RouteRules>): void {
    const rules = { ...this.settings.rules };
    for (const [key, value] of Object.entries(patch ?? {})) {
      if (!(key in rules)) continue;
      if (key === 'longContextThreshold') rules.longContextThreshold = Number(value);
      else (rules as unknown as Record<string, string>)[key] = String(value ?? '').trim();
    }
    this.commit({ ...this.settings, rules });
  }

  /**
   * Creates or replaces the profile with this name. Its rules start off (each target empty,
   * the global threshold) unless given.
   */
  saveProfile(profile: ProfileSpec): void {
    const name = String(profile?.name ?? '').trim();
    const next: RoutingProfile = {
      name,
      provider: String(profile.provider ?? ''),
      bigModel: String(profile.bigModel ?? '').trim(),
      smallModel: String(profile.smallModel ?? '').trim(),
      opusModel: String(profile.opusModel ?? '').trim(),
      rules: { ...this.settings.rules, ...defaultRulesOff(), ...(profile.rules ?? {}) },
      fallbackProviders: Array.isArray(profile.fallbackProviders) ? [...profile.fallbackProviders] : [],
    };
    const others = this.settings.profiles.filter((p) => p.name !== name);
    this.commit({ ...this.settings, profiles: [...others, next] });
  }

  removeProfile(name: string): void {
    this.commit({ ...this.settings, profiles: this.settings.profiles.filter((p) => p.name !== name) });
  }

  async setKey(id: string, key: string): Promise<void> {
    if (!this.settings.providers[id]) throw new UserError(`Unknown provider "${id}".`, 'provider');
    const trimmed = typeof key === 'string' ? key.trim() : '';
    if (!trimmed) throw new UserError('The key is empty.', `providers.${id}.key`);
    if (/\s/.test(trimmed)) throw new UserError('A key has no spaces or line breaks.', `providers.${id}.key`);
    await this.options.vault.set(id, trimmed);
    this.health.reset(id);
    this.rebuildSnapshot();
    this.emit();
  }

  async removeKey(id: string): Promise<void> {
    await this.options.vault.remove(id);
    this.rebuildSnapshot();
    this.emit();
  }

  addCustomProvider(spec: {
    id: string;
    label?: string;
    baseUrl: string;
    kind?: 'openai-compatible' | 'anthropic';
  }): void {
    const id = String(spec.id ?? '').trim();
    if (!PROVIDER_ID_PATTERN.test(id)) {
      throw new UserError(
        'Use 1-32 lower-case letters, digits or dashes, starting with a letter.',
        'customProvider.id',
      );
    }
    if (this.settings.providers[id])
      throw new UserError(`A provider named "${id}" already exists.`, 'customProvider.id');
    const urlError = validateBaseUrl(spec.baseUrl);
    if (urlError) throw new UserError(urlError, 'customProvider.baseUrl');
    const label = (spec.label ?? '').trim() || id;
    this.commit({
      ...this.settings,
      customProviders: [
        ...this.settings.customProviders,
        { id, label, ...(spec.kind === 'anthropic' ? { kind: 'anthropic' as const } : {}) },
      ],
      providers: {
        ...this.settings.providers,
        [id]: { ...defaultProviderSettings(id), baseUrl: spec.baseUrl.trim() },
      },
    });
  }

  async removeCustomProvider(id: string): Promise<void> {
    if (builtinProvider(id)) throw new UserError('Built-in providers cannot be removed.', 'provider');
    if (!this.settings.customProviders.some((c) => c.id === id)) {
      throw new UserError(`Unknown provider "${id}".`, 'provider');
    }
    const { [id]: _removed, ...providers } = this.settings.providers;
    await this.options.vault.remove(id);
    this.commit({
      ...this.settings,
      providers,
      customProviders: this.settings.customProviders.filter((c) => c.id !== id),
      activeProvider: this.settings.activeProvider === id ? 'openai' : this.settings.activeProvider,
    });
  }

  /** Changes where the proxy listens and restarts the listener there. */
  async setListenAddress(host: string, port: number): Promise<ProxyStatus> {
    const portError = validatePort(port);
    if (portError) throw new UserError(portError, 'port');
    const trimmedHost = String(host ?? '').trim();
    if (!trimmedHost) throw new UserError('A bind address is required.', 'host');
    const next = { ...this.settings, host: trimmedHost, port };
    if (!isLoopbackHost(trimmedHost) && !this.accessToken()) {
      throw new UserError('Listening beyond this machine needs an access token.', 'host');
    }
    this.commit(next);
    return this.start();
  }

  setRequireAccessToken(required: boolean): void {
    this.commit({ ...this.settings, requireAccessToken: required });
  }

  /** Context scaling (proxy/contextWindow.ts): applies from the next request. */
  setContextScaling(enabled: boolean): void {
    this.commit({ ...this.settings, contextScaling: enabled });
  }

  setPaused(paused: boolean): void {
    this.commit({ ...this.settings, paused });
    if (this.proxyStatus.state === 'running' || this.proxyStatus.state === 'paused') {
      this.setStatus({ ...this.proxyStatus, state: paused ? 'paused' : 'running' });
    }
  }

  setStartAtLogin(enabled: boolean): void {
    this.commit({ ...this.settings, startAtLogin: enabled });
  }

  /** Replace settings wholesale (import); validated first, nothing saved on error. */
  replaceSettings(settings: Settings): void {
    this.commit(settings);
  }

  // ---- internals -----------------------------------------------------------------------

  private commit(next: Settings): void {
    const errors = validateSettings(next);
    if (errors.length > 0) throw new UserError(errors[0].message, errors[0].field);
    this.options.settingsStore.save(next);
    this.settings = next;
    this.applyUsageSettings();
    this.rebuildSnapshot();
    this.emit();
  }

  /**
   * Why the proxy must not listen as configured: beyond loopback (or with the token required)
   * but with no token to check, it would serve anyone who can reach it. Null when it may.
   */
  private accessRefusal(): string | null {
    const { host } = this.settings;
    if (isLoopbackHost(host) && !this.settings.requireAccessToken) return null;
    if (this.accessToken()) return null;
    const fix =
      this.options.keyHelp === 'env'
        ? 'set TURNOUT_ACCESS_TOKEN (e.g. to the output of `openssl rand -hex 24`)'
        : 'create an access token in Settings';
    if (!isLoopbackHost(host)) {
      return `Refusing to listen on ${host}: other machines could use your API keys; ${fix}, or listen on 127.0.0.1.`;
    }
    if (this.settings.requireAccessToken) return `An access token is required but none is set; ${fix}.`;
    return null;
  }

  /** The token, made on first use: a loopback-only proxy without a required token never needs one. */
  private accessToken(): string | null {
    if (this.token === undefined) this.token = this.tokenSource();
    return this.token;
  }

  private rebuildSnapshot(): void {
    const required = this.settings.requireAccessToken || !isLoopbackHost(this.settings.host);
    this.snapshot = buildSnapshot(this.settings, (id) => this.options.vault.get(id), {
      accessToken: required ? this.accessToken() : null,
      keyHelp: this.options.keyHelp,
    });
  }

  private providerViews(): ProviderView[] {
    return providerEntries(this.settings).map((entry) => {
      const key = this.options.vault.get(entry.id);
      const keySet = Boolean(key);
      return {
        id: entry.id,
        label: entry.label,
        kind: entry.kind,
        custom: !builtinProvider(entry.id),
        settings: { ...this.settings.providers[entry.id] },
        keySet,
        keyHint: key && key.length >= 8 ? key.slice(-4) : null,
        keyOptional: entry.keyOptional,
        keyEnv: entry.keyEnv,
        unavailableReason: keySet || entry.keyOptional ? null : 'no API key',
      };
    });
  }

  private setStatus(status: ProxyStatus): void {
    this.proxyStatus = status;
    this.emit();
  }

  private emit(): void {
    if (this.listeners.size === 0) return;
    const state = this.getState();
    for (const listener of this.listeners) {
      try {
        listener(state);
      } catch {
        // A broken listener (e.g. a closed window) must not break a settings change.
      }
    }
  }

  private async stopServer(options: { deadlineMs?: number } = {}): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await server.close(options);
  }
}
