/**
 * The desktop app's persistent store: one JSON file (electron-store, which is conf underneath)
 * holding the settings and the API keys' ciphertexts. This module takes any conf-like instance,
 * so tests run it over `conf` under plain Node with the same options.
 *
 * Settings migrations are keyed by the document's own `version` (normalizeSettings in
 * src/shared/config.ts), not by the app version, so they also run when versions are skipped.
 */
import type { UsageStore } from '../usage/usageStore';
import type Conf from 'conf';
import { defaultSettings, normalizeSettings, type Settings } from '../../shared/config';
import { randomBytes } from 'node:crypto';
import { TurnoutController } from '../app/controller';
import { EncryptedVault, type CiphertextStore, type KeyCipher } from '../app/secretVault';
import type { LoadedSettings, SettingsStore } from '../app/settingsStore';

export interface StoreDocument {
  settings: Settings;
  /** Provider id → base64 ciphertext from the key cipher. Never plaintext. */
  keys: Record<string, string>;
  /** The local access token's ciphertext, created on first start. */
  accessToken?: string;
}

/** The part of conf / electron-store (a subclass of conf) this module uses. */
export type ConfLike = Pick<Conf<StoreDocument>, 'get' | 'set' | 'has' | 'path'>;

/**
 * Options for electron-store and conf alike. The schema checks the document's shape; field-level
 * checks (URLs, ports) belong to normalizeSettings so that a hand-edited value is reset and
 * reported rather than refusing to start.
 */
export function storeOptions() {
  return {
    name: 'config',
    clearInvalidConfig: false,
    // Only the owner may read even the ciphertexts.
    configFileMode: 0o600,
    defaults: { settings: defaultSettings(), keys: {} } satisfies StoreDocument,
    schema: {
      settings: { type: 'object' as const },
      keys: {
        type: 'object' as const,
        additionalProperties: { type: 'string' as const },
      },
      accessToken: { type: 'string' as const },
    },
  };
}

export class DesktopSettingsStore implements SettingsStore {
  constructor(
    private readonly store: ConfLike,
    /** Notices from opening the file (e.g. a corrupt file moved aside). */
    private readonly openNotices: string[] = [],
  ) {}

  load(): LoadedSettings {
    const { settings, problems } = normalizeSettings(this.store.get('settings'));
    const notices = [...this.openNotices, ...problems.map((p) => `Settings: ${p}.`)];
    // Persist the migrated, repaired document so the file matches what the app runs with.
    this.store.set('settings', settings);
    return { settings, notices };
  }

  save(settings: Settings): void {
    this.store.set('settings', settings);
  }
}

export class DesktopCiphertextStore implements CiphertextStore {
  constructor(private readonly store: ConfLike) {}

  read(): Record<string, string> {
    const raw = this.store.get('keys');
    if (!raw || typeof raw !== 'object') return {};
    return Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === 'string')) as Record<
      string,
      string
    >;
  }

  write(entries: Record<string, string>): void {
    this.store.set('keys', { ...entries });
  }
}

/**
 * The local access token (clients present it when the proxy listens beyond loopback or the user
 * requires it). Created once, kept encrypted like the keys.
 */
export async function loadAccessToken(
  store: ConfLike,
  cipher: KeyCipher,
  generate: () => string = () => randomBytes(24).toString('base64url'),
): Promise<string> {
  const stored = store.get('accessToken');
  if (typeof stored === 'string') {
    try {
      return await cipher.decrypt(stored);
    } catch {
      // The keychain changed: a new token is made below; clients must copy the new export line.
    }
  }
  const token = generate();
  store.set('accessToken', await cipher.encrypt(token));
  return token;
}

/**
 * The controller over a desktop store: settings from the document, keys decrypted by `cipher`,
 * the local access token. The app opens it with safeStorage, the tests with a test cipher.
 */
export async function openDesktopController(
  store: ConfLike,
  cipher: KeyCipher,
  options: { notices?: string[]; version: string; usageStore?: UsageStore | null },
): Promise<{ controller: TurnoutController; vault: EncryptedVault }> {
  const vault = await EncryptedVault.open(cipher, new DesktopCiphertextStore(store));
  const controller = new TurnoutController({
    settingsStore: new DesktopSettingsStore(store, options.notices),
    vault,
    keyHelp: 'settings',
    accessToken: await loadAccessToken(store, cipher),
    version: options.version,
    usageStore: options.usageStore,
  });
  return { controller, vault };
}
