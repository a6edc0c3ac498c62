/**
 * Short deterministic digests for rewritten tool names and ids. Determinism matters more than
 * secrecy: the same client value must map to the same upstream value on every turn, with no
 * state kept between requests.
 */
import { createHash } from 'node:crypto';

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `length` base-36 characters derived from SHA-256 of `text`. */
export function stableHash(text: string, length = 8): string {
  const digest = createHash('sha256').update(text).digest();
  let out = '';
  for (let i = 0; out.length < length; i++) out += ALPHANUMERIC[digest[i % digest.length] % 36];
  return out;
}
