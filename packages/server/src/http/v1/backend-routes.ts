/**
 * The backend `/v1` API: read, export and delete one person's account, with the private key
 * (routes and shapes: packages/sdk-node/README.md, "The backend API it uses"). Used by
 * @tessera/node's getAccount, listEvents, exportAccount and deleteAccount. Thin: authenticate,
 * call AccountReads / AccountPrivacyService, present JSON.
 */
import { ErrorCode } from '@tessera/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TesseraError } from '../../errors.ts';
import type { Account, Merge, StoredEvent } from '../../services/account-reads.ts';
import { encodeCursor, pageSize } from '../../services/cursor.ts';
import type { Environment } from '../../services/environments.ts';
import type { Services } from '../../services/index.ts';
import { readCredentials } from '../credentials.ts';

type UidParams = { Params: { uid: string } };
type EventsQuery = { Params: { uid: string }; Querystring: { limit?: string; before?: string } };

/** A `before` that is a timestamp rather than a cursor (cursors are base64url and start with `Wy`). */
const isoDate = /^\d{4}-\d{2}-\d{2}/;

/**
 * The plugin; register it with the prefix `/v1`.
 * @example void app.register(backendApi(services), { prefix: '/v1' });
 */
export function backendApi(services: Services) {
  const { callers, accountReads, privacy } = services;

  /** The caller's environment, once its public and private keys are checked. */
  const backendEnvironment = async (request: FastifyRequest): Promise<Environment> => {
    const caller = await callers.resolve(readCredentials(request.headers), request.ip);
    if (!caller.backend) {
      throw new TesseraError(
        ErrorCode.FORBIDDEN,
        'This API is for app backends: send your private key in the X-Private-Key header.',
      );
    }
    return caller.environment;
  };

  /** User `uid` of the caller's environment. */
  const userOf = async (request: FastifyRequest<UidParams>): Promise<Account> => {
    const environment = await backendEnvironment(request);
    const user = await privacy.findUser(environment.id, request.params.uid);
    if (!user) throw noSuchUser(request.params.uid);
    return user;
  };

  return async (app: FastifyInstance): Promise<void> => {
    app.get<UidParams>('/accounts/:uid', async (request) => {
      const user = await userOf(request);
      const { visitors, merges } = await accountReads.identities(user);
      return presentAccount(user, visitors, merges);
    });

    app.get<EventsQuery>('/accounts/:uid/events', async (request) => {
      const user = await userOf(request);
      const { limit, before } = request.query;
      const page = await accountReads.timeline(user.environmentId, user.id, {
        limit: pageSize(limit, 50, 1000),
        cursor: cursorOf(before),
      });
      const { visitors } = await accountReads.identities(user);
      const visitorUids = new Map(visitors.map((v) => [v.id, v.anonymousUid]));
      return {
        events: page.items.map((e) => presentEvent(e, visitorUids.get(e.accountId) ?? null)),
        nextBefore: page.nextCursor,
      };
    });

    app.get<UidParams>('/accounts/:uid/export', async (request) => {
      const environment = await backendEnvironment(request);
      const exported = await privacy.exportUser(environment.id, request.params.uid);
      if (!exported) throw noSuchUser(request.params.uid);
      return { ...exported, environment: environment.name };
    });

    app.delete<UidParams>('/accounts/:uid', async (request) => {
      const environment = await backendEnvironment(request);
      return { uid: request.params.uid, ...(await privacy.deleteUser(environment.id, request.params.uid)) };
    });
  };
}

function noSuchUser(uid: string): TesseraError {
  return new TesseraError(ErrorCode.NOT_FOUND, `No user with uid ${JSON.stringify(uid)} in this environment`);
}

/** `before` is a `nextBefore` cursor from a previous page, or an ISO 8601 time (strictly earlier events). */
function cursorOf(before: string | undefined): string | undefined {
  if (before === undefined || before === '' || !isoDate.test(before)) return before;
  const at = new Date(before);
  if (Number.isNaN(at.getTime()))
    throw new TesseraError(ErrorCode.INVALID_INPUT, `before "${before}" is not a valid time`);
  // Event ids are positive, so `(timestamp, id) < (at, 0)` means "timestamp < at".
  return encodeCursor(at, 0);
}

/** Standard traits that are set, and the custom ones, in one object: what identify() takes. */
function traitsOf(a: Account): Record<string, unknown> {
  const traits: Record<string, unknown> = {};
  for (const name of ['email', 'phone', 'name', 'firstName', 'lastName'] as const) {
    if (a[name] !== null) traits[name] = a[name];
  }
  return { ...traits, ...a.custom };
}

function presentAccount(user: Account, visitors: Account[], merges: Merge[]) {
  const mergedAt = new Map(merges.filter((m) => m.status === 'merged').map((m) => [m.visitorId, m.createdAt]));
  return {
    id: user.id,
    kind: user.kind,
    uid: user.uid,
    traits: traitsOf(user),
    verified: user.verified,
    unverifiedTraits: user.unverifiedTraits,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
    lastSeenAt: user.lastSeenAt,
    visitors: visitors.map((v) => ({
      id: v.id,
      anonymousUid: v.anonymousUid,
      traits: traitsOf(v),
      createdAt: v.createdAt,
      lastSeenAt: v.lastSeenAt,
      mergedAt: mergedAt.get(v.id) ?? null,
    })),
  };
}

function presentEvent(e: StoredEvent, anonymousUid: string | null) {
  return {
    id: String(e.id),
    messageId: e.messageId,
    event: e.name,
    data: e.data,
    timestamp: e.timestamp,
    receivedAt: e.receivedAt,
    context: e.systemContext,
    verified: e.verified,
    timestampClamped: e.timestampClamped,
    // The merged visitor that recorded it; null when the user did.
    anonymousUid,
  };
}
