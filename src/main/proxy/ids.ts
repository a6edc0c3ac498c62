/** Identifiers in the shapes Anthropic clients expect (`req_…`, `msg_…`, `toolu_…`). */
import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = prefix;
  // 256 % 62 leaves a slight bias, harmless for identifiers that are not secrets.
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i] % ALPHABET.length];
  return out;
}

export const newRequestId = (): string => randomId('req_');
export const newMessageId = (): string => randomId('msg_');
