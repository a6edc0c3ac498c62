/**
 * Validation of inbound Messages and count_tokens bodies. Deliberately tolerant: clients send
 * fields, block types and tools this proxy does not model (betas, server tools, new block
 * types), and those must reach the translator, which drops what it cannot use and says so.
 * Only shapes the translator truly cannot process are rejected, with messages in the style of
 * the Anthropic API (`<path>: <problem>`) so clients report them the way they know.
 */
import type { CountTokensRequest, MessagesRequest } from './anthropicTypes';
import { invalidRequest } from './errors';

type Json = Record<string, unknown>;

const MESSAGE_ROLES = new Set(['user', 'assistant', 'system']);

export function parseMessagesRequest(body: unknown): MessagesRequest {
  const req = requireObject(body);
  checkMaxTokens(req, true);
  checkCommon(req);
  return req as MessagesRequest;
}

export function parseCountTokensRequest(body: unknown): CountTokensRequest {
  const req = requireObject(body);
  checkMaxTokens(req, false);
  checkCommon(req);
  return req as CountTokensRequest;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function requireObject(body: unknown): Json {
  if (!isObject(body)) throw invalidRequest('Request body must be a JSON object.');
  return body;
}

function checkMaxTokens(req: Json, required: boolean): void {
  if (req.max_tokens === undefined) {
    if (required) throw invalidRequest('max_tokens: Field required');
    return;
  }
  if (typeof req.max_tokens !== 'number' || !Number.isInteger(req.max_tokens)) {
    throw invalidRequest('max_tokens: Input should be a valid integer');
  }
  if (req.max_tokens < 1) throw invalidRequest('max_tokens: Input should be greater than or equal to 1');
}

function checkCommon(req: Json): void {
  if (req.model === undefined) throw invalidRequest('model: Field required');
  if (typeof req.model !== 'string') throw invalidRequest('model: Input should be a valid string');
  if (req.model.length === 0) throw invalidRequest('model: String should have at least 1 character');
  checkMessages(req.messages);
  checkSystem(req.system);
  checkTools(req.tools);
  checkToolChoice(req.tool_choice);
}

function checkMessages(messages: unknown): void {
  if (messages === undefined) throw invalidRequest('messages: Field required');
  if (!Array.isArray(messages)) throw invalidRequest('messages: Input should be a valid list');
  if (messages.length === 0) throw invalidRequest('messages: at least one message is required');
  messages.forEach((message, i) => {
    const path = `messages.${i}`;
    if (!isObject(message)) throw invalidRequest(`${path}: Input should be a valid dictionary`);
    if (message.role === undefined) throw invalidRequest(`${path}.role: Field required`);
    if (typeof message.role !== 'string' || !MESSAGE_ROLES.has(message.role)) {
      throw invalidRequest(`${path}.role: Input should be 'user' or 'assistant'`);
    }
    checkContent(message.content, `${path}.content`);
  });
}

function checkContent(content: unknown, path: string): void {
  if (content === undefined) throw invalidRequest(`${path}: Field required`);
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) throw invalidRequest(`${path}: Input should be a valid string or list`);
  content.forEach((block, j) => checkBlock(block, `${path}.${j}`));
}

function checkBlock(block: unknown, path: string): void {
  if (!isObject(block)) throw invalidRequest(`${path}: Input should be a valid dictionary`);
  if (typeof block.type !== 'string') {
    throw invalidRequest(
      `${path}.type: ${block.type === undefined ? 'Field required' : 'Input should be a valid string'}`,
    );
  }
  switch (block.type) {
    case 'text':
      requireString(block, 'text', `${path}.text`);
      break;
    case 'tool_use':
      requireString(block, 'id', `${path}.tool_use`);
      requireString(block, 'name', `${path}.tool_use`);
      break;
    case 'tool_result':
      requireString(block, 'tool_use_id', `${path}.tool_result`);
      if (block.content !== undefined && block.content !== null) {
        if (typeof block.content !== 'string' && !Array.isArray(block.content)) {
          throw invalidRequest(`${path}.tool_result.content: Input should be a valid string or list`);
        }
        if (Array.isArray(block.content)) {
          block.content.forEach((inner, k) => checkBlock(inner, `${path}.tool_result.content.${k}`));
        }
      }
      break;
    default:
      // Other block types (images, documents, thinking, server tool blocks, future types) are
      // the translator's business: it converts what it can and drops the rest with a note.
      break;
  }
}

function requireString(obj: Json, key: string, path: string): void {
  if (obj[key] === undefined) throw invalidRequest(`${path}.${key}: Field required`);
  if (typeof obj[key] !== 'string') throw invalidRequest(`${path}.${key}: Input should be a valid string`);
}

function checkSystem(system: unknown): void {
  if (system === undefined || system === null || typeof system === 'string') return;
  if (!Array.isArray(system)) throw invalidRequest('system: Input should be a valid string or list');
  system.forEach((block, i) => checkBlock(block, `system.${i}`));
}

function checkTools(tools: unknown): void {
  if (tools === undefined || tools === null) return;
  if (!Array.isArray(tools)) throw invalidRequest('tools: Input should be a valid list');
  tools.forEach((tool, i) => {
    if (!isObject(tool)) throw invalidRequest(`tools.${i}: Input should be a valid dictionary`);
    // Typed tools (web_search_20250305, bash_20250124…) are dropped by the translator; only a
    // custom tool needs a name to be callable.
    const custom = tool.type === undefined || tool.type === null || tool.type === 'custom';
    if (custom) requireString(tool, 'name', `tools.${i}`);
  });
}

function checkToolChoice(choice: unknown): void {
  if (choice === undefined || choice === null) return;
  if (!isObject(choice)) throw invalidRequest('tool_choice: Input should be a valid dictionary');
  if (typeof choice.type !== 'string') throw invalidRequest('tool_choice.type: Field required');
  if (choice.type === 'tool') requireString(choice, 'name', 'tool_choice.tool');
}
