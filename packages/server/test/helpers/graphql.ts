/** DashX-shaped GraphQL calls against a test server, with the documents the official SDKs send. */
import type { TesseraServer } from '../../src/server.ts';
import type { TestServer } from './server.ts';

export const IDENTIFY =
  'mutation IdentifyAccount($input: IdentifyAccountInput!) { identifyAccount(input: $input) { id } }';
export const TRACK = 'mutation TrackEvent($input: TrackEventInput!) { trackEvent(input: $input) { success } }';

export interface Keys {
  publicKey?: string;
  privateKey?: string;
  token?: string;
  targetEnvironment?: string;
}

export async function gql(
  server: Pick<TesseraServer, 'app'>,
  query: string,
  input: Record<string, unknown> | undefined,
  keys: Keys,
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (keys.publicKey) headers['x-public-key'] = keys.publicKey;
  if (keys.privateKey) headers['x-private-key'] = keys.privateKey;
  if (keys.token) headers['x-identity-token'] = keys.token;
  if (keys.targetEnvironment) headers['x-target-environment'] = keys.targetEnvironment;
  const res = await server.app.inject({
    method: 'POST',
    url: '/graphql',
    headers,
    payload: JSON.stringify({ query, variables: input === undefined ? {} : { input } }),
  });
  return { status: res.statusCode, body: res.json() };
}

/** The first error of a GraphQL answer, asserting the DashX error shape. */
export function firstError(body: any): { message: string; code: string; reason?: string } {
  const error = body.errors?.[0];
  if (!error) throw new Error(`expected a GraphQL error, got ${JSON.stringify(body)}`);
  return { message: error.message, code: error.extensions?.code, reason: error.extensions?.reason };
}

/** Finds an account through the admin API, with its timeline. */
export async function accountOf(server: TestServer, environment: string, query: string) {
  const list = await server.admin('GET', `/environments/${environment}/accounts?${query}`);
  const summary = list.body.items[0];
  if (!summary) return undefined;
  const detail = await server.admin('GET', `/environments/${environment}/accounts/${summary.id}`);
  const events = await server.admin('GET', `/environments/${environment}/accounts/${summary.id}/events`);
  return { ...detail.body, events: events.body.items as any[] };
}
