/** The DashX-compatible GraphQL HTTP layer: a Fastify plugin with the resolvers injected. */
export { graphqlRoutes, type GraphQLResponseBody, type GraphQLRoutesOptions } from './route.ts';
export { buildDashXSchema, type FieldResolver, type GraphQLContext, type GraphQLResolvers } from './schema.ts';
export { createDocumentCache, type CachedDocument, type DocumentCache } from './document-cache.ts';
export { notSupportedError, notSupportedMessage, type FormattedGraphQLError } from './format-errors.ts';
