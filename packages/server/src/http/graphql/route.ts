/** The DashX GraphQL endpoint (`POST /graphql` and `POST /`) as a Fastify plugin, business logic injected. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError, execute, type DocumentNode, type ExecutionResult } from 'graphql';
import { readCredentials } from '../credentials.ts';
import { createDocumentCache } from './document-cache.ts';
import { compileFastOperation, type FastOperation } from './fast-operation.ts';
import { formatErrors, requestError, type FormattedGraphQLError } from './format-errors.ts';
import { buildDashXSchema, type GraphQLContext, type GraphQLResolvers } from './schema.ts';

export interface GraphQLRoutesOptions {
  /** Root-field resolvers; SDL fields without one answer NOT_SUPPORTED. */
  resolvers: GraphQLResolvers;
  /**
   * Makes each request's context; a TesseraError thrown here is answered like a resolver's.
   * Default: `{ request, credentials: readCredentials(request.headers) }`.
   */
  createContext?: (request: FastifyRequest) => GraphQLContext | Promise<GraphQLContext>;
  /** Most parsed documents kept. Default: 1000. */
  documentCacheSize?: number;
  /** Run DashX's simple documents without graphql-js `execute()` (fast-operation.ts). Default true. */
  fastOperations?: boolean;
}

/** The body of every answer: GraphQL's `{ data?, errors? }`. */
export interface GraphQLResponseBody {
  data?: unknown;
  errors?: FormattedGraphQLError[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Creates the plugin; the schema and the document cache are built here, once.
 * Every answer is `Content-Type: application/json`, HTTP 200 for anything GraphQL can express
 * (DashX SDKs lose the errors of non-200 answers) and 400 for a body that is not a GraphQL
 * request at all. The routes use the app's body parser (JSON whatever the Content-Type).
 * @throws Error when `resolvers` names a field the schema does not have.
 * @example await app.register(graphqlRoutes({ resolvers: { Query: {}, Mutation: { trackEvent } } }));
 */
export function graphqlRoutes(options: GraphQLRoutesOptions): (app: FastifyInstance) => Promise<void> {
  const schema = buildDashXSchema(options.resolvers);
  const cache = createDocumentCache({
    schema,
    ...(options.documentCacheSize !== undefined && { maxEntries: options.documentCacheSize }),
  });
  // Compiled once per cached document; null: graphql-js runs it (and a document evicted from the
  // cache takes its entry with it).
  const fastOperations = new WeakMap<DocumentNode, FastOperation | null>();
  const fastOperationOf = (document: DocumentNode): FastOperation | null => {
    let fast = fastOperations.get(document);
    if (fast === undefined) {
      fast =
        options.fastOperations === false ? null : (compileFastOperation(schema, document, options.resolvers) ?? null);
      fastOperations.set(document, fast);
    }
    return fast;
  };
  const createContext =
    options.createContext ??
    ((request: FastifyRequest): GraphQLContext => ({ request, credentials: readCredentials(request.headers) }));

  const answer = (reply: FastifyReply, request: FastifyRequest, result: ExecutionResult): FastifyReply => {
    const body: GraphQLResponseBody = {};
    if ('data' in result) body.data = result.data;
    if (result.errors !== undefined && result.errors.length > 0) {
      const formatted = formatErrors(result.errors, request);
      body.errors = formatted.errors;
      if (formatted.retryAfterSeconds !== undefined) reply.header('Retry-After', String(formatted.retryAfterSeconds));
    }
    return reply.code(200).type('application/json').send(body);
  };

  const badRequest = (reply: FastifyReply, message: string): FastifyReply =>
    reply
      .code(400)
      .type('application/json')
      .send({ errors: [requestError(message, reply.request.id)] } satisfies GraphQLResponseBody);

  const handle = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const body = request.body;
    if (!isRecord(body) || typeof body.query !== 'string') {
      return badRequest(reply, 'Send a JSON object with a "query" string: {"query": "…", "variables": {…}}');
    }
    const { query, variables, operationName } = body;
    if (variables !== undefined && variables !== null && !isRecord(variables)) {
      return badRequest(reply, '"variables" must be an object');
    }
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
      return badRequest(reply, '"operationName" must be a string');
    }
    // `extensions` (Apollo 4's clientLibrary) is ignored.

    const cached = cache.get(query);
    // A document that does not parse or validate is answered without `data`, per the GraphQL spec.
    if (cached.document === undefined) return answer(reply, request, { errors: cached.errors });

    let result: ExecutionResult;
    try {
      const contextValue = await createContext(request);
      const variableValues = variables ?? undefined;
      // Some tools send "" for "no name"; graphql-js would look for an operation named "".
      const name = operationName || undefined;
      result = await (fastOperationOf(cached.document)?.run(contextValue, variableValues, name) ??
        execute({ schema, document: cached.document, contextValue, variableValues, operationName: name }));
    } catch (err) {
      // createContext refused the request, or a bug: still a GraphQL answer, before execution.
      const cause = err instanceof Error ? err : new Error(String(err));
      result = { errors: [new GraphQLError(cause.message, { originalError: cause })] };
    }
    return answer(reply, request, result);
  };

  return async (app) => {
    app.post('/graphql', handle);
    // Ruby and PHP SDKs append /graphql to the configured origin; JS and mobile SDKs POST to the
    // configured URL verbatim, which operators may set to the server's root.
    app.post('/', handle);
  };
}
