/** Identifiers in the shapes Anthropic clients expect (`req_…`, `msg_…`, `toolu_…`). */
import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// Perf (bench/): random bytes are drawn 4 KB at a time instead of one syscall per id; every
// request takes two ids, and the syscall showed in the profile. Same bytes, same alphabet.
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function takeRandomBytes(length: number): Buffer {
  if (length > POOL_SIZE) return randomBytes(length);
  if (poolOffset + length > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + length);
  poolOffset += length;
  return bytes;
}

export function randomId(prefix: string, length = 24): string {
  const bytes = takeRandomBytes(length);
  let out = prefix;
  // 256 % 62 leaves a slight bias, harmless for identifiers that are not secrets.
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i] % ALPHABET.length];
  return out;
}

export const newRequestId = (): string => randomId('req_');
export const newMessageId = (): string => randomId('msg_');
