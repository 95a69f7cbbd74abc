/**
 * The dashboard's only way to the server: JSON over the admin API with the session cookie, plus
 * the CSRF header on every request that changes something.
 */
import { basePath } from '../base-path.ts';
import type {
  AccountDetail,
  AccountRow,
  Environment,
  EnvironmentChanges,
  KeyPair,
  LiveEvent,
  Merge,
  Overview,
  Page,
  PeopleFilter,
  SessionState,
  StoredEvent,
  Verification,
} from './types.ts';

/** An error answer of the API: `{ error: { code, message } }` with its HTTP status. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds from `Retry-After`, when the server sent one. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

export interface ApiOptions {
  /** Default `globalThis.fetch`; tests pass a fake. */
  fetch?: typeof fetch;
  /** Called when a request is refused for want of a session (401). */
  onUnauthorized?: () => void;
}

type Query = Record<string, string | number | boolean | undefined>;

function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}

const enc = encodeURIComponent;

/**
 * @example const api = createApi(); const { environments } = await api.environments();
 */
export function createApi(options: ApiOptions = {}) {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  let csrfToken: string | undefined;

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && csrfToken) headers['x-tessera-csrf'] = csrfToken;
    let res: Response;
    try {
      res = await doFetch(`${basePath}/admin/api${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(0, 'NETWORK', 'The server cannot be reached. Check that Tessera is running, then retry.');
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      const retry = Number(res.headers.get('retry-after'));
      if (res.status === 401 && !path.startsWith('/session')) options.onUnauthorized?.();
      throw new ApiError(
        res.status,
        error?.code ?? 'HTTP_ERROR',
        error?.message ?? `The server answered ${res.status}`,
        Number.isFinite(retry) && retry > 0 ? retry : undefined,
      );
    }
    return json as T;
  }

  const remember = <T extends { csrfToken?: string }>(value: T): T => {
    if (value.csrfToken) csrfToken = value.csrfToken;
    return value;
  };

  return {
    session: async () => remember(await request<SessionState>('GET', '/session')),
    setup: async (email: string, password: string) =>
      remember(await request<SessionState>('POST', '/session/setup', { email, password })),
    signIn: async (email: string, password: string) =>
      remember(await request<SessionState>('POST', '/session', { email, password })),
    signOut: async () => {
      await request<void>('DELETE', '/session');
      csrfToken = undefined;
    },

    environments: () => request<{ environments: Environment[] }>('GET', '/environments'),
    environment: (name: string) => request<Environment>('GET', `/environments/${enc(name)}`),
    createEnvironment: (input: { name: string; identityVerification: Verification; allowLegacyTokens: boolean }) =>
      request<Environment & { keyPair: KeyPair }>('POST', '/environments', input),
    updateEnvironment: (name: string, changes: EnvironmentChanges) =>
      request<Environment>('PATCH', `/environments/${enc(name)}`, changes),
    createKeyPair: (name: string) => request<KeyPair>('POST', `/environments/${enc(name)}/key-pairs`, {}),
    revokeKeyPair: (publicKey: string) => request<KeyPair>('DELETE', `/key-pairs/${enc(publicKey)}`),
    /** The environment's active key pairs with their private keys (a POST: never cached, CSRF-checked). */
    revealKeyPairs: (name: string) =>
      request<{ environment: string; keyPairs: KeyPair[] }>('POST', `/environments/${enc(name)}/key-pairs/reveal`),

    overview: (env: string, days = 30) =>
      request<Overview>('GET', `/environments/${enc(env)}/stats${queryString({ days })}`),
    people: (env: string, filter: PeopleFilter & { cursor?: string; limit?: number }) =>
      request<Page<AccountRow>>('GET', `/environments/${enc(env)}/accounts${queryString({ ...filter })}`),
    person: (env: string, id: string) => request<AccountDetail>('GET', `/environments/${enc(env)}/accounts/${enc(id)}`),
    timeline: (env: string, id: string, cursor?: string) =>
      request<Page<StoredEvent>>(
        'GET',
        `/environments/${enc(env)}/accounts/${enc(id)}/events${queryString({ cursor, limit: 50 })}`,
      ),
    undoMerge: (env: string, mergeId: string) =>
      request<Merge>('POST', `/environments/${enc(env)}/merges/${enc(mergeId)}/undo`),
    exportPerson: (env: string, id: string) =>
      request<unknown>('GET', `/environments/${enc(env)}/accounts/${enc(id)}/export`),
    deletePerson: (env: string, id: string) =>
      request<{ deleted: boolean; accounts: number; events: number }>(
        'DELETE',
        `/environments/${enc(env)}/accounts/${enc(id)}`,
      ),
    live: (env: string, filter: { after?: string; name?: string; kind?: string }) =>
      request<{ items: LiveEvent[]; cursor: string }>(
        'GET',
        `/environments/${enc(env)}/live${queryString({ ...filter, limit: 100 })}`,
      ),
  };
}

export type Api = ReturnType<typeof createApi>;
