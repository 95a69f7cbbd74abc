/** The native ingest API: POST /v1/batch, /v1/track, /v1/identify (docs/api-v1.md). */
import type { BatchResponse } from '@tessera/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalidInput } from '../../errors.ts';
import type { Credentials } from '../../services/caller.ts';
import type { Services } from '../../services/index.ts';
import { readCredentials } from '../credentials.ts';
import { checkOrigin } from '../origin-check.ts';
import { unlimited, type RateLimits } from '../rate-limits.ts';

type Body = Record<string, unknown>;

export function ingestApi(services: Services, limits: RateLimits = unlimited) {
  return async (app: FastifyInstance): Promise<void> => {
    const callerOf = async (request: FastifyRequest, body: Body) => {
      const credentials = credentialsOf(request, body);
      limits.beforeAuth(request.ip);
      let caller;
      try {
        caller = await services.callers.resolve(credentials, request.ip);
        checkOrigin(caller.environment, request.headers);
      } catch (err) {
        limits.failedAuth(request.ip, err);
        throw err;
      }
      limits.accepted(credentials.publicKey ?? caller.environment.id, caller.environment.rateLimitPerKey);
      return caller;
    };

    // Admission (load shedding) comes first: a refused request costs no authentication.
    app.post('/v1/batch', async (request): Promise<BatchResponse> => {
      const body = objectBody(request.body);
      const items = Array.isArray(body.batch) ? body.batch.length : 1;
      return services.load.admit(items, async () => {
        const caller = await callerOf(request, body);
        const result = await services.batches.ingest(caller, body.batch, body.sentAt);
        return {
          accepted: result.accepted,
          rejected: result.rejected.map(({ index, code, message }) => ({ index, code, message })),
        };
      });
    });

    // One item each: its error, if any, is the request's error, with its own status.
    for (const type of ['track', 'identify'] as const) {
      app.post(`/v1/${type}`, async (request): Promise<BatchResponse> => {
        const body = objectBody(request.body);
        return services.load.admit(1, async () => {
          const caller = await callerOf(request, body);
          const { publicKey: _p, identityToken: _t, sentAt, ...item } = body;
          const result = await services.batches.ingest(caller, [{ ...item, type }], sentAt);
          const failure = result.rejected[0];
          if (failure) throw failure.error;
          return { accepted: 1, rejected: [] };
        });
      });
    }
  };
}

function objectBody(body: unknown): Body {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidInput('Send a JSON object');
  return body as Body;
}

/** Headers first; `navigator.sendBeacon` cannot set any, so a body may carry the public key and token. */
function credentialsOf(request: FastifyRequest, body: Body): Credentials {
  const fromHeaders = readCredentials(request.headers);
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    ...fromHeaders,
    publicKey: fromHeaders.publicKey ?? str(body.publicKey),
    identityToken: fromHeaders.identityToken ?? str(body.identityToken),
  };
}
