/**
 * Browser persistence: localStorage, with the identity and consent mirrored in first-party
 * cookies (resynced on every read, the cookie winning so that a cross-subdomain cookie carries
 * one visitor across subdomains), or cookies only, or memory only.
 */
import type { Store } from '@tessera/sdk-core';

/** Where the browser SDK keeps its state. */
export type Persistence = 'localStorage' | 'cookie' | 'memory';

/** `@dashx/browser`'s key, read once so a migrating site keeps its visitors. Same field names as ours. */
const DASHX_KEY = 'dashx-sdk';
const YEAR = 31_536_000;

type Local = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** A Storage look-alike in memory; its own keys are exactly the stored keys, like localStorage's. */
const memoryStorage = (): Local =>
  Object.create({
    getItem(this: Record<string, string>, key: string) {
      return this[key] ?? null;
    },
    setItem(this: Record<string, string>, key: string, value: string) {
      this[key] = value;
    },
    removeItem(this: Record<string, string>, key: string) {
      delete this[key];
    },
  }) as Local;

/**
 * @example
 *   const store = createBrowserStore('localStorage', '.example.com');
 */
export function createBrowserStore(persistence: Persistence, cookieDomain?: string): Store {
  let local: Local = memoryStorage();
  try {
    // Throws when blocked (some private modes, sandboxed iframes, disabled storage).
    if (persistence === 'localStorage') {
      localStorage.getItem(DASHX_KEY);
      local = localStorage;
    }
  } catch {
    // Stay in memory; the cookie still keeps the visitor.
  }
  // Cookie names are tokens: `tessera:id` becomes `tessera_id`.
  const cookie = (key: string) =>
    persistence !== 'memory' && /^tessera:(id|consent)$/.test(key) && key.replace(':', '_');
  const set = (key: string, value: string | null) => {
    const name = cookie(key);
    if (name)
      document.cookie =
        `${name}=${encodeURIComponent(value ?? '')}; Path=/; Max-Age=${value === null ? 0 : YEAR}; SameSite=Lax` +
        (cookieDomain ? `; Domain=${cookieDomain}` : '') +
        (location.protocol === 'https:' ? '; Secure' : '');
    try {
      if (value === null) local.removeItem(key);
      else local.setItem(key, value);
    } catch {
      // Quota exceeded: the SDK keeps its state in memory.
    }
  };

  return {
    get(key) {
      const name = cookie(key);
      const stored = local.getItem(key);
      if (!name) return stored;
      const jar = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
      let value = stored ?? (key === 'tessera:id' ? local.getItem(DASHX_KEY) : null);
      try {
        value = jar ? decodeURIComponent(jar.slice(name.length + 1)) : value;
      } catch {
        // A cookie we did not write: keep the stored value.
      }
      // Resync: whichever copy is missing or stale gets the value (the cookie's, when there is one).
      if (value !== null && (value !== stored || !jar)) set(key, value);
      return value;
    },
    set,
    remove: (key) => set(key, null),
    keys: (prefix) => Object.keys(local).filter((k) => k.startsWith(prefix)),
  };
}
