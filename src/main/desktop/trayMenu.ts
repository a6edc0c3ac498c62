/**
 * The tray menu as a pure function of state: buildTrayMenu turns the app state, the recent
 * requests and the cached model lists into a menu template whose clicks call TrayActions. The
 * Electron side (tray.ts) only turns the template into a Menu, so everything a user can do from
 * the tray is tested here without Electron.
 */
import type { AppState, ProviderView } from '../../shared/appState';
import type { ModelListResult, ModelSlot, ShellKind } from '../../shared/ipc';
import { recordSummary } from '../../shared/requestFormat';
import type { RequestRecord } from '../../shared/requestRecord';
import { formatCost, formatTokens, type UsageTotals } from '../../shared/usage';

/** The subset of Electron's MenuItemConstructorOptions the tray uses (assignable to it). */
export interface TrayMenuItem {
  id?: string;
  label?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  checked?: boolean;
  enabled?: boolean;
  toolTip?: string;
  submenu?: TrayMenuItem[];
  click?: () => void;
}

export interface TrayActions {
  setActiveProvider(providerId: string): void;
  setModel(providerId: string, slot: ModelSlot, model: string): void;
  refreshModels(providerId: string): void;
  copyExportLine(shell: ShellKind): void;
  copyClaudeCommand(): void;
  /** The export line whose base URL ends in /p/<name>: that terminal is pinned to it. */
  copyPinnedExportLine(name: string): void;
  openLog(recordId?: string): void;
  openSettings(): void;
  openUsage(): void;
  setPaused(paused: boolean): void;
  setStartAtLogin(enabled: boolean): void;
  quit(): void;
}

export interface TrayMenuInput {
  state: AppState;
  /** Newest first; at most RECENT_REQUESTS are shown. */
  recent: RequestRecord[];
  /** Cached /models results by provider id (undefined: not fetched yet). */
  models: Record<string, ModelListResult | undefined>;
  /** Today's usage totals; null or absent when the usage history is off. */
  today?: UsageTotals | null;
  /** Decides the shell of the first "copy export line" item; POSIX shells when not given. */
  platform?: NodeJS.Platform;
  /** Why "Start at login" cannot be offered (e.g. not the installed app), or null. */
  startAtLoginUnavailable?: string | null;
}

export const RECENT_REQUESTS = 10;
/** A menu taller than the screen is useless; the Settings window has the full list. */
export const MAX_MENU_MODELS = 40;

const separator: TrayMenuItem = { type: 'separator' };

export type TrayIconState = 'running' | 'paused' | 'error' | 'degraded';

export function trayIconState(state: AppState): TrayIconState {
  if (state.proxy.state === 'error') return 'error';
  if (state.proxy.state === 'paused' || state.proxy.state === 'stopped') return 'paused';
  return routeHealth(state) ? 'degraded' : 'running';
}

function clock(ms: number): string {
  return new Date(ms).toTimeString().slice(0, 8);
}

/**
 * What is wrong on the active route, in a few words, or null when all is well: the active
 * provider down (a fallback serves), failing (its last request went to a fallback), refusing
 * its key, or a fallback down.
 */
export function routeHealth(state: AppState): string | null {
  const label = (id: string) => state.providers.find((p) => p.id === id)?.label ?? id;
  const health = (id: string) => state.health?.find((h) => h.id === id);
  const activeId = state.settings.activeProvider;
  const active = health(activeId);
  const serving = state.settings.fallbackProviders.length > 0 ? ' · serving from a fallback' : '';
  if (active?.state === 'down' || active?.state === 'probing') {
    const retry = active.retryAt ? ` (retry ${clock(active.retryAt)})` : '';
    return `${label(activeId)} down${retry}${serving}`;
  }
  if (active?.state === 'attention')
    return `${label(activeId)} needs attention: ${active.lastError ?? 'key refused'}`;
  if (active && active.consecutiveFailures > 0 && serving) return `${label(activeId)} failing${serving}`;
  const downFallback = state.settings.fallbackProviders.find((id) => {
    const h = health(id);
    return h?.state === 'down' || h?.state === 'attention';
  });
  return downFallback ? `fallback ${label(downFallback)} down` : null;
}

function activeProvider(state: AppState): ProviderView | undefined {
  return state.providers.find((p) => p.id === state.settings.activeProvider);
}

export function statusLine(state: AppState): string {
  const label = activeProvider(state)?.label ?? state.settings.activeProvider;
  const { proxy } = state;
  switch (proxy.state) {
    case 'running': {
      const problem = routeHealth(state);
      return `Proxy on ${proxy.host}:${proxy.port} · ${label}${problem ? ` · ${problem}` : ''}`;
    }
    case 'paused':
      return `Paused · ${proxy.host}:${proxy.port} · ${label}`;
    case 'error':
      return proxy.message;
    case 'starting':
      return 'Starting proxy…';
    case 'stopped':
      return 'Proxy stopped';
  }
}

/** "today $1.23 · 45k tok", or null when there is nothing to say. */
export function todayLine(today: UsageTotals | null | undefined): string | null {
  if (!today || today.requests === 0) return null;
  const tokens = today.inputTokens + today.outputTokens + today.cacheReadTokens + today.cacheWriteTokens;
  const partly = today.costUsd !== null && today.unpricedRequests > 0 ? '+' : '';
  return `today ${formatCost(today.costUsd)}${partly} · ${formatTokens(tokens)} tok`;
}

export function trayTooltip(state: AppState): string {
  return `Turnout · ${statusLine(state)}`;
}

const SLOTS: { slot: ModelSlot; label: string }[] = [
  { slot: 'bigModel', label: 'Big (sonnet)' },
  { slot: 'smallModel', label: 'Small (haiku)' },
  { slot: 'opusModel', label: 'Opus' },
];

function modelSubmenu(
  provider: ProviderView,
  slot: ModelSlot,
  list: ModelListResult | undefined,
  actions: TrayActions,
): TrayMenuItem[] {
  const configured = provider.settings[slot];
  const items: TrayMenuItem[] = [];
  if (configured) {
    items.push({ label: configured, type: 'radio', checked: true, click: () => undefined });
  }
  const others = (list?.models ?? []).filter((m) => m !== configured);
  for (const model of others.slice(0, MAX_MENU_MODELS)) {
    items.push({
      label: model,
      type: 'radio',
      checked: false,
      click: () => actions.setModel(provider.id, slot, model),
    });
  }
  if (others.length > MAX_MENU_MODELS) {
    items.push({
      label: `${others.length - MAX_MENU_MODELS} more in Settings…`,
      click: () => actions.openSettings(),
    });
  }
  items.push(separator);
  if (!list) items.push({ label: 'Loading models…', enabled: false });
  else if (list.error) items.push({ label: `Could not list models: ${list.error}`, enabled: false });
  items.push({ label: 'Refresh model list', click: () => actions.refreshModels(provider.id) });
  return items;
}

function mappingItems(
  provider: ProviderView,
  models: TrayMenuInput['models'],
  actions: TrayActions,
): TrayMenuItem[] {
  const items: TrayMenuItem[] = [{ label: `Models for ${provider.label}`, enabled: false }];
  for (const { slot, label } of SLOTS) {
    const value = provider.settings[slot];
    // Opus falls back to the big model unless set, so an empty opus slot is not listed.
    if (slot === 'opusModel' && !value) continue;
    items.push({
      id: `model-${slot}`,
      label: `${label}: ${value || 'client model unchanged'}`,
      submenu: modelSubmenu(provider, slot, models[provider.id], actions),
    });
  }
  return items;
}

/**
 * The providers worth a click: those with a key, the user's own servers and the active one.
 * The twenty presets without a key stay in Settings, behind one item, so the menu stays short.
 */
function providerItems(state: AppState, actions: TrayActions): TrayMenuItem[] {
  const shown = state.providers.filter((p) => p.keySet || p.custom || p.id === state.settings.activeProvider);
  const hidden = state.providers.length - shown.length;
  const items: TrayMenuItem[] = shown.map((p) => ({
    id: `provider-${p.id}`,
    label: p.unavailableReason ? `${p.label} — ${p.unavailableReason}, add it in Settings` : p.label,
    type: 'radio' as const,
    checked: p.id === state.settings.activeProvider,
    enabled: !p.unavailableReason,
    toolTip: p.unavailableReason ?? undefined,
    click: () => actions.setActiveProvider(p.id),
  }));
  if (hidden > 0) {
    items.push({
      id: 'more-providers',
      label: `${hidden} more providers in Settings…`,
      click: () => actions.openSettings(),
    });
  }
  return items;
}

function recentItems(recent: RequestRecord[], actions: TrayActions): TrayMenuItem[] {
  if (recent.length === 0) return [{ label: 'No requests yet', enabled: false }];
  return recent.slice(0, RECENT_REQUESTS).map((record) => ({
    id: `request-${record.id}`,
    label: recordSummary(record),
    click: () => actions.openLog(record.id),
  }));
}

const SHELLS: Record<ShellKind, string> = {
  posix: 'bash/zsh',
  fish: 'fish',
  powershell: 'PowerShell',
  cmd: 'cmd',
};

/** The platform's own shells first: Windows users paste into PowerShell or cmd. */
function shellOrder(platform: NodeJS.Platform | undefined): ShellKind[] {
  return platform === 'win32'
    ? ['powershell', 'cmd', 'posix', 'fish']
    : ['posix', 'fish', 'powershell', 'cmd'];
}

export function buildTrayMenu(input: TrayMenuInput, actions: TrayActions): TrayMenuItem[] {
  const { state } = input;
  const { proxy } = state;
  const active = activeProvider(state);
  const listening = proxy.state === 'running' || proxy.state === 'paused';
  const today = todayLine(input.today);
  const items: TrayMenuItem[] = [
    { id: 'status', label: today ? `${statusLine(state)} · ${today}` : statusLine(state), enabled: false },
  ];
  if (proxy.state === 'error') {
    items.push({ id: 'fix-port', label: 'Choose another port…', click: () => actions.openSettings() });
  }
  if (state.keyStorage === 'session') {
    items.push({
      id: 'keys-not-saved',
      label: 'No keychain: keys will not be kept after quit…',
      click: () => actions.openSettings(),
    });
  }
  if (!state.providers.some((p) => p.keySet)) {
    items.push({
      id: 'add-key',
      label: 'No API keys yet: add one in Settings…',
      click: () => actions.openSettings(),
    });
  }
  items.push(separator, ...providerItems(state, actions));
  if (active) items.push(separator, ...mappingItems(active, input.models, actions));
  const [firstShell, ...otherShells] = shellOrder(input.platform);
  const loginUnavailable = input.startAtLoginUnavailable ?? null;
  items.push(
    separator,
    {
      id: 'copy-export',
      label: `Copy export line (${SHELLS[firstShell]})`,
      click: () => actions.copyExportLine(firstShell),
    },
    {
      id: 'copy-other-shells',
      label: 'Copy export line for',
      submenu: otherShells.map((shell) => ({
        label: SHELLS[shell],
        click: () => actions.copyExportLine(shell),
      })),
    },
    { id: 'copy-claude', label: 'Copy claude command', click: () => actions.copyClaudeCommand() },
    {
      id: 'copy-pinned',
      label: 'Copy export line pinned to',
      submenu: [
        ...state.providers.map((p) => ({
          label: `${p.label} (/p/${p.id})`,
          click: () => actions.copyPinnedExportLine(p.id),
        })),
        ...(state.settings.profiles.length > 0 ? [separator] : []),
        ...state.settings.profiles.map((profile) => ({
          label: `Profile ${profile.name} (/p/${profile.name})`,
          click: () => actions.copyPinnedExportLine(profile.name),
        })),
      ],
    },
    separator,
    { label: 'Recent requests', enabled: false },
    ...recentItems(input.recent, actions),
    separator,
    { id: 'open-log', label: 'Request log…', click: () => actions.openLog() },
    { id: 'open-usage', label: 'Usage…', click: () => actions.openUsage() },
    { id: 'open-settings', label: 'Settings…', click: () => actions.openSettings() },
    separator,
    state.settings.paused
      ? { id: 'pause', label: 'Resume proxy', enabled: listening, click: () => actions.setPaused(false) }
      : { id: 'pause', label: 'Pause proxy', enabled: listening, click: () => actions.setPaused(true) },
    {
      id: 'start-at-login',
      label: loginUnavailable ? 'Start at login (installed app only)' : 'Start at login',
      type: 'checkbox',
      checked: state.settings.startAtLogin && !loginUnavailable,
      enabled: !loginUnavailable,
      toolTip: loginUnavailable ?? undefined,
      click: () => actions.setStartAtLogin(!state.settings.startAtLogin),
    },
    separator,
    { id: 'quit', label: 'Quit', click: () => actions.quit() },
  );
  return items;
}
