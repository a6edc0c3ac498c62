/**
 * The key cipher backed by Electron's safeStorage (macOS Keychain, Windows DPAPI, libsecret or
 * KWallet on Linux). Electron 41 has only the synchronous API (no encryptStringAsync), so the
 * calls are wrapped to fit the async KeyCipher interface and can move to the async API unchanged.
 * Takes the safeStorage object as a parameter so it is testable without Electron.
 */
import type { SafeStorage } from 'electron';
import type { KeyCipher } from '../app/secretVault';

type SafeStorageLike = Pick<
  SafeStorage,
  | 'encryptString'
  | 'decryptString'
  | 'isEncryptionAvailable'
  | 'getSelectedStorageBackend'
  | 'setUsePlainTextEncryption'
>;

/** Must be called after the app's `ready` event (Linux picks its backend then). */
export function createSafeStorageCipher(safeStorage: SafeStorageLike, platform: NodeJS.Platform): KeyCipher {
  let strength: KeyCipher['strength'] = 'encrypted';
  if (platform === 'linux') {
    if (!safeStorage.isEncryptionAvailable()) {
      // No keyring at all: use Chromium's fixed-password fallback rather than refusing to save.
      safeStorage.setUsePlainTextEncryption(true);
      strength = 'obscured';
    } else if (safeStorage.getSelectedStorageBackend() === 'basic_text') {
      strength = 'obscured';
    }
  }
  return {
    strength,
    async encrypt(plaintext) {
      if (!safeStorage.isEncryptionAvailable() && platform !== 'linux') {
        throw new Error('The system keychain is not available, so the key cannot be stored safely.');
      }
      return safeStorage.encryptString(plaintext).toString('base64');
    },
    async decrypt(ciphertext) {
      return safeStorage.decryptString(Buffer.from(ciphertext, 'base64'));
    },
  };
}
