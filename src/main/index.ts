/**
 * Electron entry point. Turnout is a tray app: one instance (a second launch opens the
 * Settings window), no Dock icon on macOS, no window at start (unless --settings or --log
 * asks for one), and closing every window does not quit. The work happens in desktop/desktopApp.ts.
 */
import { app, dialog } from 'electron';
import { startDesktopApp, type DesktopApp } from './desktop/desktopApp';

let desktop: DesktopApp | null = null;

/** `turnout --settings` or `--log` opens that window, at start or in the running instance. */
function openRequestedWindow(argv: string[]): boolean {
  if (argv.includes('--log')) desktop?.windows.openLog();
  else if (argv.includes('--settings')) desktop?.windows.open('settings');
  else return false;
  return true;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv) => {
    if (!openRequestedWindow(argv)) desktop?.windows.open('settings');
  });
  // A tray app keeps running with no windows open.
  app.on('window-all-closed', () => undefined);
  if (process.platform === 'darwin') app.dock?.hide();

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !desktop) return;
    // Let requests in flight end and the port be released before exiting.
    event.preventDefault();
    quitting = true;
    void desktop.shutdown().finally(() => app.quit());
  });

  app
    .whenReady()
    .then(async () => {
      desktop = await startDesktopApp();
      openRequestedWindow(process.argv);
    })
    .catch((error: Error) => {
      dialog.showErrorBox('Turnout could not start', error.stack ?? error.message);
      app.exit(1);
    });
}
