/**
 * The browser's ports: fetch and sendBeacon, tabs as instances (Web Locks), connectivity, and
 * page context. Nothing here runs at import time, so importing on a server is safe.
 */
import { uuidv4, type Instances, type JsonObject, type Transport } from '@tessera/sdk-core';

/** Keepalive requests share a 64 KB budget per page; leave room for the exit beacons (10 k chars ≤ 30 KB). */
const KEEPALIVE_CHARS = 10_000;

/** A UUID v4 from the platform's CSPRNG (`randomUUID` needs a secure context; `getRandomValues` does not). */
export const uuid = (): string =>
  crypto.randomUUID?.() ?? uuidv4(() => crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32);

export const transport: Transport = {
  async send({ url, body, headers }) {
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body,
      // Lets a request still in flight when the page goes away finish.
      keepalive: body.length < KEEPALIVE_CHARS,
    });
    // No JSON body (a proxy's error page): the status says enough.
    const json: unknown = await res.json().catch(() => undefined);
    return { status: res.status, retryAfter: res.headers.get('Retry-After'), body: json };
  },
  // text/plain and no custom headers, so no preflight: the key and token travel in the body.
  // (Requests already in flight at exit are fetches with `keepalive`, above.)
  beacon(url, body) {
    try {
      return navigator.sendBeacon(url, body);
    } catch {
      return false;
    }
  },
};

/**
 * This tab as an instance: it holds the Web Lock `tessera:tab:<id>` while it lives, so another tab
 * can tell its queue was left behind. Undefined without Web Locks (then all tabs share one queue).
 */
export function tabInstance(): Instances | undefined {
  const locks = navigator.locks;
  if (!locks) return undefined;
  const id = uuid();
  const name = (i: string) => `tessera:tab:${i}`;
  void locks.request(name(id), () => new Promise<void>(() => undefined));
  return {
    id,
    async abandoned(ids) {
      const { held = [] } = await locks.query();
      const live = new Set(held.map((l) => l.name));
      return ids.filter((i) => !live.has(name(i)));
    },
    // The DOM typings wrap the callback's promise once more; at run time it is the callback's result.
    lock: <T>(lockName: string, fn: () => Promise<T>) => locks.request(lockName, fn) as Promise<unknown> as Promise<T>,
  };
}

/** Stored with every event as its context. */
export const pageContext = (): JsonObject => ({
  page: { url: location.href, referrer: document.referrer },
  userAgent: navigator.userAgent,
  locale: navigator.language,
});
