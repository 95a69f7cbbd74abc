/** The custom scalars of the DashX schema (JSON, UUID, Timestamp, Decimal), lenient on input. */
import { Kind, isScalarType, valueFromASTUntyped, type GraphQLSchema, type ValueNode } from 'graphql';
import { invalidInput } from '../../errors.ts';

/** How one scalar reads variables and literals and writes results (graphql-js semantics). */
export interface ScalarBehaviour {
  serialize(value: unknown): unknown;
  parseValue(value: unknown): unknown;
  parseLiteral(node: ValueNode, variables?: Readonly<Record<string, unknown>> | null): unknown;
}

/**
 * ISO 8601 date-time shape, a superset of what the services accept (`validation/timestamp.ts`):
 * fractional seconds and the offset are optional here, so the service gives the precise message.
 * Fixed-width pieces and no nested quantifiers keep matching linear.
 */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})?$/;
/** Longest form: 19 + 10 (`.fffffffff`) + 6 (`+hh:mm`). */
const MAX_TIMESTAMP_LENGTH = 35;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL_PATTERN = /^-?\d{1,300}(?:\.\d{1,300})?(?:[eE][+-]?\d{1,4})?$/;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Any JSON value. Literals become plain values: php inlines `data: { a: "1" }` and `data: ""`. */
export const JSONScalar: ScalarBehaviour = {
  serialize: (value) => value,
  parseValue: (value) => value,
  // Object literals come back with a null prototype (graphql-js keyValMap), like input objects.
  parseLiteral: (node, variables) => valueFromASTUntyped(node, variables ?? undefined),
};

function parseTimestamp(value: unknown): string {
  if (typeof value !== 'string') throw invalidInput(`Timestamp must be an ISO 8601 string, got ${describe(value)}`);
  if (value.length > MAX_TIMESTAMP_LENGTH || !ISO_DATE_TIME.test(value)) {
    throw invalidInput('Timestamp must be an ISO 8601 date-time, e.g. 2026-11-29T17:51:58Z');
  }
  return value;
}

/**
 * An ISO 8601 date-time. Input stays the ORIGINAL STRING (with or without fractional seconds and
 * offset): the service parses it, checks its range and decides on clamping. Output: a Date
 * becomes `toISOString()`, a string is passed through, epoch milliseconds become ISO.
 */
export const TimestampScalar: ScalarBehaviour = {
  serialize(value) {
    const date = typeof value === 'number' ? new Date(value) : value;
    if (typeof date === 'string') return date;
    if (date instanceof Date && !Number.isNaN(date.getTime())) return date.toISOString();
    throw new TypeError(`Timestamp cannot represent ${describe(value)}`);
  },
  parseValue: parseTimestamp,
  parseLiteral(node) {
    if (node.kind !== Kind.STRING) throw invalidInput('Timestamp must be an ISO 8601 string literal');
    return parseTimestamp(node.value);
  },
};

function parseUuid(value: unknown): string {
  if (typeof value !== 'string' || !UUID_PATTERN.test(value)) {
    throw invalidInput(`UUID must be a string like 123e4567-e89b-42d3-a456-426614174000, got ${describe(value)}`);
  }
  return value;
}

/** A UUID string of any version and either case, kept as sent (ios sends upper case). */
export const UUIDScalar: ScalarBehaviour = {
  serialize(value) {
    if (typeof value !== 'string') throw new TypeError(`UUID cannot represent ${describe(value)}`);
    return value;
  },
  parseValue: parseUuid,
  parseLiteral(node) {
    if (node.kind !== Kind.STRING) throw invalidInput('UUID must be a string literal');
    return parseUuid(node.value);
  },
};

function toDecimal(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && DECIMAL_PATTERN.test(value)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A finite number; numeric strings (as PostgreSQL `numeric` or some clients send) become numbers. */
export const DecimalScalar: ScalarBehaviour = {
  serialize(value) {
    const n = toDecimal(value);
    if (n === undefined) throw new TypeError(`Decimal cannot represent ${describe(value)}`);
    return n;
  },
  parseValue(value) {
    const n = toDecimal(value);
    if (n === undefined) throw invalidInput(`Decimal must be a finite number, got ${describe(value)}`);
    return n;
  },
  parseLiteral(node) {
    const n =
      node.kind === Kind.INT || node.kind === Kind.FLOAT || node.kind === Kind.STRING
        ? toDecimal(node.value)
        : undefined;
    if (n === undefined) throw invalidInput('Decimal must be a finite number');
    return n;
  },
};

const scalars: Readonly<Record<string, ScalarBehaviour>> = {
  JSON: JSONScalar,
  UUID: UUIDScalar,
  Timestamp: TimestampScalar,
  Decimal: DecimalScalar,
};

/**
 * Gives the scalars declared in `schema` (by `buildSchema`, which makes them pass-through) their
 * behaviour. Mutates the schema's own scalar objects, so call it on a freshly built schema only.
 * @throws Error when the schema lacks one of the four scalars.
 * @example installScalars(buildSchema(sdl));
 */
export function installScalars(schema: GraphQLSchema): void {
  for (const [name, behaviour] of Object.entries(scalars)) {
    const type = schema.getType(name);
    if (!isScalarType(type)) throw new Error(`The schema has no scalar ${name}`);
    type.serialize = behaviour.serialize;
    type.parseValue = behaviour.parseValue;
    type.parseLiteral = behaviour.parseLiteral;
  }
}
