/** Builds the app with electron-vite when out/renderer is missing, so the e2e tests also run alone. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const projectRoot = join(import.meta.dirname, '..', '..');
export const rendererDir = join(projectRoot, 'out', 'renderer');

export async function ensureRendererBuilt(): Promise<void> {
  if (existsSync(join(rendererDir, 'settings.html')) && existsSync(join(rendererDir, 'log.html'))) return;
  const { build } = await import('electron-vite');
  await build({ root: projectRoot, logLevel: 'warn' });
}
