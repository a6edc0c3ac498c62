/** Builds the app with electron-vite when out/renderer is missing, so the e2e tests also run alone. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const projectRoot = join(import.meta.dirname, '..', '..');
export const rendererDir = join(projectRoot, 'out', 'renderer');

export async function ensureRendererBuilt(): Promise<void> {
  const pages = ['settings.html', 'log.html', 'usage.html'];
  if (pages.every((page) => existsSync(join(rendererDir, page)))) return;
  const { build } = await import('electron-vite');
  await build({ root: projectRoot, logLevel: 'warn' });
}
