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
import {
  EncryptedVault,
  MemoryVault,
  type CiphertextStore,
  type KeyCipher,
  type SecretVault,
} from '../app/secretVault';
import type { LoadedSettings, SettingsStore } from '../app/settingsStore';

export interface StoreDocument {
  settings: Settings;
  /** Provider id → base64 ciphertext from the key cipher. Never plaintext. */
  keys: Record<string, string>;
  /** The local access token's ciphertext, created when a token is first needed. */
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
 * requires it), kept encrypted like the keys. It is made only when first needed, so a start never
 * depends on the keychain being able to encrypt; with no working cipher it lives for this run.
 * Returns the getter the controller calls.
 */
export async function accessTokenSource(
  store: ConfLike,
  cipher: KeyCipher | null,
  generate: () => string = () => randomBytes(24).toString('base64url'),
): Promise<() => string> {
  let token: string | null = null;
  const stored = store.get('accessToken');
  if (typeof stored === 'string' && cipher) {
    try {
      token = await cipher.decrypt(stored);
    } catch {
      // The keychain changed: a new token is made when needed; clients copy the new export line.
    }
  }
  return () => {
    if (token) return token;
    const made = generate();
    token = made;
    cipher?.encrypt(made).then(
      (ciphertext) => store.set('accessToken', ciphertext),
      () => undefined, // Cannot encrypt now: the token is kept for this run only.
    );
    return made;
  };
}

/**
 * The controller over a desktop store: settings from the document, keys decrypted by `cipher`,
 * the local access token. The app opens it with safeStorage, the tests with a test cipher.
 */
export async function openDesktopController(
  store: ConfLike,
  cipher: KeyCipher | null,
  options: { notices?: string[]; version: string; usageStore?: UsageStore | null },
): Promise<{ controller: TurnoutController; vault: SecretVault }> {
  const notices = [...(options.notices ?? [])];
  let vault: SecretVault;
  if (cipher) {
    vault = await EncryptedVault.open(cipher, new DesktopCiphertextStore(store));
  } else {
    // No keychain that can encrypt (none installed, locked, or access denied): keys entered now
    // work until quit. Keys saved earlier stay on disk untouched for when the keychain is back.
    vault = new MemoryVault({}, 'session');
    notices.push(
      'The system keychain cannot encrypt right now, so API keys you enter are kept in memory for this run ' +
        'only and will not be saved. Keys saved earlier are kept on disk for when the keychain works again.',
    );
  }
  const controller = new TurnoutController({
    settingsStore: new DesktopSettingsStore(store, notices),
    vault,
    keyHelp: 'settings',
    accessToken: await accessTokenSource(store, cipher),
    version: options.version,
    usageStore: options.usageStore,
  });
  return { controller, vault };
}
