/** Real controllers over in-memory stores, for the desktop tests. */
import { defaultSettings, type Settings } from '../../src/shared/config';
import { TurnoutController } from '../../src/main/app/controller';
import { MemoryVault } from '../../src/main/app/secretVault';
import { MemorySettingsStore } from '../../src/main/app/settingsStore';

export function makeController(
  options: {
    keys?: Record<string, string>;
    settings?: Partial<Settings>;
    accessToken?: string;
    /** The clock provider health reads. */
    now?: () => number;
  } = {},
): TurnoutController {
  return new TurnoutController({
    settingsStore: new MemorySettingsStore({ ...defaultSettings(), port: 0, ...options.settings }),
    vault: new MemoryVault(options.keys ?? {}),
    keyHelp: 'settings',
    accessToken: options.accessToken ?? null,
    version: 'test',
    now: options.now,
  });
}
