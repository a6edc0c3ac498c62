/** Anthropic server-sent events: every event needs both an `event:` and a `data:` line. */
import type { StreamEvent } from '../anthropicTypes';

export function serializeEvent(event: StreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
