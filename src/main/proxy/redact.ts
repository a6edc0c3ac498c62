/**
 * Keeps API keys out of everything a client or the log can see. Upstreams echo keys back in
 * error messages ("Incorrect API key provided: sk-…"), so every message from an upstream passes
 * through here before it leaves the process.
 */

// Shapes of well-known provider keys, for keys we were not told about (e.g. a client's own).
const KEY_SHAPES =
  /\b(sk-[A-Za-z0-9_-]{12,}|sk_[A-Za-z0-9_-]{12,}|AIza[0-9A-Za-z_-]{20,}|gsk_[A-Za-z0-9]{12,})/g;

export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    // Very short "keys" (e.g. "not-needed" for local servers) would redact ordinary words.
    if (secret && secret.length >= 8) out = out.split(secret).join('[redacted]');
  }
  return out.replace(KEY_SHAPES, '[redacted]');
}
