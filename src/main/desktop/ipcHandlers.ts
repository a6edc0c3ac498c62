/**
 * What each IPC action does, as a plain object over the controller. Electron registration
 * (ipcMain, sender checks) lives in ipcRegistration.ts; this module has no Electron imports so
 * it is tested against the real controller under plain Node. Arguments come from a renderer
 * and are checked here before they reach the controller.
 */
import { writeFile } from 'node:fs/promises';
import { RULE_NAMES, type ProviderSettings, type RouteRules, type RoutingProfile } from '../../shared/config';
import type { EnvImportResult, ShellKind } from '../../shared/ipc';
import { inspectClaudeSettings, writeClaudeSettings, writeClaudeStatusLine } from '../app/claudeSettings';
import { usageCsv } from '../../shared/usageCsv';
import type { TurnoutController } from '../app/controller';
import { parseDotenv, type EnvSource } from '../app/envConfig';
import { importEnvironment } from '../app/envImport';
import { exportLine } from '../app/exportLines';
import { findFreePort } from '../app/freePort';
import type { ModelListCache } from '../app/modelList';
import { checkProvider } from '../app/providerCheck';
import { UserError } from '../app/userError';
import type { IpcHandlers } from './ipcDispatch';

export interface IpcHandlerDeps {
  controller: TurnoutController;
  models: ModelListCache;
  claudeSettingsPath: string;
  /** Asks the user for a .env file; null when they cancel. */
  chooseEnvFile: () => Promise<string | null>;
  readTextFile: (path: string) => Promise<string>;
  /** The app's own environment, for "Import from environment". */
  environment: () => EnvSource;
  copyText: (text: string) => void;
  openLogWindow: (recordId?: string) => void;
  openSettingsWindow: () => void;
  openUsageWindow?: () => void;
  /** Asks where to save a file; null when they cancel (the default: nowhere to ask). */
  chooseSaveFile?: (suggestedName: string) => Promise<string | null>;
  writeTextFile?: (path: string, text: string) => Promise<void>;
  /** The command Claude Code should run for its status line. */
  statusLineCommand?: string;
  /** Registers or unregisters the OS login item; throws when the OS refuses. */
  applyStartAtLogin: (enabled: boolean) => Promise<void> | void;
  check?: typeof checkProvider;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new UserError('Expected text.', field);
  return value;
}

function textList(value: unknown, field: string): string[] {
  if (!Array.isArray(value)) throw new UserError('Expected a list.', field);
  return value.map((item) => text(item, field));
}

function rulesPatch(value: unknown, field: string): Partial<RouteRules> {
  const raw = (value ?? {}) as Record<string, unknown>;
  const patch: Partial<RouteRules> = {};
  for (const name of RULE_NAMES)
    if (raw[name] !== undefined) patch[name] = text(raw[name], `${field}.${name}`);
  if (raw.longContextThreshold !== undefined) {
    const threshold = raw.longContextThreshold;
    if (typeof threshold !== 'number')
      throw new UserError('Expected a number.', `${field}.longContextThreshold`);
    patch.longContextThreshold = threshold;
  }
  return patch;
}

function instant(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new UserError('Expected a date.', field);
  return value;
}

function flag(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new UserError('Expected on or off.', field);
  return value;
}

const SHELLS: readonly ShellKind[] = ['posix', 'fish', 'powershell', 'cmd'];
const PROVIDER_FIELDS = ['baseUrl', 'bigModel', 'smallModel', 'opusModel'] as const;

export function createIpcHandlers(deps: IpcHandlerDeps): IpcHandlers {
  const { controller } = deps;
  const provider = (id: unknown) => {
    const runtime = controller.getSnapshot().providers.get(text(id, 'provider'));
    if (!runtime) throw new UserError(`Unknown provider "${String(id)}".`, 'provider');
    return runtime;
  };
  const target = () => ({ baseUrl: controller.getState().baseUrl, token: controller.getAccessToken() });

  return {
    getState: () => controller.getState(),
    setActiveProvider: (id) => controller.setActiveProvider(text(id, 'activeProvider')),
    updateProvider: (id, patch) => {
      const clean: Partial<ProviderSettings> = {};
      for (const field of PROVIDER_FIELDS) {
        const value = (patch as Record<string, unknown> | null)?.[field];
        if (value !== undefined) clean[field] = text(value, `providers.${String(id)}.${field}`);
      }
      // Checked field by field by the controller (normalizeModelRules).
      const rules = (patch as Record<string, unknown> | null)?.modelRules;
      if (rules !== undefined) clean.modelRules = rules as ProviderSettings['modelRules'];
      // The controller checks the value is one of auto | chat | responses.
      const apiStyle = (patch as Record<string, unknown> | null)?.apiStyle;
      if (apiStyle !== undefined)
        clean.apiStyle = text(apiStyle, `providers.${String(id)}.apiStyle`) as ProviderSettings['apiStyle'];
      controller.updateProvider(text(id, 'provider'), clean);
    },
    setKey: (id, key) => controller.setKey(text(id, 'provider'), text(key, `providers.${String(id)}.key`)),
    removeKey: (id) => controller.removeKey(text(id, 'provider')),
    addCustomProvider: (spec) =>
      controller.addCustomProvider({
        id: text(spec?.id, 'customProvider.id'),
        label: typeof spec?.label === 'string' ? spec.label : '',
        baseUrl: text(spec?.baseUrl, 'customProvider.baseUrl'),
        kind: spec?.kind === 'anthropic' ? 'anthropic' : 'openai-compatible',
      }),
    removeCustomProvider: (id) => controller.removeCustomProvider(text(id, 'provider')),
    listModels: (id, refresh) => deps.models.get(text(id, 'provider'), refresh === true),
    testProvider: (id) => (deps.check ?? checkProvider)(provider(id)),
    setListenAddress: async (host, port) => {
      if (typeof port !== 'number') throw new UserError('The port must be a number.', 'port');
      await controller.setListenAddress(text(host, 'host'), port);
      return controller.getState();
    },
    suggestPort: async () => {
      const { host, port } = controller.getSettings();
      return { host, port: await findFreePort(host, port) };
    },
    setPaused: (paused) => controller.setPaused(flag(paused, 'paused')),
    setRequireAccessToken: (required) =>
      controller.setRequireAccessToken(flag(required, 'requireAccessToken')),
    setContextScaling: (enabled) => controller.setContextScaling(flag(enabled, 'contextScaling')),
    setStartAtLogin: async (enabled) => {
      const on = flag(enabled, 'startAtLogin');
      try {
        await deps.applyStartAtLogin(on);
      } catch (error) {
        throw new UserError(
          `The system did not accept the login item: ${(error as Error).message}`,
          'startAtLogin',
        );
      }
      controller.setStartAtLogin(on);
    },
    importEnv: async (source): Promise<EnvImportResult | null> => {
      if (source === 'environment') return importEnvironment(controller, deps.environment(), 'environment');
      if (source !== 'file') throw new UserError('Unknown import source.', 'import');
      const path = await deps.chooseEnvFile();
      if (!path) return null;
      let contents: string;
      try {
        contents = await deps.readTextFile(path);
      } catch (error) {
        throw new UserError(`Could not read ${path}: ${(error as Error).message}`, 'import');
      }
      return importEnvironment(controller, parseDotenv(contents), path);
    },
    inspectClaudeSettings: () => inspectClaudeSettings(deps.claudeSettingsPath, target()),
    writeClaudeSettings: () => writeClaudeSettings(deps.claudeSettingsPath, target()),
    copyExportLine: (shell) => {
      if (!SHELLS.includes(shell)) throw new UserError('Unknown shell.', 'shell');
      const token = controller.getAccessToken();
      const line = exportLine(shell, controller.getState().baseUrl, token);
      deps.copyText(line);
      // The renderer shows what was copied, with the access token masked.
      return token ? line.split(token).join('••••') : line;
    },
    setFallbackProviders: (ids) => controller.setFallbackProviders(textList(ids, 'fallbackProviders')),
    setRules: (patch) => controller.setRules(rulesPatch(patch, 'rules')),
    saveProfile: (profile) => {
      const raw = (profile ?? {}) as Partial<Record<keyof RoutingProfile, unknown>>;
      const name = text(raw.name, 'profile.name');
      const optional = (key: 'bigModel' | 'smallModel' | 'opusModel') =>
        raw[key] === undefined ? '' : text(raw[key], `profiles.${name}.${key}`);
      controller.saveProfile({
        name,
        provider: text(raw.provider, `profiles.${name}.provider`),
        bigModel: optional('bigModel'),
        smallModel: optional('smallModel'),
        opusModel: optional('opusModel'),
        rules: rulesPatch(raw.rules, `profiles.${name}.rules`),
        fallbackProviders:
          raw.fallbackProviders === undefined
            ? []
            : textList(raw.fallbackProviders, `profiles.${name}.fallbackProviders`),
      });
    },
    removeProfile: (name) => controller.removeProfile(text(name, 'profile.name')),
    getLog: () => ({ records: controller.log.records(), capacity: controller.log.capacity }),
    clearLog: () => controller.log.clear(),
    openLogWindow: (recordId) => deps.openLogWindow(typeof recordId === 'string' ? recordId : undefined),
    openSettingsWindow: () => deps.openSettingsWindow(),
    openUsageWindow: () => deps.openUsageWindow?.(),
    getUsage: (from, to) => controller.getUsageReport(instant(from, 'from'), instant(to, 'to')),
    exportUsageCsv: async (from, to) => {
      const report = await controller.getUsageReport(instant(from, 'from'), instant(to, 'to'));
      const name = `turnout-usage-${new Date(from).toISOString().slice(0, 10)}.csv`;
      const path = (await deps.chooseSaveFile?.(name)) ?? null;
      if (!path) return null;
      try {
        await (deps.writeTextFile ?? ((p: string, t: string) => writeFile(p, t, 'utf8')))(
          path,
          usageCsv(report.daily),
        );
      } catch (error) {
        throw new UserError(`Could not write ${path}: ${(error as Error).message}`, 'export');
      }
      return path;
    },
    setUsageRetention: (days) => {
      if (typeof days !== 'number') throw new UserError('Expected a number of days.', 'usage.retentionDays');
      controller.setUsageRetention(days);
    },
    setModelPrice: (model, price) => controller.setModelPrice(text(model, 'usage.prices'), price ?? null),
    writeClaudeStatusLine: () =>
      writeClaudeStatusLine(deps.claudeSettingsPath, deps.statusLineCommand ?? 'npx turnout statusline'),
  };
}
