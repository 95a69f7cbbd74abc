/** GraphQL errors as clients see them: DashX's `extensions.code`, internals masked, unknown DashX ops named. */
import { ErrorCode, type IdentityTokenReason } from '@tessera/protocol';
import type { FastifyRequest } from 'fastify';
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { TesseraError, isTesseraError } from '../../errors.ts';
import { toClientError } from '../error-handler.ts';

/** One error of a GraphQL answer, as serialized. */
export interface FormattedGraphQLError {
  message: string;
  locations?: readonly { line: number; column: number }[];
  path?: readonly (string | number)[];
  /**
   * `code` and `reason` are DashX's (its SDKs read them); `requestId` is the answer's
   * `X-Request-Id`, so a client's report can be matched with the server's log line.
   */
  extensions: { code: ErrorCode; reason?: IdentityTokenReason; requestId: string };
}

/**
 * The message for a DashX operation this server does not implement.
 * @example notSupportedMessage('addItemToCart') // '"addItemToCart" is not supported by this server: …'
 */
export function notSupportedMessage(field: string): string {
  return (
    `"${field}" is not supported by this server: Tessera implements DashX's user management ` +
    '(identifyAccount, trackEvent, stored preferences, contacts).'
  );
}

/** The TesseraError (code NOT_SUPPORTED) thrown for a DashX operation this server does not implement. */
export function notSupportedError(field: string): TesseraError {
  return new TesseraError(ErrorCode.NOT_SUPPORTED, notSupportedMessage(field));
}

/**
 * The first root field of `document` that neither the Query nor the Mutation type declares
 * (e.g. DashX's `addItemToCart`), looking through root-level fragments; introspection fields and
 * `__typename` are known. Every field of a subscription is unknown: there is no Subscription type
 * (graphql-js validation does not catch that; execution would).
 */
export function unsupportedRootField(schema: GraphQLSchema, document: DocumentNode): FieldNode | undefined {
  const queryFields = schema.getQueryType()?.getFields() ?? {};
  const mutationFields = schema.getMutationType()?.getFields() ?? {};
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const visited = new Set<string>();
  let subscription = false;
  const scan = (selectionSet: SelectionSetNode): FieldNode | undefined => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const known = Object.hasOwn(queryFields, name) || Object.hasOwn(mutationFields, name);
        if (name !== '__typename' && (subscription || (!known && !name.startsWith('__')))) return selection;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const found = scan(selection.selectionSet);
        if (found) return found;
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment === undefined || visited.has(fragment.name.value)) continue;
        visited.add(fragment.name.value);
        const found = scan(fragment.selectionSet);
        if (found) return found;
      }
    }
    return undefined;
  };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    subscription = definition.operation === OperationTypeNode.SUBSCRIPTION;
    const found = scan(definition.selectionSet);
    if (found) return found;
  }
  return undefined;
}

/**
 * The errors to answer for a parsed document, given graphql-js's validation `errors`: ONE
 * NOT_SUPPORTED error when it selects a root field this server does not know (its unknown input
 * types and fields would otherwise bury the useful message), else the validation errors (answered
 * as INVALID_INPUT). Empty: the document may be executed.
 */
export function validationErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  errors: readonly GraphQLError[],
): readonly GraphQLError[] {
  const unsupported = unsupportedRootField(schema, document);
  if (unsupported === undefined) return errors;
  const cause = notSupportedError(unsupported.name.value);
  return [new GraphQLError(cause.message, { nodes: unsupported, originalError: cause })];
}

/** An error about the HTTP request itself (not a GraphQL document), e.g. a body without `query`. */
export function requestError(message: string, requestId: string): FormattedGraphQLError {
  return { message, extensions: { code: ErrorCode.INVALID_INPUT, requestId } };
}

/**
 * Formats the errors of one answer. A TesseraError keeps its message, code and reason. Errors
 * raised while executing (they have a `path`) or wrapping a non-GraphQL error go through
 * `toClientError`: unknown ones become `Internal server error` (INTERNAL) and are logged with
 * `request.log.error`. The rest are errors in the client's document or variables: INVALID_INPUT.
 * Every error's extensions carry the request id.
 * `retryAfterSeconds` is the largest Retry-After asked for (UNAVAILABLE, RATE_LIMITED), if any.
 */
export function formatErrors(
  errors: readonly GraphQLError[],
  request: FastifyRequest,
): { errors: FormattedGraphQLError[]; retryAfterSeconds: number | undefined } {
  let retryAfterSeconds: number | undefined;
  const formatted = errors.map((error): FormattedGraphQLError => {
    const original = error.originalError;
    let message = error.message;
    let clientError: TesseraError | undefined;
    if (isTesseraError(original)) {
      clientError = original;
    } else if (error.path !== undefined || (original !== undefined && !(original instanceof GraphQLError))) {
      clientError = toClientError(original ?? error);
      message = clientError.message;
    }
    if (clientError?.code === ErrorCode.INTERNAL) {
      request.log.error({ err: original ?? error, path: error.path }, 'GraphQL request failed');
    } else if (clientError?.code === ErrorCode.UNAVAILABLE) {
      request.log.warn({ err: original ?? error }, 'database unavailable');
    }
    if (clientError?.retryAfterSeconds !== undefined) {
      retryAfterSeconds = Math.max(retryAfterSeconds ?? 0, clientError.retryAfterSeconds);
    }
    const extensions: FormattedGraphQLError['extensions'] =
      clientError?.reason === undefined
        ? { code: clientError?.code ?? ErrorCode.INVALID_INPUT, requestId: request.id }
        : { code: clientError.code, reason: clientError.reason, requestId: request.id };
    return {
      message,
      ...(error.locations !== undefined && { locations: error.locations }),
      ...(error.path !== undefined && { path: error.path }),
      extensions,
    };
  });
  return { errors: formatted, retryAfterSeconds };
}
