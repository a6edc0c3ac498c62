/**
 * Finds a browser for the renderer tests on whatever machine runs them, so a newcomer's
 * `npm test` works without setup: TURNOUT_TEST_BROWSER first, then an installed Chromium,
 * Chrome or Edge, then Playwright's own download. With none, it tries `playwright install
 * chromium` once, and failing that stops with one line that says what to install.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright';

export const BROWSER_VARIABLE = 'TURNOUT_TEST_BROWSER';

/** Program names looked up on PATH, in order of preference. */
const PATH_NAMES = [
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
  'chrome',
  'microsoft-edge',
  'microsoft-edge-stable',
  'msedge',
];

/** Where browsers install themselves outside PATH (macOS bundles, Windows program folders). */
function wellKnownPaths(platform: NodeJS.Platform, env: Record<string, string | undefined>): string[] {
  if (platform === 'darwin') {
    return [
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ];
  }
  if (platform === 'win32') {
    const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)']].filter(
      (root): root is string => Boolean(root),
    );
    return roots.flatMap((root) => [
      join(root, 'Chromium', 'Application', 'chrome.exe'),
      join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
    ]);
  }
  return ['/snap/bin/chromium', '/usr/bin/chromium', '/usr/bin/google-chrome', '/opt/google/chrome/chrome'];
}

export interface BrowserProbe {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  isExecutable: (path: string) => boolean;
  /** Playwright's own browser, when it has been downloaded. */
  playwrightBrowser: () => string | null;
}

/** The browser executable to use, or null when the machine has none. Pure given the probe. */
export function findBrowser(probe: BrowserProbe): { path: string; source: string } | null {
  const explicit = probe.env[BROWSER_VARIABLE]?.trim();
  if (explicit) {
    if (!probe.isExecutable(explicit)) {
      throw new Error(`${BROWSER_VARIABLE}=${explicit} is not an executable file.`);
    }
    return { path: explicit, source: BROWSER_VARIABLE };
  }
  const extensions = probe.platform === 'win32' ? ['.exe', ''] : [''];
  const dirs = (probe.env.PATH ?? probe.env.Path ?? '').split(delimiter).filter(Boolean);
  for (const name of PATH_NAMES) {
    for (const dir of dirs) {
      for (const extension of extensions) {
        const path = join(dir, name + extension);
        if (probe.isExecutable(path)) return { path, source: 'PATH' };
      }
    }
  }
  for (const path of wellKnownPaths(probe.platform, probe.env)) {
    if (probe.isExecutable(path)) return { path, source: 'installed' };
  }
  const own = probe.playwrightBrowser();
  return own ? { path: own, source: 'playwright' } : null;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function playwrightBrowser(): string | null {
  try {
    const path = chromium.executablePath();
    return path && isExecutable(path) ? path : null;
  } catch {
    return null;
  }
}

const systemProbe = (): BrowserProbe => ({
  env: process.env,
  platform: process.platform,
  isExecutable,
  playwrightBrowser,
});

let installTried = false;

/** Resolves a browser, installing Playwright's Chromium once if the machine has none. */
export function resolveBrowserPath(): string {
  const found = findBrowser(systemProbe());
  if (found) return found.path;
  if (!installTried) {
    installTried = true;
    const cli = join(import.meta.dirname, '..', '..', 'node_modules', 'playwright', 'cli.js');
    spawnSync(process.execPath, [cli, 'install', 'chromium'], { stdio: 'ignore', timeout: 300_000 });
    const installed = playwrightBrowser();
    if (installed) return installed;
  }
  throw new Error(
    `No browser for the renderer tests: install Chromium, Google Chrome or Microsoft Edge, or set ${BROWSER_VARIABLE}=/path/to/browser (npx playwright install chromium also failed).`,
  );
}

/** Headless Chromium-family browser with the flags a closed network and root need. */
export async function launchTestBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: resolveBrowserPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}
