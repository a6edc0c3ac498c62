/**
 * Claude Code's tool search through any backend. Current Claude Code marks MCP and rarely used
 * tools `defer_loading: true` and loads them on demand: its ToolSearch tool answers with
 * `tool_reference` blocks naming the tools it found. A deferred tool is sent upstream only once
 * the conversation references it (or already calls it), and from then on in full on every
 * request. Loaded tools follow the always-sent ones in the order they were first referenced,
 * so each request's tool list extends the previous one and upstream prompt caching keeps
 * hitting.
 */
import type { CustomTool, InboundMessage } from '../anthropicTypes';

export function isDeferred(tool: CustomTool): boolean {
  return tool.defer_loading === true;
}

/** Names of the tools the conversation has loaded, in order of first reference. */
export function loadedToolNames(messages: InboundMessage[]): string[] {
  const names: string[] = [];
  const add = (name: unknown) => {
    if (typeof name === 'string' && name && !names.includes(name)) names.push(name);
  };
  const visit = (block: unknown) => {
    if (!block || typeof block !== 'object') return;
    const b = block as { type?: unknown; tool_name?: unknown; name?: unknown; content?: unknown };
    if (b.type === 'tool_reference') add(b.tool_name);
    // A call in the history means the tool was in use: keep declaring it.
    else if (b.type === 'tool_use') add(b.name);
    else if (b.type === 'tool_result' && Array.isArray(b.content)) b.content.forEach(visit);
  };
  for (const message of messages) {
    if (Array.isArray(message.content)) message.content.forEach(visit);
  }
  return names;
}

/**
 * The tools to declare upstream: every tool not deferred, in the client's order, then the
 * deferred tools the conversation has loaded, in the order they were loaded.
 */
export function toolsToDeclare(
  tools: CustomTool[],
  messages: InboundMessage[],
): { tools: CustomTool[]; deferred: number } {
  const eager = tools.filter((t) => !isDeferred(t));
  const deferredTools = tools.filter(isDeferred);
  if (deferredTools.length === 0) return { tools, deferred: 0 };
  const loaded = loadedToolNames(messages)
    .map((name) => deferredTools.find((t) => t.name === name))
    .filter((t): t is CustomTool => t !== undefined);
  return { tools: [...eager, ...loaded], deferred: deferredTools.length - loaded.length };
}
