/**
 * `npm run serve`: the proxy under plain Node, configured from the environment and a `.env`
 * file in the working directory (real environment variables win over the file).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TurnoutController } from './app/controller';
import { configFromEnv, parseDotenv } from './app/envConfig';
import { headlessExportLine } from './app/exportLines';
import { healthNotice } from './app/healthNotice';
import { BatchedLineWriter, formatLogLine } from './app/logLines';
import { MemoryVault } from './app/secretVault';
import { MemorySettingsStore } from './app/settingsStore';
import { VERSION } from './app/version';
import { openHeadlessUsageStore } from './usage/openUsageStore';

function loadEnvironment(): Record<string, string | undefined> {
  const file = resolve(process.cwd(), '.env');
  const fromFile = existsSync(file) ? parseDotenv(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...process.env };
}

async function main(): Promise<void> {
  const config = configFromEnv(loadEnvironment());
  for (const warning of config.warnings) process.stderr.write(`turnout: ${warning}\n`);
  const env = loadEnvironment();
  const usageStore = openHeadlessUsageStore(env);
  const controller = new TurnoutController({
    usageStore,
    settingsStore: new MemorySettingsStore(config.settings),
    vault: new MemoryVault(config.keys),
    keyHelp: 'env',
    accessToken: config.accessToken,
    version: VERSION,
  });
  for (const notice of usageStore?.notices ?? []) process.stderr.write(`turnout: ${notice}\n`);
  const status = await controller.start();
  if (status.state === 'error') {
    process.stderr.write(`turnout: ${status.message}\n`);
    process.exit(1);
  }
  const state = controller.getState();
  const out = new BatchedLineWriter((text) => process.stdout.write(text));
  controller.log.subscribe((record, kind) => {
    // Formatted when the batch is written, not inside the request (perf: logging off the hot path).
    if (kind === 'updated' && record.state !== 'pending' && record.state !== 'streaming') {
      out.push(() => formatLogLine(record));
    }
  });
  controller.onHealthChange((change) => {
    const notice = healthNotice(controller.getState(), change);
    if (notice) out.push(`${new Date().toTimeString().slice(0, 8)} ${notice.title}: ${notice.body}`);
  });
  const active = state.providers.find((p) => p.id === state.settings.activeProvider);
  const baseUrl = state.baseUrl;
  process.stdout.write(
    [
      `Turnout ${VERSION} serving ${baseUrl} · provider ${active?.label ?? state.settings.activeProvider}` +
        (active && !active.keySet && !active.keyOptional ? ` (no key: set ${active.keyEnv})` : ''),
      `Point Claude Code at it:`,
      `  ${headlessExportLine(baseUrl, controller.getAccessToken() !== null)}`,
      '',
    ].join('\n'),
  );

  const shutdown = () => {
    out.flush();
    void controller.shutdown().then(() => process.exit(0));
    // Streams in flight get a moment to finish; then we go regardless.
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

void main();
