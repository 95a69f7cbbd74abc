/**
 * The per-environment check of browser ingest (docs/operations.md, "Allowed origins"): a request
 * that carries `Origin` is refused with ORIGIN_NOT_ALLOWED when its key's environment lists origins
 * and not this one. A request without `Origin` (a backend, the Node SDK, a native app) is never
 * refused here: only browsers send it, and only browsers are what the list restrains. The list
 * travels with the environment in the key cache, so the check costs no query.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ErrorCode, TesseraError } from '../errors.ts';
import { originAllowed } from '../services/allowed-origins.ts';
import type { Environment } from '../services/environments.ts';

/** @throws TesseraError ORIGIN_NOT_ALLOWED (403; GraphQL: `extensions.code`) */
export function checkOrigin(environment: Environment, headers: IncomingHttpHeaders): void {
  const origin = headers.origin;
  if (origin === undefined || environment.allowedOrigins === null) return;
  if (originAllowed(environment.allowedOrigins, origin)) return;
  throw new TesseraError(
    ErrorCode.ORIGIN_NOT_ALLOWED,
    `The origin ${JSON.stringify(origin.slice(0, 200))} is not among the allowed origins of environment ` +
      `"${environment.name}": add it in the dashboard (Environments) or with ` +
      `\`tessera environments update ${environment.name} --allowed-origins …\``,
  );
}
