/**
 * Electron entry point. Turnout is a tray app: one instance (a second launch opens the
 * Settings window), no Dock icon on macOS, no window at start (unless --settings or --log
 * asks for one), and closing every window does not quit. The work happens in desktop/desktopApp.ts.
 */
import { app, dialog } from 'electron';
import { migrateDataFolder, migrationNotice } from './desktop/dataFolder';
import { startDesktopApp, type DesktopApp } from './desktop/desktopApp';

/** electron-builder.yml's appId: Windows shows toasts only for an app with this identity. */
const APP_USER_MODEL_ID = 'dev.turnout.app';
/** How long quitting waits for requests in flight before it closes their connections. */
const QUIT_DEADLINE_MS = 3000;

let desktop: DesktopApp | null = null;

/** `turnout --settings` or `--log` opens that window, at start or in the running instance. */
function openRequestedWindow(argv: string[]): boolean {
  if (argv.includes('--log')) desktop?.windows.openLog();
  else if (argv.includes('--settings')) desktop?.windows.open('settings');
  else return false;
  return true;
}

// The data folder is named here rather than after package.json (which would give "Turnout" in
// a packaged build), and must be set before anything uses it: the single-instance lock lives in it.
const dataFolder = migrateDataFolder(app.getPath('appData'));
app.setPath('userData', dataFolder.path);
if (process.platform === 'win32') {
  // Unpackaged (`npm start`) there is no Start-menu shortcut carrying the id; Electron's docs
  // suggest the executable path then.
  app.setAppUserModelId(app.isPackaged ? APP_USER_MODEL_ID : process.execPath);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv) => {
    if (!openRequestedWindow(argv)) desktop?.windows.open('settings');
  });
  // macOS sends `activate`, not `second-instance`, when the running app is launched again from
  // Finder, Spotlight or the Dock: the only way to Settings when the menu-bar icon is hidden.
  app.on('activate', () => desktop?.windows.open('settings'));
  // A tray app keeps running with no windows open.
  app.on('window-all-closed', () => undefined);
  if (process.platform === 'darwin') app.dock?.hide();

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !desktop) return;
    event.preventDefault();
    quitting = true;
    // From here on a relaunch starts a new instance instead of reaching this closing one.
    app.releaseSingleInstanceLock();
    // The proxy's close has its own deadline; this one covers anything else that hangs.
    setTimeout(() => app.exit(0), QUIT_DEADLINE_MS + 2000).unref();
    void desktop.shutdown(QUIT_DEADLINE_MS).finally(() => app.quit());
  });
  // `kill`, logout and Ctrl+C in `npm start` quit the same way as the tray's Quit. (A dependency
  // of electron-store that would kill the process on these signals is stubbed out at build time:
  // see desktop/whenExit.ts.)
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => app.quit());

  app
    .whenReady()
    .then(async () => {
      const notice = migrationNotice(dataFolder);
      desktop = await startDesktopApp({ notices: notice ? [notice] : [] });
      openRequestedWindow(process.argv);
    })
    .catch((error: Error) => {
      dialog.showErrorBox('Turnout could not start', error.stack ?? error.message);
      app.exit(1);
    });
}
