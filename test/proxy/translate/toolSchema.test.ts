import { describe, expect, it } from 'vitest';
import { cleanToolSchema } from '../../../src/main/proxy/translate/toolSchema';

/** Shaped like Claude Code's own Edit / TodoWrite tools (zod-to-json-schema output). */
const todoWrite = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  properties: {
    todos: {
      type: 'array',
      description: 'The updated todo list',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          content: { type: 'string', minLength: 1 },
          status: { type: 'string', enum: ['pending', 'in_progress', 'completed'] },
          id: { type: 'string' },
        },
        required: ['content', 'status', 'id'],
      },
    },
  },
  required: ['todos'],
};

/** Shaped like typical MCP server schemas (pydantic / TypeScript SDK output). */
const mcpSearch = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'search_issuesArguments',
  type: 'object',
  $defs: {
    Filter: {
      title: 'Filter',
      type: 'object',
      properties: {
        label: { anyOf: [{ type: 'string' }, { type: 'null' }], default: null, title: 'Label' },
        kind: { const: 'issue', type: 'string' },
      },
      propertyNames: { pattern: '^[a-z]+$' },
    },
  },
  properties: {
    query: { type: 'string', title: 'Query', examples: ['is:open'] },
    since: { type: ['string', 'null'], format: 'date-time' },
    url: { type: 'string', format: 'uri' },
    tags: { type: 'array', items: { type: 'string' }, uniqueItems: true, maxItems: 5 },
    filter: { $ref: '#/$defs/Filter' },
    limit: { type: 'integer', default: 10, minimum: 1, exclusiveMaximum: 101 },
    meta: { type: 'object', patternProperties: { '^x-': { type: 'string' } } },
  },
  required: ['query', 'not_a_property'],
};

describe('cleanToolSchema', () => {
  it('returns the schema unchanged for the full dialect', () => {
    expect(cleanToolSchema(mcpSearch, 'full')).toBe(mcpSearch);
  });

  it('reduces Claude Code tool schemas to the Gemini subset', () => {
    expect(cleanToolSchema(todoWrite, 'gemini')).toEqual({
      type: 'object',
      properties: {
        todos: {
          type: 'array',
          description: 'The updated todo list',
          items: {
            type: 'object',
            properties: {
              content: { type: 'string', minLength: 1 },
              status: { type: 'string', enum: ['pending', 'in_progress', 'completed'] },
              id: { type: 'string' },
            },
            required: ['content', 'status', 'id'],
          },
        },
      },
      required: ['todos'],
    });
  });

  it('inlines $ref, converts const, type arrays and nullable anyOf, and drops rejected keywords', () => {
    expect(cleanToolSchema(mcpSearch, 'gemini')).toEqual({
      type: 'object',
      properties: {
        query: { type: 'string' },
        since: { type: 'string', nullable: true, format: 'date-time' },
        url: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 5 },
        filter: {
          type: 'object',
          properties: {
            label: { type: 'string', nullable: true },
            kind: { type: 'string', enum: ['issue'] },
          },
        },
        limit: { type: 'integer', minimum: 1 },
        meta: { type: 'object' },
      },
      required: ['query'],
    });
  });

  it('does not mutate its input', () => {
    const before = JSON.stringify(mcpSearch);
    cleanToolSchema(mcpSearch, 'gemini');
    expect(JSON.stringify(mcpSearch)).toBe(before);
  });

  it('keeps properties whose names are keywords', () => {
    const schema = {
      type: 'object',
      properties: { title: { type: 'string' }, default: { type: 'boolean' }, format: { type: 'string' } },
    };
    expect(cleanToolSchema(schema, 'gemini')).toEqual(schema);
  });

  it('stops at recursive references', () => {
    const tree = {
      type: 'object',
      properties: { root: { $ref: '#/definitions/Node' } },
      definitions: {
        Node: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            children: { type: 'array', items: { $ref: '#/definitions/Node' } },
          },
        },
      },
    };
    expect(cleanToolSchema(tree, 'gemini')).toEqual({
      type: 'object',
      properties: {
        root: {
          type: 'object',
          properties: { name: { type: 'string' }, children: { type: 'array', items: { type: 'object' } } },
        },
      },
    });
  });

  it('turns multi-type unions into anyOf and oneOf into anyOf', () => {
    const schema = {
      type: 'object',
      properties: {
        value: { type: ['string', 'number'], description: 'v' },
        shape: { oneOf: [{ type: 'string' }, { type: 'object', properties: { r: { type: 'number' } } }] },
      },
    };
    expect(cleanToolSchema(schema, 'gemini')).toEqual({
      type: 'object',
      properties: {
        value: {
          anyOf: [
            { type: 'string', description: 'v' },
            { type: 'number', description: 'v' },
          ],
          description: 'v',
        },
        shape: { anyOf: [{ type: 'string' }, { type: 'object', properties: { r: { type: 'number' } } }] },
      },
    });
  });

  it('spells out non-string enums in the description instead of sending them', () => {
    const schema = {
      type: 'object',
      properties: { level: { type: 'integer', enum: [1, 2, 3], description: 'Level.' } },
    };
    expect(cleanToolSchema(schema, 'gemini')).toEqual({
      type: 'object',
      properties: { level: { type: 'integer', description: 'Level. Allowed values: 1, 2, 3.' } },
    });
  });

  it('merges allOf parts', () => {
    const schema = {
      allOf: [
        { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
        { properties: { b: { type: 'number' } }, required: ['b'] },
      ],
    };
    expect(cleanToolSchema(schema, 'gemini')).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'number' } },
      required: ['a', 'b'],
    });
  });

  it('falls back to an empty object schema when the top level is not an object', () => {
    expect(cleanToolSchema({ type: 'string' }, 'gemini')).toEqual({ type: 'object', properties: {} });
  });
});
