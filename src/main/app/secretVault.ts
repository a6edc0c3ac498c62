/**
 * API keys at rest. The vault keeps only ciphertext in its backing store and plaintext only in
 * this process's memory. The cipher is injected: Electron's safeStorage in the desktop app, a
 * test cipher in tests, none at all in headless mode (keys come from the environment).
 */

export interface KeyCipher {
  /** 'encrypted': OS keychain; 'obscured': Chromium's fixed-password fallback (Linux basic_text). */
  readonly strength: 'encrypted' | 'obscured';
  encrypt(plaintext: string): Promise<string>;
  decrypt(ciphertext: string): Promise<string>;
}

/** Persists the map of provider id → ciphertext. */
export interface CiphertextStore {
  read(): Record<string, string>;
  write(entries: Record<string, string>): void;
}

/**
 * Where keys live: 'encrypted' / 'obscured' on disk (see KeyCipher), 'memory' from the
 * environment (headless), 'session' typed in this run but not saved (no working keychain).
 */
export type KeyStorage = 'encrypted' | 'obscured' | 'memory' | 'session';

export interface SecretVault {
  readonly storage: KeyStorage;
  /** Plaintext for the proxy snapshot; never sent to a renderer. */
  get(providerId: string): string | undefined;
  set(providerId: string, key: string): Promise<void>;
  remove(providerId: string): Promise<void>;
  /** Keys that could not be decrypted at start-up (e.g. keychain changed), by provider id. */
  readonly unreadable: string[];
}

export class MemoryVault implements SecretVault {
  readonly unreadable: string[] = [];
  private readonly keys = new Map<string, string>();

  constructor(
    initial: Record<string, string> = {},
    readonly storage: 'memory' | 'session' = 'memory',
  ) {
    for (const [id, key] of Object.entries(initial)) if (key) this.keys.set(id, key);
  }

  get(providerId: string): string | undefined {
    return this.keys.get(providerId);
  }

  async set(providerId: string, key: string): Promise<void> {
    this.keys.set(providerId, key);
  }

  async remove(providerId: string): Promise<void> {
    this.keys.delete(providerId);
  }
}

export class EncryptedVault implements SecretVault {
  readonly unreadable: string[] = [];
  private readonly plain = new Map<string, string>();
  private ciphertexts: Record<string, string> = {};

  private constructor(
    private readonly cipher: KeyCipher,
    private readonly store: CiphertextStore,
  ) {}

  get storage(): 'encrypted' | 'obscured' {
    return this.cipher.strength;
  }

  /** Decrypts every stored key once; a key that fails to decrypt is reported, not fatal. */
  static async open(cipher: KeyCipher, store: CiphertextStore): Promise<EncryptedVault> {
    const vault = new EncryptedVault(cipher, store);
    vault.ciphertexts = { ...store.read() };
    for (const [id, ciphertext] of Object.entries(vault.ciphertexts)) {
      try {
        vault.plain.set(id, await cipher.decrypt(ciphertext));
      } catch {
        vault.unreadable.push(id);
      }
    }
    return vault;
  }

  get(providerId: string): string | undefined {
    return this.plain.get(providerId);
  }

  async set(providerId: string, key: string): Promise<void> {
    const ciphertext = await this.cipher.encrypt(key);
    this.ciphertexts = { ...this.ciphertexts, [providerId]: ciphertext };
    this.store.write(this.ciphertexts);
    this.plain.set(providerId, key);
  }

  async remove(providerId: string): Promise<void> {
    const { [providerId]: _removed, ...rest } = this.ciphertexts;
    this.ciphertexts = rest;
    this.store.write(this.ciphertexts);
    this.plain.delete(providerId);
  }
}
