/** A real (AES-GCM) cipher with a fixed test key, standing in for Electron's safeStorage. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyCipher } from '../../src/main/app/secretVault';

const KEY = Buffer.alloc(32, 7);

export function testCipher(strength: KeyCipher['strength'] = 'encrypted'): KeyCipher {
  return {
    strength,
    async encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', KEY, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    async decrypt(ciphertext) {
      const raw = Buffer.from(ciphertext, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', KEY, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
