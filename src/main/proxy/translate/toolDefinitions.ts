/**
 * Declared tools and tool_choice. Only custom (function) tools can run on a chat-completions
 * backend: Anthropic server tools (web_search_*, code execution…) and Anthropic-defined client
 * tools without a schema (bash_*, text_editor_*) have no function definition to send, so they
 * are dropped with a note instead of failing the request.
 */
import type {
  ChatCompletionFunctionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import type { CustomTool, MessagesRequest } from '../anthropicTypes';
import type { DegradationNotes } from './degradationNotes';
import { toolsToDeclare } from './toolSearch';
import { cleanToolSchema, type SchemaDialect } from './toolSchema';
import type { ToolNameMap } from './toolNames';

export interface ToolParams {
  tools?: ChatCompletionFunctionTool[];
  tool_choice?: ChatCompletionToolChoiceOption;
  parallel_tool_calls?: boolean;
}

const EMPTY_PARAMETERS = { type: 'object', properties: {} };

export function translateTools(
  req: Pick<MessagesRequest, 'tools' | 'tool_choice'> & { messages?: MessagesRequest['messages'] },
  names: ToolNameMap,
  dialect: SchemaDialect,
  notes: DegradationNotes,
): ToolParams {
  const declared = new Set<string>();
  const tools: ChatCompletionFunctionTool[] = [];
  const plan = toolsToDeclare(req.tools ?? [], req.messages ?? []);
  if (plan.deferred > 0) notes.add(`deferred ${plan.deferred} tools until a tool_reference loads them`);
  for (const tool of plan.tools) {
    const fn = functionTool(tool, names, dialect, notes);
    if (!fn) continue;
    tools.push(fn);
    declared.add(tool.name);
  }
  const choice = req.tool_choice;
  if (tools.length === 0) {
    if (choice && choice.type !== 'auto' && choice.type !== 'none') {
      notes.add(`dropped tool_choice ${choice.type}: no tools left to call`);
    }
    return {};
  }

  const params: ToolParams = { tools };
  if (choice) {
    if (choice.type === 'auto') params.tool_choice = 'auto';
    else if (choice.type === 'any') params.tool_choice = 'required';
    else if (choice.type === 'none') params.tool_choice = 'none';
    else if (choice.type === 'tool' && declared.has(choice.name)) {
      params.tool_choice = { type: 'function', function: { name: names.toUpstream(choice.name) } };
    } else if (choice.type === 'tool') {
      notes.add(`dropped tool_choice for ${choice.name}: that tool is not sent to this backend`);
    }
    if (choice.disable_parallel_tool_use === true) params.parallel_tool_calls = false;
  }
  return params;
}

function functionTool(
  tool: CustomTool,
  names: ToolNameMap,
  dialect: SchemaDialect,
  notes: DegradationNotes,
): ChatCompletionFunctionTool | undefined {
  const schema = tool.input_schema;
  const hasSchema = schema !== null && typeof schema === 'object' && !Array.isArray(schema);
  const isTyped = typeof tool.type === 'string' && tool.type !== 'custom';
  if (typeof tool.name !== 'string') {
    notes.add(`dropped a ${tool.type ?? 'custom'} tool without a name`);
    return undefined;
  }
  if (!hasSchema && isTyped) {
    notes.add(`dropped tool ${tool.name} (${tool.type}): it cannot run on a chat-completions backend`);
    return undefined;
  }
  const fn: ChatCompletionFunctionTool['function'] = {
    name: names.toUpstream(tool.name),
    parameters: cleanToolSchema(hasSchema ? schema : EMPTY_PARAMETERS, dialect),
  };
  if (typeof tool.description === 'string' && tool.description) fn.description = tool.description;
  return { type: 'function', function: fn };
}
