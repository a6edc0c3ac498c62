/**
 * Structured output: Anthropic's `output_config.format` (and the older beta `output_format`),
 * `{type: "json_schema", schema}`, asks for an answer that is JSON matching the schema, returned
 * as the text of the message. Backends that take a JSON schema get it as `response_format`;
 * others get a forced call of one extra tool whose parameters are the schema, and that call's
 * arguments come back to the client as the text (see ResponseContext.structuredOutputTool).
 */
import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import type { StructuredOutputMode } from '../../../shared/providerCatalog';
import type { MessagesRequest } from '../anthropicTypes';
import type { DegradationNotes } from './degradationNotes';
import type { ToolParams } from './toolDefinitions';
import { cleanToolSchema, type SchemaDialect } from './toolSchema';

/** Name of the tool that carries the answer in forced-tool mode; the client never sees it. */
export const STRUCTURED_OUTPUT_TOOL = 'structured_output';

export interface StructuredOutputParams {
  response_format?: {
    type: 'json_schema';
    json_schema: { name: string; schema: Record<string, unknown>; strict: boolean };
  };
}

/** The JSON schema the client asked the answer to follow, if any. */
export function requestedSchema(req: Pick<MessagesRequest, 'output_config'> & { output_format?: unknown }) {
  const format = (req.output_config as { format?: unknown } | undefined)?.format ?? req.output_format;
  const record = format as { type?: unknown; schema?: unknown } | null | undefined;
  if (!record || record.type !== 'json_schema') return undefined;
  const schema = record.schema;
  return schema !== null && typeof schema === 'object' && !Array.isArray(schema)
    ? (schema as Record<string, unknown>)
    : undefined;
}

export function translateStructuredOutput(
  schema: Record<string, unknown>,
  mode: StructuredOutputMode,
  dialect: SchemaDialect,
  tools: ToolParams,
  notes: DegradationNotes,
): { params: StructuredOutputParams & ToolParams; tool?: string } {
  const cleaned = cleanToolSchema(schema, dialect) as Record<string, unknown>;
  if (mode === 'json-schema') {
    return {
      params: {
        ...tools,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'output', schema: cleaned, strict: false },
        },
      },
    };
  }
  const tool: ChatCompletionFunctionTool = {
    type: 'function',
    function: {
      name: STRUCTURED_OUTPUT_TOOL,
      description: 'Give the answer as this JSON object.',
      parameters: cleaned,
    },
  };
  notes.add('structured output requested through a forced tool call');
  return {
    params: {
      tools: [...(tools.tools ?? []), tool],
      tool_choice: { type: 'function', function: { name: STRUCTURED_OUTPUT_TOOL } },
      ...(tools.parallel_tool_calls === false ? { parallel_tool_calls: false } : {}),
    },
    tool: STRUCTURED_OUTPUT_TOOL,
  };
}
