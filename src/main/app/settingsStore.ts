/**
 * Where settings persist. The desktop app keeps them in electron-store; headless mode keeps them
 * in memory (its configuration comes from the environment on every start).
 */
import { defaultSettings, type Settings } from '../../shared/config';

export interface LoadedSettings {
  settings: Settings;
  /** Things the user should be told, e.g. that a corrupt file was moved aside. */
  notices: string[];
}

export interface SettingsStore {
  load(): LoadedSettings;
  save(settings: Settings): void;
}

export class MemorySettingsStore implements SettingsStore {
  constructor(private settings: Settings = defaultSettings()) {}

  load(): LoadedSettings {
    return { settings: structuredClone(this.settings), notices: [] };
  }

  save(settings: Settings): void {
    this.settings = structuredClone(settings);
  }
}
