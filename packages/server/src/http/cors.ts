/**
 * CORS for every route (docs/operations.md, "Allowed origins"). The SDK-facing APIs (`/graphql`,
 * `POST /`, `/v1/*`) serve pages on other sites:
 * - a preflight is answered from the union of every environment's allowed origins (it carries no
 *   key, so it cannot name its environment): with CORS headers for an origin some environment
 *   accepts, else 403 ORIGIN_NOT_ALLOWED without them, so the browser stops there;
 * - an actual request gets `Access-Control-Allow-Origin` echoing its origin whatever it is, so a
 *   browser SDK can read the answer, the 403 of a refused origin included (http/origin-check.ts
 *   decides, per environment, once the key is known).
 * Every other route (admin API, dashboard, health, metrics) keeps `Access-Control-Allow-Origin: *`.
 */
import type { FastifyCorsOptions, FastifyCorsOptionsDelegateCallback } from '@fastify/cors';
import type { FastifyRequest } from 'fastify';
import { ErrorCode, TesseraError } from '../errors.ts';
import type { BrowserOrigins } from '../services/browser-origins.ts';

const common = {
  methods: ['GET', 'POST', 'OPTIONS'],
  allowedHeaders: ['content-type', 'x-public-key', 'x-target-environment', 'x-identity-token', 'accept'],
  // Browser SDKs honour Retry-After on 429/503: let them read it across origins.
  exposedHeaders: ['retry-after'],
  maxAge: 86_400,
} satisfies FastifyCorsOptions;

/**
 * The options for @fastify/cors.
 * @example void app.register(cors, corsOptions(services.origins, config.basePath));
 */
export function corsOptions(origins: BrowserOrigins, basePath: string): FastifyCorsOptions {
  const delegator: FastifyCorsOptionsDelegateCallback = (request, callback) => {
    const origin = request.headers.origin;
    if (!isSdkFacing(request, basePath)) return callback(null, { ...common, origin: '*' });
    if (request.method === 'OPTIONS' && origin !== undefined && !origins.allows(origin)) {
      return callback(
        new TesseraError(
          ErrorCode.ORIGIN_NOT_ALLOWED,
          `No environment allows the origin ${JSON.stringify(origin.slice(0, 200))}: add it to the allowed origins of the environment its page uses`,
        ),
        { ...common, origin: false },
      );
    }
    callback(null, { ...common, origin: origin ?? '*' });
  };
  return { delegator };
}

/** `/graphql`, `POST /` (GraphQL at the root) and the `/v1` APIs, under TESSERA_BASE_PATH. */
function isSdkFacing(request: FastifyRequest, basePath: string): boolean {
  const url = request.url;
  if (!url.startsWith(basePath)) return false;
  const query = url.indexOf('?');
  const path = url.slice(basePath.length, query < 0 ? undefined : query);
  if (path === '/graphql' || path.startsWith('/v1/')) return true;
  return (path === '/' || path === '') && (request.method === 'POST' || request.method === 'OPTIONS');
}
