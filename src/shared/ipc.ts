/**
 * The IPC contract: every channel between the main process and the renderers, with its payload
 * types, in one object. The preload builds `window.turnout` from it (one method per entry),
 * the main process registers one handler per invoke entry, and the types of both sides are
 * derived from it, so a channel cannot be renamed or retyped on one side only.
 *
 * Failures cross IPC as values (`IpcResult`) because Electron keeps only an error's message when
 * it crosses the bridge; the renderer's api wrapper turns them back into thrown errors.
 */
import type { AppState } from './appState';
import type { ProviderSettings, RouteRules, RoutingProfile } from './config';
import type { ModelPrice } from './providers/prices';
import type { RequestRecord } from './requestRecord';
import type { UsageReport } from './usage';

/** A renderer → main call that returns a value. The type parameters exist only for inference. */
export interface InvokeChannel<Args extends unknown[], Result> {
  readonly kind: 'invoke';
  readonly channel: string;
  readonly _types?: { args: Args; result: Result };
}

/** A main → renderer notification. */
export interface EventChannel<Payload> {
  readonly kind: 'event';
  readonly channel: string;
  readonly _types?: { payload: Payload };
}

const invoke = <Args extends unknown[], Result>(channel: string): InvokeChannel<Args, Result> => ({
  kind: 'invoke',
  channel,
});
const event = <Payload>(channel: string): EventChannel<Payload> => ({ kind: 'event', channel });

export type ModelSlot = 'bigModel' | 'smallModel' | 'opusModel';
export type ShellKind = 'posix' | 'fish' | 'powershell' | 'cmd';

export interface ModelListResult {
  providerId: string;
  models: string[];
  /** Why the list could not be fetched (no key, upstream error); the models are then empty. */
  error: string | null;
  fetchedAt: number | null;
}

export interface ProviderCheckResult {
  ok: boolean;
  /** Round-trip time of the test call. */
  latencyMs: number;
  model: string;
  /** The upstream's own error message, with any key redacted. */
  error: string | null;
  status: number | null;
}

export interface EnvImportResult {
  /** Where the values came from: a file path or "environment". */
  source: string;
  /** Names of the variables that were applied (never their values). */
  applied: string[];
  /** Provider ids whose keys were imported. */
  keys: string[];
  warnings: string[];
}

export interface ClaudeOverride {
  name: string;
  /** The value, or "(set)" for tokens and keys, which are never shown. */
  shown: string;
  /** Whether it already points Claude Code at Turnout. */
  matches: boolean;
}

export interface ClaudeSettingsReport {
  path: string;
  exists: boolean;
  /** The file could not be read as JSON; nothing will be written to it. */
  parseError: string | null;
  overrides: ClaudeOverride[];
  /** True when the env block would stop Claude Code from using Turnout. */
  conflicts: boolean;
}

export interface ClaudeSettingsWriteResult {
  path: string;
  /** Where the previous file was copied, or null when there was none. */
  backupPath: string | null;
  written: string[];
}

export interface LogSnapshot {
  records: RequestRecord[];
  capacity: number;
}

/** Changes to the log since the last batch; `cleared` means "drop what you had first". */
export interface LogBatch {
  cleared: boolean;
  records: RequestRecord[];
}

/** A profile to save: its rules start off unless given. */
export type ProfileSpec = Omit<RoutingProfile, 'rules'> & { rules?: Partial<RouteRules> };

export interface PortSuggestion {
  host: string;
  port: number;
}

export const ipcContract = {
  getState: invoke<[], AppState>('state:get'),
  setActiveProvider: invoke<[providerId: string], void>('provider:set-active'),
  updateProvider: invoke<[providerId: string, patch: Partial<ProviderSettings>], void>('provider:update'),
  setKey: invoke<[providerId: string, key: string], void>('provider:set-key'),
  removeKey: invoke<[providerId: string], void>('provider:remove-key'),
  addCustomProvider: invoke<
    [spec: { id: string; label: string; baseUrl: string; kind?: 'openai-compatible' | 'anthropic' }],
    void
  >('provider:add-custom'),
  removeCustomProvider: invoke<[providerId: string], void>('provider:remove-custom'),
  listModels: invoke<[providerId: string, refresh?: boolean], ModelListResult>('provider:list-models'),
  testProvider: invoke<[providerId: string], ProviderCheckResult>('provider:test'),
  setListenAddress: invoke<[host: string, port: number], AppState>('proxy:set-address'),
  suggestPort: invoke<[], PortSuggestion>('proxy:suggest-port'),
  setPaused: invoke<[paused: boolean], void>('proxy:set-paused'),
  setRequireAccessToken: invoke<[required: boolean], void>('proxy:set-require-token'),
  setContextScaling: invoke<[enabled: boolean], void>('proxy:set-context-scaling'),
  setStartAtLogin: invoke<[enabled: boolean], void>('app:set-start-at-login'),
  importEnv: invoke<[source: 'file' | 'environment'], EnvImportResult | null>('settings:import-env'),
  inspectClaudeSettings: invoke<[], ClaudeSettingsReport>('claude:inspect'),
  writeClaudeSettings: invoke<[], ClaudeSettingsWriteResult>('claude:write'),
  copyExportLine: invoke<[shell: ShellKind], string>('clipboard:export-line'),
  setFallbackProviders: invoke<[providerIds: string[]], void>('routing:set-fallbacks'),
  setRules: invoke<[patch: Partial<RouteRules>], void>('routing:set-rules'),
  saveProfile: invoke<[profile: ProfileSpec], void>('routing:save-profile'),
  removeProfile: invoke<[name: string], void>('routing:remove-profile'),
  getLog: invoke<[], LogSnapshot>('log:get'),
  clearLog: invoke<[], void>('log:clear'),
  openLogWindow: invoke<[recordId?: string], void>('window:open-log'),
  openSettingsWindow: invoke<[], void>('window:open-settings'),
  openUsageWindow: invoke<[], void>('window:open-usage'),
  /** Usage between two epoch-ms instants (from inclusive, to exclusive). */
  getUsage: invoke<[from: number, to: number], UsageReport>('usage:get'),
  /** Saves the range's per-day rows as CSV where the user chooses; null when cancelled. */
  exportUsageCsv: invoke<[from: number, to: number], string | null>('usage:export-csv'),
  setUsageRetention: invoke<[days: number], void>('usage:set-retention'),
  /** Sets the user's price for an upstream model, or removes it with null. */
  setModelPrice: invoke<[model: string, price: ModelPrice | null], void>('usage:set-price'),
  /** Sets Claude Code's `statusLine` to Turnout's status line command (with a backup). */
  writeClaudeStatusLine: invoke<[], ClaudeSettingsWriteResult>('claude:write-statusline'),

  onState: event<AppState>('state:changed'),
  onLog: event<LogBatch>('log:changed'),
  /** Asks the log window to select a record (a click on a recent request in the tray). */
  onFocusRecord: event<string>('log:focus-record'),
} as const;

export type IpcContract = typeof ipcContract;

export type InvokeName = {
  [K in keyof IpcContract]: IpcContract[K] extends InvokeChannel<unknown[], unknown> ? K : never;
}[keyof IpcContract];
export type EventName = Exclude<keyof IpcContract, InvokeName>;

export type InvokeArgs<K extends InvokeName> =
  IpcContract[K] extends InvokeChannel<infer A, unknown> ? A : never;
export type InvokeResult<K extends InvokeName> =
  IpcContract[K] extends InvokeChannel<infer _A, infer R> ? R : never;
export type EventPayload<K extends EventName> = IpcContract[K] extends EventChannel<infer P> ? P : never;

/** A failure as it crosses IPC: a user-fixable one names the form field it belongs to. */
export interface IpcErrorValue {
  message: string;
  /** 'user': the user can fix it (show next to `field`); 'internal': an unexpected failure. */
  kind: 'user' | 'internal';
  field?: string;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcErrorValue };

/** What the preload exposes as `window.turnout`: one method per contract entry. */
export type TurnoutBridge = {
  [K in InvokeName]: (...args: InvokeArgs<K>) => Promise<IpcResult<InvokeResult<K>>>;
} & {
  [K in EventName]: (listener: (payload: EventPayload<K>) => void) => () => void;
};

/** The same API after errors are rethrown (what renderer components use). */
export type TurnoutApi = {
  [K in InvokeName]: (...args: InvokeArgs<K>) => Promise<InvokeResult<K>>;
} & {
  [K in EventName]: (listener: (payload: EventPayload<K>) => void) => () => void;
};

export function isInvokeName(name: string): name is InvokeName {
  const entry = (ipcContract as Record<string, { kind: string }>)[name];
  return entry?.kind === 'invoke';
}
