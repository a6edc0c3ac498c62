/** How the renderer tests find a browser on machines other than CI's (macOS, Windows, desktops). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BROWSER_VARIABLE, findBrowser, type BrowserProbe } from './browser';

function probe(files: string[], overrides: Partial<BrowserProbe> = {}): BrowserProbe {
  const present = new Set(files);
  return {
    env: { PATH: ['/usr/local/bin', '/usr/bin'].join(process.platform === 'win32' ? ';' : ':') },
    platform: 'linux',
    isExecutable: (path) => present.has(path),
    playwrightBrowser: () => null,
    ...overrides,
  };
}

describe('findBrowser', () => {
  it(`prefers ${BROWSER_VARIABLE} over anything installed`, () => {
    const found = findBrowser(
      probe(['/usr/bin/chromium', '/opt/custom/chrome'], {
        env: { PATH: '/usr/bin', [BROWSER_VARIABLE]: '/opt/custom/chrome' },
      }),
    );
    expect(found).toEqual({ path: '/opt/custom/chrome', source: BROWSER_VARIABLE });
  });

  it(`stops with a clear message when ${BROWSER_VARIABLE} names no executable`, () => {
    expect(() => findBrowser(probe([], { env: { [BROWSER_VARIABLE]: '/nope/chrome' } }))).toThrow(
      `${BROWSER_VARIABLE}=/nope/chrome is not an executable file.`,
    );
  });

  it('finds Chrome on PATH when there is no Chromium (a Linux desktop)', () => {
    if (process.platform === 'win32') return;
    expect(findBrowser(probe(['/usr/bin/google-chrome-stable']))).toEqual({
      path: '/usr/bin/google-chrome-stable',
      source: 'PATH',
    });
  });

  it('finds Chrome in its macOS application bundle', () => {
    const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(findBrowser(probe([chrome], { platform: 'darwin', env: { PATH: '/usr/bin' } }))?.path).toBe(
      chrome,
    );
  });

  it('finds Edge in Windows program files', () => {
    const edge = join('C:\\Program Files (x86)', 'Microsoft', 'Edge', 'Application', 'msedge.exe');
    const found = findBrowser(
      probe([edge], { platform: 'win32', env: { 'PROGRAMFILES(X86)': 'C:\\Program Files (x86)' } }),
    );
    expect(found).toEqual({ path: edge, source: 'installed' });
  });

  it("falls back to Playwright's own browser, then to nothing", () => {
    const own = '/home/u/.cache/ms-playwright/chromium-1200/chrome-linux/chrome';
    expect(findBrowser(probe([], { playwrightBrowser: () => own }))).toEqual({
      path: own,
      source: 'playwright',
    });
    expect(findBrowser(probe([]))).toBeNull();
  });
});
