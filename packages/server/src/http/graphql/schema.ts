/** The executable DashX schema: `schema.graphql` with the injected resolvers and the custom scalars. */
import { readFileSync } from 'node:fs';
import type { FastifyRequest } from 'fastify';
import { buildSchema, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import type { Credentials } from '../../services/caller.ts';
import { serverPath } from '../../paths.ts';
import { notSupportedError } from './format-errors.ts';
import { installScalars } from './scalars.ts';

/** What every resolver receives as its context. */
export interface GraphQLContext {
  request: FastifyRequest;
  /** From the X-Public-Key, X-Private-Key, X-Target-Environment and X-Identity-Token headers. */
  credentials: Credentials;
}

/**
 * Resolves one root field. `args.input` is `undefined` when the client sent no input, `null`
 * for an explicit null (every `input` argument is nullable), else the coerced input object.
 * @example const trackEvent: FieldResolver = async ({ input }, ctx) => ({ success: true });
 */
export type FieldResolver = (args: { input?: Record<string, unknown> | null }, ctx: GraphQLContext) => unknown;

/**
 * A root field's outcome, computed before `execute()` by the resolver itself (fast-operation.ts).
 * Given to `execute()` as its root value, it is what the root field resolves to, so graphql-js
 * shapes the answer (errors, nulls) as if it had called the resolver, which runs only once.
 */
export class SettledRoot {
  readonly #outcome: { value: unknown } | { error: unknown };

  private constructor(outcome: { value: unknown } | { error: unknown }) {
    this.#outcome = outcome;
  }

  static resolved(value: unknown): SettledRoot {
    return new SettledRoot({ value });
  }

  static failed(error: unknown): SettledRoot {
    return new SettledRoot({ error });
  }

  /** The value, or the error thrown again. */
  take(): unknown {
    if ('error' in this.#outcome) throw this.#outcome.error;
    return this.#outcome.value;
  }
}

/**
 * The root-field resolvers, by field name. Fields of the SDL without one answer NOT_SUPPORTED.
 * @example { Query: { fetchContacts }, Mutation: { identifyAccount, trackEvent } }
 */
export interface GraphQLResolvers {
  Query: Record<string, FieldResolver>;
  Mutation: Record<string, FieldResolver>;
}

let sdl: string | undefined;

/** The SDL of `schema.graphql`, read on first use (importing this module reads nothing). */
export function loadSdl(): string {
  sdl ??= readFileSync(serverPath('src/http/graphql/schema.graphql'), 'utf8');
  return sdl;
}

function attach(type: GraphQLObjectType, resolvers: Record<string, FieldResolver>): void {
  const fields = type.getFields();
  for (const name of Object.keys(resolvers)) {
    if (!Object.hasOwn(fields, name)) throw new Error(`${type.name}.${name} is not in the DashX schema`);
  }
  for (const [name, field] of Object.entries(fields)) {
    const resolver = Object.hasOwn(resolvers, name) ? resolvers[name] : undefined;
    field.resolve =
      resolver === undefined
        ? () => {
            throw notSupportedError(name);
          }
        : (source, args, ctx: GraphQLContext) => (source instanceof SettledRoot ? source.take() : resolver(args, ctx));
  }
}

/**
 * Builds a fresh executable schema (build it once, at startup): root fields get `resolvers`
 * (fields without one throw NOT_SUPPORTED), the scalars get their behaviour (see `scalars.ts`).
 * @throws Error when `resolvers` names a field the schema does not have (a typo).
 * @example const schema = buildDashXSchema({ Query: {}, Mutation: { trackEvent } });
 */
export function buildDashXSchema(resolvers: GraphQLResolvers): GraphQLSchema {
  const schema = buildSchema(loadSdl());
  installScalars(schema);
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  if (!query || !mutation) throw new Error('schema.graphql must declare Query and Mutation');
  attach(query, resolvers.Query);
  attach(mutation, resolvers.Mutation);
  return schema;
}
