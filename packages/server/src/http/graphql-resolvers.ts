/** The DashX operations Tessera implements, as thin resolvers over the services. */
import type { FastifyRequest } from 'fastify';
import type { Account } from '../services/account-reads.ts';
import type { Caller } from '../services/caller.ts';
import type { Services } from '../services/index.ts';
import type { GraphQLContext, GraphQLResolvers } from './graphql/index.ts';
import { checkOrigin } from './origin-check.ts';
import { unlimited, type RateLimits } from './rate-limits.ts';

type Input = Record<string, unknown> | null | undefined;

/**
 * The resolvers. Every operation authenticates its caller under the same rate limits as the
 * native ingest API (http/v1/ingest-routes.ts): failed credentials per client address, then
 * requests per public key (per environment for a private-key call without one), at the
 * environment's own rate when it sets one. Over a limit the error is RATE_LIMITED, answered like
 * any GraphQL error with `Retry-After`. A browser call from an origin its environment does not
 * list is refused ORIGIN_NOT_ALLOWED (http/origin-check.ts).
 */
export function dashxResolvers(services: Services, limits: RateLimits = unlimited): GraphQLResolvers {
  const authenticate = async ({ request, credentials }: GraphQLContext): Promise<Caller> => {
    const ip = request.ip;
    limits.beforeAuth(ip);
    let caller: Caller;
    try {
      caller = await services.callers.resolve(credentials, ip);
      // Answered DashX-style like UNAUTHORIZED: HTTP 200, `extensions.code: "ORIGIN_NOT_ALLOWED"`.
      checkOrigin(caller.environment, request.headers);
    } catch (err) {
      limits.failedAuth(ip, err);
      throw err;
    }
    limits.accepted(credentials.publicKey ?? caller.environment.id, caller.environment.rateLimitPerKey);
    return caller;
  };
  // One authentication (and so one count against the limits) per request, however many fields it selects.
  const callers = new WeakMap<FastifyRequest, Promise<Caller>>();
  const callerOf = (ctx: GraphQLContext): Promise<Caller> => {
    let caller = callers.get(ctx.request);
    if (!caller) {
      caller = authenticate(ctx);
      callers.set(ctx.request, caller);
    }
    return caller;
  };
  const input = (args: { input?: Input }): Record<string, unknown> => args.input ?? {};

  return {
    Mutation: {
      async identifyAccount(args, ctx) {
        const { uid, anonymousUid, ...traits } = input(args);
        // Load shedding first, as on /v1 (services/load-shedder.ts).
        const account = await services.load.admit(1, async () =>
          services.tracking.identify(await callerOf(ctx), { uid, anonymousUid, traits }),
        );
        return presentAccount(account);
      },
      async trackEvent(args, ctx) {
        const i = input(args);
        await services.load.admit(1, async () =>
          services.tracking.track(await callerOf(ctx), {
            event: i.event,
            uid: i.accountUid,
            anonymousUid: i.accountAnonymousUid,
            // DashX's PHP SDK renders a missing data as `data: ""`.
            data: i.data === '' ? undefined : i.data,
            timestamp: i.timestamp,
            systemContext: i.systemContext,
          }),
        );
        return { success: true };
      },
      async saveStoredPreferences(args, ctx) {
        const i = input(args);
        await services.preferences.save(await callerOf(ctx), i.accountUid, i.preferenceData);
        return { success: true };
      },
      async saveContacts(args, ctx) {
        const i = input(args);
        return { contacts: await services.contacts.save(await callerOf(ctx), i.uid, i.contacts) };
      },
    },
    Query: {
      async fetchStoredPreferences(args, ctx) {
        const i = input(args);
        return { preferenceData: await services.preferences.fetch(await callerOf(ctx), i.accountUid) };
      },
      async fetchContacts(args, ctx) {
        const i = input(args);
        return { contacts: await services.contacts.fetch(await callerOf(ctx), i.uid) };
      },
    },
  };
}

/** DashX's Account type from a stored account. */
function presentAccount(a: Account) {
  const fullName = a.name ?? ([a.firstName, a.lastName].filter(Boolean).join(' ') || null);
  return {
    id: a.id,
    uid: a.uid,
    anonymousUid: a.anonymousUid,
    email: a.email,
    phone: a.phone,
    name: a.name,
    firstName: a.firstName,
    lastName: a.lastName,
    fullName,
    environmentId: a.environmentId,
    custom: a.custom,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}
