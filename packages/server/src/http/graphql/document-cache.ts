/** A bounded LRU of parsed and validated GraphQL documents, keyed by the query string. */
import { GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { recordCacheLookup } from '../../metrics/registry.ts';
import { validationErrors } from './format-errors.ts';

/** What a query string turned into: a valid document, or the errors to answer with. */
export type CachedDocument =
  | { readonly document: DocumentNode; readonly errors: undefined }
  | { readonly document: undefined; readonly errors: readonly GraphQLError[] };

export interface DocumentCacheOptions {
  /** The schema documents are validated against. */
  schema: GraphQLSchema;
  /** Most documents kept; the least recently used goes first. Default: 1000. */
  maxEntries?: number;
  /** Longer query strings are refused without parsing or caching. Default: 100 KB (102 400). */
  maxQueryLength?: number;
}

/** See {@link createDocumentCache}. */
export interface DocumentCache {
  /** The document for `query`, parsed and validated on the first request only. */
  get(query: string): CachedDocument;
  /** How many query strings are cached now. */
  readonly size: number;
  /** How many times a query was parsed and validated (cache misses), for tests and metrics. */
  readonly misses: number;
}

const DEFAULT_MAX_ENTRIES = 1000;
const DEFAULT_MAX_QUERY_LENGTH = 100 * 1024;
/**
 * Caps the cost of a miss (every new query string is one): validation is quadratic in repeated
 * fields (330 copies of one field, ~2000 tokens: ~60 ms; 160 copies, ~1000 tokens: ~11 ms). The
 * SDKs' largest document (php's identifyAccount, 25 Account fields) has ~110 tokens and the full
 * introspection query ~190, so 1000 leaves 5× headroom.
 */
const MAX_TOKENS = 1000;

/**
 * Creates the cache. Parsing and validating per request cuts throughput ~6× (measured:
 * 0.09× a bare Fastify route instead of 0.59×), so a hit is a Map lookup (plus a re-insert to keep
 * LRU order; ~50 ns measured).
 * Documents with errors are cached too: an SDK that sends an invalid or unsupported document
 * sends the same one again.
 * @example
 *   const cache = createDocumentCache({ schema });
 *   const { document, errors } = cache.get('{ __typename }');
 */
export function createDocumentCache(options: DocumentCacheOptions): DocumentCache {
  const { schema, maxEntries = DEFAULT_MAX_ENTRIES, maxQueryLength = DEFAULT_MAX_QUERY_LENGTH } = options;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError('maxEntries must be a positive integer');
  }
  if (!Number.isSafeInteger(maxQueryLength) || maxQueryLength < 1) {
    throw new RangeError('maxQueryLength must be a positive integer');
  }
  const tooLong: CachedDocument = {
    document: undefined,
    errors: [new GraphQLError(`The query is longer than ${maxQueryLength} characters`)],
  };
  const entries = new Map<string, CachedDocument>();
  let misses = 0;

  const compile = (query: string): CachedDocument => {
    misses += 1;
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: MAX_TOKENS });
    } catch (err) {
      if (err instanceof GraphQLError) return { document: undefined, errors: [err] };
      throw err;
    }
    const errors = validationErrors(schema, document, validate(schema, document));
    if (errors.length > 0) return { document: undefined, errors };
    return { document, errors: undefined };
  };

  return {
    get(query) {
      if (query.length > maxQueryLength) return tooLong;
      const hit = entries.get(query);
      recordCacheLookup('graphql_document', hit !== undefined);
      if (hit !== undefined) {
        // Re-insert so that Map order is least-recently-used first.
        entries.delete(query);
        entries.set(query, hit);
        return hit;
      }
      const compiled = compile(query);
      if (entries.size >= maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
      entries.set(query, compiled);
      return compiled;
    },
    get size() {
      return entries.size;
    },
    get misses() {
      return misses;
    },
  };
}
