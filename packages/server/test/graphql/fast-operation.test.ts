/**
 * The shortcut past graphql-js `execute()` (fast-operation.ts) answers exactly as graphql-js does:
 * every request here goes to two servers, one with the shortcut and one without, and both must
 * give the same status, headers and bytes, after the same resolver calls. Counting `execute()`
 * calls proves the shortcut is taken where it should be (and only there).
 */
import { ErrorCode } from '@tessera/protocol';
import Fastify, { type FastifyInstance } from 'fastify';
import type * as GraphQL from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TesseraError } from '../../src/errors.ts';
import { installErrorHandler } from '../../src/http/error-handler.ts';
import { parseEveryBodyAsJson } from '../../src/http/json-body.ts';
import { graphqlRoutes, type GraphQLResolvers } from '../../src/http/graphql/index.ts';

const executeSpy = vi.hoisted(() => ({ calls: 0 }));
vi.mock('graphql', async (importOriginal) => {
  const graphql = await importOriginal<typeof GraphQL>();
  return {
    ...graphql,
    execute: (...args: Parameters<typeof GraphQL.execute>) => {
      executeSpy.calls += 1;
      return graphql.execute(...args);
    },
  };
});

const ACCOUNT_ID = '6f1c1c3e-2b1a-4c51-9d4e-3a1f0c0e7b11';
const NOW = new Date('2026-11-29T17:51:58.548Z');
const calls: unknown[] = [];

/** What the resolvers do is chosen by the request: `event` for trackEvent, `uid` for identifyAccount. */
const resolvers: GraphQLResolvers = {
  Query: {
    fetchContacts: () => ({ contacts: [] }),
  },
  Mutation: {
    async trackEvent(args) {
      calls.push(['trackEvent', args]);
      switch (args.input?.event) {
        case 'expired':
          throw new TesseraError(ErrorCode.UNAUTHORIZED, 'Incorrect Identity Token: Expired.', {
            reason: 'IDENTITY_TOKEN_EXPIRED',
          });
        case 'busy':
          throw new TesseraError(ErrorCode.UNAVAILABLE, 'The database is unavailable.', { retryAfterSeconds: 3 });
        case 'bug':
          throw new Error('connect ECONNREFUSED postgres://tessera:secret@db');
        case 'null success':
          return { success: null };
        case 'null':
          return null;
        case 'not an object':
          return 'yes';
        default:
          return { success: true };
      }
    },
    identifyAccount(args) {
      calls.push(['identifyAccount', args]);
      const account = {
        ...{ id: ACCOUNT_ID, uid: args.input?.uid ?? null, anonymousUid: null, email: 'ada@example.com' },
        ...{ environmentId: ACCOUNT_ID, createdAt: NOW, updatedAt: '2026-01-01T00:00:00Z', hasApiAccess: false },
      };
      switch (args.input?.uid) {
        case 'function field':
          return { ...account, email: () => 'method@example.com' };
        case 'promise field':
          return { ...account, email: Promise.resolve('later@example.com') };
        case 'bad date':
          return { ...account, createdAt: { not: 'a date' } };
        case 'missing id':
          return { ...account, id: undefined };
        default:
          return account;
      }
    },
  },
};

let fast: FastifyInstance;
let plain: FastifyInstance;
async function app(fastOperations: boolean): Promise<FastifyInstance> {
  const instance = Fastify({ logger: false });
  installErrorHandler(instance);
  parseEveryBodyAsJson(instance);
  await instance.register(graphqlRoutes({ resolvers, fastOperations }));
  await instance.ready();
  return instance;
}
beforeAll(async () => {
  [fast, plain] = await Promise.all([app(true), app(false)]);
});
afterAll(() => Promise.all([fast.close(), plain.close()]));

/** Sends `body` to both servers; returns the answer and how many times `execute()` ran for the fast one. */
async function both(body: Record<string, unknown>) {
  const send = async (instance: FastifyInstance) => {
    calls.length = 0;
    executeSpy.calls = 0;
    const res = await instance.inject({ method: 'POST', url: '/graphql', payload: body });
    return {
      answer: { status: res.statusCode, retryAfter: res.headers['retry-after'], body: res.body },
      calls: structuredClone(calls),
      executes: executeSpy.calls,
    };
  };
  const viaFast = await send(fast);
  const viaPlain = await send(plain);
  expect(viaFast.answer).toEqual(viaPlain.answer);
  expect(viaFast.calls).toEqual(viaPlain.calls);
  expect(viaPlain.executes).toBe(1);
  return { ...viaFast.answer, json: JSON.parse(viaFast.answer.body), executes: viaFast.executes, calls: viaFast.calls };
}

const TRACK = 'mutation TrackEvent($input: TrackEventInput!) { trackEvent(input: $input) { success } }';
const TRACK_BR =
  'mutation TrackEvent($input: TrackEventInput!) {\n  trackEvent(input: $input) {\n    success\n    __typename\n  }\n}';
const IDENTIFY_FIELDS =
  'id uid anonymousUid email phone name fullName environmentId createdAt updatedAt hasApiAccess __typename';
const IDENTIFY = `mutation IdentifyAccount($input: IdentifyAccountInput!) { identifyAccount(input: $input) { ${IDENTIFY_FIELDS} } }`;
const event = (input: Record<string, unknown>) => ({ event: 'Clicked', accountAnonymousUid: 'anon-1', ...input });

describe('the documents the DashX SDKs send skip execute() and answer the same', () => {
  it.each([
    ['node and dashx-node', { query: TRACK, variables: { input: event({ data: { a: 1 } }) } }],
    [
      'br-npm (operationName, __typename, systemContext)',
      {
        operationName: 'TrackEvent',
        query: TRACK_BR,
        variables: { input: event({ systemContext: { ipV4: 'NA', library: { name: '@dashx/browser' } } }) },
      },
    ],
    [
      'ios (explicit nulls, timestamp)',
      { query: TRACK, variables: { input: event({ data: null, timestamp: '2026-11-29T17:51:58Z' }) } },
    ],
    [
      'aliases',
      {
        query: 'mutation T($input: TrackEventInput!) { t: trackEvent(input: $input) { ok: success } }',
        variables: { input: event({}) },
      },
    ],
    ['a nullable $input left out', { query: TRACK.replace('TrackEventInput!', 'TrackEventInput'), variables: {} }],
    [
      'a nullable $input given as null',
      { query: TRACK.replace('TrackEventInput!', 'TrackEventInput'), variables: { input: null } },
    ],
    [
      'identify with many leaves, dates and __typename',
      { query: IDENTIFY, variables: { input: { uid: 'ada', email: 'ada@example.com' } } },
    ],
  ])('%s', async (_name, body) => {
    const res = await both(body);
    expect(res.status).toBe(200);
    expect(res.json.errors).toBeUndefined();
    expect(res.executes).toBe(0);
    expect(res.calls).toHaveLength(1);
  });

  it('writes the same answer for identify, Date as ISO text', async () => {
    const res = await both({ query: IDENTIFY, variables: { input: { uid: 'ada' } } });
    expect(res.json.data.identifyAccount).toMatchObject({
      ...{ id: ACCOUNT_ID, uid: 'ada', createdAt: NOW.toISOString(), __typename: 'Account', phone: null },
    });
  });
});

describe('graphql-js answers whatever the shortcut cannot, the resolver running once', () => {
  it.each([
    ['a thrown TesseraError (code, reason, data null)', event({ event: 'expired' })],
    ['UNAVAILABLE with Retry-After', event({ event: 'busy' })],
    ['an internal error (masked)', event({ event: 'bug' })],
    ['null for a non-null leaf', event({ event: 'null success' })],
    ['null for a non-null field', event({ event: 'null' })],
    ['a string for an object', event({ event: 'not an object' })],
  ])('%s', async (_name, input) => {
    const res = await both({ query: TRACK, variables: { input } });
    expect(res.json.errors).toHaveLength(1);
    expect(res.executes).toBe(1);
    expect(res.calls).toHaveLength(1);
  });

  it.each([
    ['a method', 'function field'],
    ['a promise', 'promise field'],
    ['a value its scalar cannot serialize', 'bad date'],
    ['a missing non-null id', 'missing id'],
  ])('identify whose account has %s', async (_name, uid) => {
    const res = await both({ query: IDENTIFY, variables: { input: { uid } } });
    expect(res.executes).toBe(1);
    expect(res.calls).toHaveLength(1);
  });

  it.each([
    ['an unknown input field', { query: TRACK, variables: { input: event({ colour: 'red' }) } }],
    ['a number for a String', { query: TRACK, variables: { input: event({ event: 5 }) } }],
    ['a missing required field', { query: TRACK, variables: { input: { accountUid: 'u' } } }],
    ['null for a required $input', { query: TRACK, variables: { input: null } }],
    ['no variables at all', { query: TRACK }],
    ['a list for an input object', { query: TRACK, variables: { input: [event({})] } }],
    ['a bad Timestamp', { query: TRACK, variables: { input: event({ timestamp: 'yesterday' }) } }],
    ['another operation name', { query: TRACK, operationName: 'Other', variables: { input: event({}) } }],
  ])('variables or name graphql-js refuses: %s', async (_name, body) => {
    const res = await both(body);
    expect(res.json.errors).toHaveLength(1);
    expect(res.executes).toBe(1);
    expect(res.calls).toHaveLength(0);
  });

  it.each([
    ['inline literals (php)', 'mutation { trackEvent(input: { event: "E", accountUid: "u", data: "" }) { success } }'],
    [
      'a directive',
      'mutation T($input: TrackEventInput!, $s: Boolean!) { trackEvent(input: $input) { success @include(if: $s) } }',
    ],
    [
      'a fragment',
      'mutation T($input: TrackEventInput!) { trackEvent(input: $input) { ...F } } fragment F on TrackEventResponse { success }',
    ],
    [
      'two root fields',
      'mutation T($input: TrackEventInput!) { a: trackEvent(input: $input) { success } b: trackEvent(input: $input) { success } }',
    ],
    ['a nested selection', 'query C($input: FetchContactsInput!) { fetchContacts(input: $input) { contacts { id } } }'],
  ])('documents of another shape: %s', async (_name, query) => {
    const input = query.includes('FetchContacts') ? { uid: 'u' } : event({});
    const res = await both({ query, variables: { input, s: true } });
    expect(res.status).toBe(200);
    expect(res.executes).toBe(1);
  });
});
