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

export interface SdkLogger {
  error(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  debug(message: string, ...rest: unknown[]): void;
}

/**
 * The logger handed to the `openai` SDK. Left to itself the SDK prints unparsable stream data
 * verbatim to the console (keys an upstream echoed, message content). This keeps only the SDK's
 * own message text, redacted, on stderr, and drops its info/debug chatter (which, with
 * OPENAI_LOG=debug, includes request bodies).
 */
export function sdkLogger(
  secrets: Iterable<string | undefined>,
  write: (line: string) => void = (line) => process.stderr.write(line),
): SdkLogger {
  const kept = [...secrets];
  const emit = (message: string) => {
    write(`turnout: upstream client: ${redactSecrets(String(message), kept).slice(0, 300)}\n`);
  };
  const quiet = () => undefined;
  return { error: emit, warn: emit, info: quiet, debug: quiet };
}
