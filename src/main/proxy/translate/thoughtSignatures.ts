/**
 * Gemini 3 attaches a thought signature to each tool call and rejects the next turn unless it
 * is echoed back. Clients only send back the tool_use block, so the signature is remembered
 * here, keyed by the tool-call id the client saw. Bounded: oldest entries go first.
 */
export class ThoughtSignatureStore {
  private readonly entries = new Map<string, string>();

  constructor(private readonly capacity = 10_000) {}

  remember(toolCallId: string, signature: string): void {
    this.entries.delete(toolCallId);
    this.entries.set(toolCallId, signature);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  recall(toolCallId: string): string | undefined {
    return this.entries.get(toolCallId);
  }

  get size(): number {
    return this.entries.size;
  }
}
