/**
 * Builds the desktop app once Electron is ready: the store, the key vault, the controller (the
 * same one headless mode uses), IPC, the tray and the windows, and connects their events.
 */
import { app, clipboard, dialog, safeStorage } from 'electron';
import ElectronStore from 'electron-store';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ipcContract, type ModelListResult } from '../../shared/ipc';
import { defaultClaudeSettingsPath } from '../app/claudeSettings';
import type { TurnoutController } from '../app/controller';
import { claudeCommand, exportLine, pinnedBaseUrl } from '../app/exportLines';
import { ModelListCache } from '../app/modelList';
import { moveAside, moveAsideIfCorrupt } from '../app/settingsFile';
import { openDesktopController, storeOptions, type StoreDocument } from './desktopStore';
import { createIpcHandlers } from './ipcHandlers';
import { registerIpcHandlers } from './ipcRegistration';
import { batchLogChanges } from './logBroadcast';
import { applyStartAtLogin, startAtLoginUnavailable } from './loginItem';
import { createHealthNotifier, createProxyErrorNotifier } from './notifications';
import { createSafeStorageCipher } from './safeStorageCipher';
import { TurnoutTray } from './tray';
import type { TrayActions } from './trayMenu';
import { WindowManager } from './windows';
import { USAGE_FILE } from '../usage/dataDir';
import { UsageStore } from '../usage/usageStore';

export interface DesktopApp {
  controller: TurnoutController;
  windows: WindowManager;
  /**
   * Removes the tray and stops the proxy. Requests still running after `deadlineMs` are cut, so
   * quitting takes seconds, not as long as the longest stream or keep-alive connection.
   */
  shutdown(deadlineMs: number): Promise<void>;
}

export interface DesktopStartOptions {
  /** Notices from before the app was ready (e.g. the data folder was moved). */
  notices?: string[];
}

function openStore(notices: string[]): ElectronStore<StoreDocument> {
  const path = join(app.getPath('userData'), 'config.json');
  const notice = moveAsideIfCorrupt(path);
  if (notice) notices.push(notice);
  try {
    return new ElectronStore<StoreDocument>(storeOptions());
  } catch (error) {
    // Valid JSON of the wrong shape (schema violation): keep it aside and start clean.
    console.error('[store] could not open settings:', (error as Error).message);
    notices.push(moveAside(path, new Date(), 'did not have the expected shape'));
    return new ElectronStore<StoreDocument>(storeOptions());
  }
}

/** The usage history in the app's data folder; off (with a notice) if it cannot be opened. */
function openUsageStore(notices: string[]): UsageStore | null {
  const path = join(app.getPath('userData'), USAGE_FILE);
  try {
    return UsageStore.open(path);
  } catch (error) {
    notices.push(`Usage history is off: could not open ${path} (${(error as Error).message}).`);
    return null;
  }
}

/** Claude Code's status line runs the built command with this app's executable as Node. */
function statusLineCommand(): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return `ELECTRON_RUN_AS_NODE=1 ${quote(process.execPath)} ${quote(join(import.meta.dirname, 'statusline.js'))}`;
}

export async function startDesktopApp(options: DesktopStartOptions = {}): Promise<DesktopApp> {
  const notices: string[] = [...(options.notices ?? [])];
  const store = openStore(notices);
  const cipher = createSafeStorageCipher(safeStorage, process.platform);
  if (!cipher) console.warn('[keys] the system keychain cannot encrypt: keys are kept for this run only');
  const usageStore = openUsageStore(notices);
  const { controller } = await openDesktopController(store, cipher, {
    notices,
    version: app.getVersion(),
    usageStore,
  });
  const models = new ModelListCache({ getSnapshot: controller.getSnapshot });
  const windows = new WindowManager({
    preload: join(import.meta.dirname, '../preload/index.cjs'),
    rendererDir: join(import.meta.dirname, '../renderer'),
    devServerUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
  });
  const openSettings = () => void windows.open('settings');
  const notifyProxyError = createProxyErrorNotifier(openSettings);

  // Tray clicks have no window to show an error in: failures become a dialog, never silence.
  const safely =
    <A extends unknown[]>(fn: (...args: A) => unknown) =>
    (...args: A): void => {
      Promise.resolve()
        .then(() => fn(...args))
        .catch((error: Error) => dialog.showErrorBox('Turnout', error.message));
    };

  let tray: TurnoutTray | null = null;
  const refreshModels = (providerId: string, force = false): void => {
    void models.get(providerId, force).then(() => tray?.scheduleRebuild());
  };
  const actions: TrayActions = {
    setActiveProvider: safely((id: string) => controller.setActiveProvider(id)),
    setModel: safely((id: string, slot, model: string) => controller.updateProvider(id, { [slot]: model })),
    refreshModels: (id) => refreshModels(id, true),
    copyExportLine: (shell) =>
      clipboard.writeText(exportLine(shell, controller.getState().baseUrl, controller.getAccessToken())),
    copyClaudeCommand: () =>
      clipboard.writeText(
        claudeCommand(controller.getState().baseUrl, controller.getAccessToken(), process.platform),
      ),
    copyPinnedExportLine: (name) =>
      clipboard.writeText(
        exportLine('posix', pinnedBaseUrl(controller.getState().baseUrl, name), controller.getAccessToken()),
      ),
    openLog: (recordId) => windows.openLog(recordId),
    openSettings,
    openUsage: () => void windows.open('usage'),
    setPaused: safely((paused: boolean) => controller.setPaused(paused)),
    setStartAtLogin: safely((enabled: boolean) => {
      applyStartAtLogin(enabled);
      controller.setStartAtLogin(enabled);
    }),
    quit: () => app.quit(),
  };

  const handlers = createIpcHandlers({
    controller,
    models,
    claudeSettingsPath: defaultClaudeSettingsPath(),
    chooseEnvFile: async () => {
      const result = await dialog.showOpenDialog({
        title: 'Import a .env file',
        properties: ['openFile', 'showHiddenFiles'],
      });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    readTextFile: (path) => readFile(path, 'utf8'),
    environment: () => process.env,
    copyText: (text) => clipboard.writeText(text),
    openLogWindow: (recordId) => windows.openLog(recordId),
    openSettingsWindow: openSettings,
    openUsageWindow: () => void windows.open('usage'),
    chooseSaveFile: async (suggestedName) => {
      const result = await dialog.showSaveDialog({
        title: 'Export usage as CSV',
        defaultPath: suggestedName,
        filters: [{ name: 'CSV', extensions: ['csv'] }],
      });
      return result.canceled ? null : (result.filePath ?? null);
    },
    writeTextFile: (path, text) => writeFile(path, text, 'utf8'),
    statusLineCommand: statusLineCommand(),
    applyStartAtLogin,
  });
  const unregisterIpc = registerIpcHandlers(handlers, (id, url) => windows.isTrustedSender(id, url));

  tray = new TurnoutTray(
    {
      getState: () => controller.getState(),
      getRecent: () => controller.log.records(10).reverse(),
      getToday: () => controller.usage.todayWritten(),
      getModels: () => {
        const active = controller.getSettings().activeProvider;
        return { [active]: models.peek(active) } as Record<string, ModelListResult | undefined>;
      },
      startAtLoginUnavailable: startAtLoginUnavailable(),
    },
    actions,
    join(app.getAppPath(), 'resources'),
  );

  const unsubscribeState = controller.subscribe((state) => {
    tray?.scheduleRebuild();
    windows.broadcast(ipcContract.onState.channel, state);
    notifyProxyError(state.proxy);
    if (!models.peek(state.settings.activeProvider)) refreshModels(state.settings.activeProvider);
  });
  const unsubscribeLog = controller.log.subscribe(() => tray?.scheduleRebuild());
  const unsubscribeHealth = controller.onHealthChange(
    createHealthNotifier(() => controller.getState(), openSettings),
  );
  const unsubscribeUsage = controller.usage.onWritten(() => tray?.scheduleRebuild());
  const stopBatching = batchLogChanges(controller.log, (batch) =>
    windows.broadcast(ipcContract.onLog.channel, batch),
  );

  const status = await controller.start();
  notifyProxyError(status);
  refreshModels(controller.getSettings().activeProvider);

  return {
    controller,
    windows,
    async shutdown(deadlineMs) {
      unsubscribeState();
      unsubscribeLog();
      unsubscribeHealth();
      unsubscribeUsage();
      stopBatching();
      unregisterIpc();
      tray?.destroy();
      windows.closeAll();
      // Stops the proxy (cutting requests still running at the deadline), then writes the
      // usage history's last batch.
      await controller.shutdown({ deadlineMs });
    },
  };
}
