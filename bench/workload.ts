/**
 * What the benchmarks send, in one place, so that each scenario and its baseline carry the same
 * data: DashX GraphQL bodies as the official SDKs send them, `/v1/batch` items and the rows they
 * become, identify traits, and the pools of ids (1000 of each, so caches see realistic traffic).
 */
import { randomBytes } from 'node:crypto';

/** How many distinct visitors / users each scenario cycles through. */
export const POOL_SIZE = 1000;
/** Events in one `/v1/batch` request (P3) and in one COPY statement (B3). */
export const BATCH_SIZE = 100;

/** Unique per bench run: prefixes message ids so that no run collides with an earlier one. */
export const RUN_ID = randomBytes(6).toString('hex');

const pad = (i: number) => String(i).padStart(4, '0');
/** Visitors of P1 and P3 (and the accounts B3 copies rows into). */
export const visitorUid = (i: number) => `bench-visitor-${pad(i)}`;
/** Logged-in users of P2, each with the visitor id their browser had before login. */
export const loginUid = (i: number) => `bench-user-${pad(i)}`;
export const loginVisitorUid = (i: number) => `bench-login-visitor-${pad(i)}`;
/** Users that P4 and B4 identify. */
export const identifyUid = (i: number) => `bench-ident-${pad(i)}`;

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

// The documents the DashX SDKs send (as in packages/server/test/helpers/graphql.ts).
export const TRACK_DOCUMENT = 'mutation TrackEvent($input: TrackEventInput!) { trackEvent(input: $input) { success } }';
export const IDENTIFY_DOCUMENT =
  'mutation IdentifyAccount($input: IdentifyAccountInput!) { identifyAccount(input: $input) { id } }';

/** The answer the bare Fastify baseline gives, and the text every good trackEvent answer contains. */
export const TRACK_ANSWER = '{"data":{"trackEvent":{"success":true}}}';

/** An event's data and the system context @dashx/browser attaches (`ipV4: "NA"` is filled in by the server). */
export const eventName = 'Product Viewed';
export const eventData = { sku: 'tea-01', name: 'Sencha', price: 12.5, currency: 'EUR', category: 'green' };
export const systemContext = {
  ipV4: 'NA',
  locale: 'en-US',
  timeZone: 'Europe/Berlin',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  library: { name: '@dashx/browser', version: '0.4.14' },
};

/** The body @dashx/browser posts for `dashx.track(eventName, eventData)`. */
export function trackBody(ids: { accountUid: string | null; accountAnonymousUid: string }): string {
  return JSON.stringify({
    operationName: 'TrackEvent',
    query: TRACK_DOCUMENT,
    variables: { input: { event: eventName, data: eventData, ...ids, systemContext } },
  });
}

/** A backend's `identifyAccount` with standard traits. */
export function identifyBody(uid: string): string {
  return JSON.stringify({
    operationName: 'IdentifyAccount',
    query: IDENTIFY_DOCUMENT,
    variables: { input: { uid, email: `${uid}@example.com`, name: `Bench ${uid}`, firstName: 'Bench' } },
  });
}

/** Traits of `identifyBody` as the B4 baseline writes them. */
export function identifyTraits(uid: string): { email: string; name: string; firstName: string } {
  return { email: `${uid}@example.com`, name: `Bench ${uid}`, firstName: 'Bench' };
}

/** Placeholder wrk replaces with a fresh id per request (see bench/lua/replay.lua). */
export const ID_PLACEHOLDER = '@@ID@@';

/**
 * A `/v1/batch` body of `BATCH_SIZE` track events, visitors `first…first+BATCH_SIZE-1` of the pool,
 * each `messageId` a placeholder that wrk makes unique per request.
 */
export function batchBody(first: number, timestamp: string): string {
  const batch = range(BATCH_SIZE).map((k) => ({
    type: 'track',
    messageId: ID_PLACEHOLDER,
    anonymousUid: visitorUid((first + k) % POOL_SIZE),
    event: eventName,
    data: eventData,
    timestamp,
    context: systemContext,
  }));
  return JSON.stringify({ batch, sentAt: timestamp });
}

/** Columns of the events table a batch writes, in COPY order. */
export const EVENT_COPY_COLUMNS = [
  'environment_id',
  'account_id',
  'name',
  'data',
  '"timestamp"',
  'received_at',
  'system_context',
  'verified',
  'timestamp_clamped',
  'message_id',
] as const;

/** Escapes a value for COPY's text format. */
function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] ?? c);
}

const dataText = copyText(JSON.stringify(eventData));
// The server stores the caller's IP in place of "NA".
const contextText = copyText(JSON.stringify({ ...systemContext, ipV4: '127.0.0.1' }));

/**
 * The rows one `/v1/batch` of `batchBody` becomes, as COPY text: what B3 writes.
 * @example copyRows(envId, accountIds, 0, new Date().toISOString(), (k) => `m-${k}`)
 */
export function copyRows(
  environmentId: string,
  accountIds: readonly string[],
  first: number,
  timestamp: string,
  messageId: (k: number) => string,
): string {
  let text = '';
  for (let k = 0; k < BATCH_SIZE; k++) {
    const accountId = accountIds[(first + k) % accountIds.length];
    text += `${environmentId}\t${accountId}\t${eventName}\t${dataText}\t${timestamp}\t${timestamp}\t${contextText}\tt\tf\t${messageId(k)}\n`;
  }
  return text;
}
