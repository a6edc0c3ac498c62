/**
 * The key cipher backed by Electron's safeStorage (macOS Keychain, Windows DPAPI, libsecret or
 * KWallet on Linux), or null when it cannot encrypt at all; the app then keeps keys in memory
 * for the run instead of refusing to start. safeStorage's calls are synchronous; they are wrapped
 * to fit the async KeyCipher interface. Takes the safeStorage object as a parameter so it is
 * testable without Electron.
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

/** Whether safeStorage really encrypts now: a keyring can be selected yet locked or not running. */
function roundTrips(safeStorage: SafeStorageLike): boolean {
  const probe = 'turnout-keychain-probe';
  try {
    return safeStorage.decryptString(safeStorage.encryptString(probe)) === probe;
  } catch {
    return false;
  }
}

/** Must be called after the app's `ready` event (Linux picks its backend then). */
export function createSafeStorageCipher(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform,
): KeyCipher | null {
  if (platform === 'linux' && !safeStorage.isEncryptionAvailable()) {
    // Chromium's fixed-password fallback. It only takes effect when the selected backend is
    // basic_text; with libsecret or KWallet selected but not running, encryption still fails.
    safeStorage.setUsePlainTextEncryption(true);
  }
  if (platform !== 'linux' && !safeStorage.isEncryptionAvailable()) return null;
  if (!roundTrips(safeStorage)) return null;
  const obscured = platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  return {
    strength: obscured ? 'obscured' : 'encrypted',
    async encrypt(plaintext) {
      return safeStorage.encryptString(plaintext).toString('base64');
    },
    async decrypt(ciphertext) {
      return safeStorage.decryptString(Buffer.from(ciphertext, 'base64'));
    },
  };
}
