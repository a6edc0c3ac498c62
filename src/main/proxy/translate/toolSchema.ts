/**
 * Tool parameter schemas per backend dialect. Most backends take JSON Schema as Claude Code and
 * MCP servers write it. Gemini accepts only an OpenAPI-3.0-like subset and rejects the whole
 * request on any keyword outside it, so for Gemini the schema is rebuilt from an allow-list:
 * anything not known to be accepted is left out rather than risked.
 */

export type SchemaDialect = 'full' | 'gemini';

type Schema = Record<string, unknown>;

/** Keywords copied through unchanged (after their values are checked) for Gemini. */
const GEMINI_SCALAR_KEYWORDS = [
  'description',
  'nullable',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'propertyOrdering',
] as const;

const GEMINI_STRING_FORMATS = new Set(['enum', 'date-time']);

/** Returns a new schema for the dialect; the input is never mutated. */
export function cleanToolSchema(schema: Schema, dialect: SchemaDialect): Schema {
  if (dialect === 'full') return schema;
  const defs = { ...asSchema(schema.definitions), ...asSchema(schema.$defs) };
  const cleaned = toGemini(schema, defs, []);
  // Function parameters must be an object schema even when the client sent something vaguer.
  if (cleaned.type !== 'object') return { type: 'object', properties: {} };
  return cleaned;
}

function asSchema(value: unknown): Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Schema) : {};
}

function isSchema(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `#/$defs/Name` or `#/definitions/Name` → Name; other references cannot be resolved here. */
function localRefName(ref: unknown): string | undefined {
  if (typeof ref !== 'string') return undefined;
  const match = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref);
  return match ? decodeURIComponent(match[1].replace(/~1/g, '/').replace(/~0/g, '~')) : undefined;
}

function toGemini(schema: Schema, defs: Schema, refStack: string[]): Schema {
  if ('$ref' in schema) {
    const name = localRefName(schema.$ref);
    const target = name === undefined ? undefined : defs[name];
    // A recursive type (a tree node holding children of its own type) cannot be inlined
    // forever; beyond the first level it becomes an opaque object.
    if (name === undefined || !isSchema(target) || refStack.includes(name)) {
      return withDescription({ type: 'object' }, schema.description);
    }
    const { $ref: _ref, ...siblings } = schema;
    return toGemini({ ...target, ...siblings }, defs, [...refStack, name]);
  }

  const out: Schema = {};
  const types = typeList(schema.type);
  const nonNull = types.filter((t) => t !== 'null');
  if (types.includes('null')) out.nullable = true;
  if (nonNull.length > 1) {
    // Gemini has no type unions: a union becomes anyOf over single-type copies of the schema.
    const { type: _type, ...rest } = schema;
    out.anyOf = nonNull.map((t) => toGemini({ ...rest, type: t }, defs, refStack));
    copyScalars(schema, out, 'description');
    return out;
  }
  if (nonNull.length === 1) out.type = nonNull[0];

  copyScalars(schema, out);
  applyEnum(schema, out);
  if (
    typeof schema.format === 'string' &&
    out.type === 'string' &&
    GEMINI_STRING_FORMATS.has(schema.format)
  ) {
    out.format = schema.format;
  }

  if (isSchema(schema.properties)) {
    const properties: Schema = {};
    // Keys here are property names, not keywords: a property called `title` or `default` stays.
    for (const [key, value] of Object.entries(schema.properties)) {
      if (isSchema(value)) properties[key] = toGemini(value, defs, refStack);
    }
    out.properties = properties;
    if (out.type === undefined) out.type = 'object';
  }
  if (Array.isArray(schema.required) && isSchema(out.properties)) {
    // Gemini rejects `required` entries that name no declared property.
    const declared = out.properties;
    const required = schema.required.filter((r): r is string => typeof r === 'string' && r in declared);
    if (required.length > 0) out.required = required;
  }

  const items = Array.isArray(schema.items) ? schema.items[0] : schema.items;
  if (isSchema(items)) out.items = toGemini(items, defs, refStack);
  else if (out.type === 'array') out.items = {};

  mergeAllOf(schema, out, defs, refStack);
  applyAnyOf(schema, out, defs, refStack);
  return out;
}

function typeList(type: unknown): string[] {
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  return [];
}

function copyScalars(from: Schema, to: Schema, only?: string): void {
  for (const key of GEMINI_SCALAR_KEYWORDS) {
    if (only !== undefined && key !== only) continue;
    if (from[key] !== undefined && to[key] === undefined) to[key] = from[key];
  }
}

function withDescription(schema: Schema, description: unknown): Schema {
  return typeof description === 'string' ? { ...schema, description } : schema;
}

/**
 * Gemini enums hold strings only. `const` becomes a one-value enum; non-string values cannot be
 * expressed, so they are spelled out in the description instead of silently lost.
 */
function applyEnum(schema: Schema, out: Schema): void {
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : undefined;
  if (values === undefined) return;
  const present = values.filter((v) => v !== null);
  if (present.length < values.length) out.nullable = true;
  if (present.length === 0) return;
  if (present.every((v) => typeof v === 'string')) {
    out.enum = present;
    if (out.type === undefined) out.type = 'string';
    return;
  }
  const allowed = `Allowed values: ${present.map((v) => JSON.stringify(v)).join(', ')}.`;
  out.description = typeof out.description === 'string' ? `${out.description} ${allowed}` : allowed;
}

function applyAnyOf(schema: Schema, out: Schema, defs: Schema, refStack: string[]): void {
  const variants = [schema.anyOf, schema.oneOf].find(Array.isArray);
  if (!variants) return;
  const cleaned: Schema[] = [];
  for (const variant of variants) {
    if (!isSchema(variant)) continue;
    if (variant.type === 'null') {
      out.nullable = true;
      continue;
    }
    cleaned.push(toGemini(variant, defs, refStack));
  }
  if (cleaned.length === 1) {
    // `anyOf: [X, {type: null}]` (pydantic's Optional) is just a nullable X.
    for (const [key, value] of Object.entries(cleaned[0])) if (out[key] === undefined) out[key] = value;
  } else if (cleaned.length > 1) {
    out.anyOf = cleaned;
  }
}

/** allOf has no Gemini equivalent; its parts are merged into one schema (first value wins). */
function mergeAllOf(schema: Schema, out: Schema, defs: Schema, refStack: string[]): void {
  if (!Array.isArray(schema.allOf)) return;
  for (const part of schema.allOf) {
    if (!isSchema(part)) continue;
    const cleaned = toGemini(part, defs, refStack);
    for (const [key, value] of Object.entries(cleaned)) {
      if (key === 'properties' && isSchema(value)) {
        out.properties = { ...value, ...asSchema(out.properties) };
      } else if (key === 'required' && Array.isArray(value)) {
        out.required = [...new Set([...(Array.isArray(out.required) ? out.required : []), ...value])];
      } else if (out[key] === undefined) {
        out[key] = value;
      }
    }
  }
}
