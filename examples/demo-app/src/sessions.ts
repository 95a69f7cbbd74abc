/** Demo sessions: an in-memory map behind an HttpOnly cookie (your app has its own). */
import { randomBytes } from 'node:crypto';

export interface Session {
  uid: string;
  /** How long identity tokens minted for this session live: '7d', or short to show refresh. */
  tokenLifetime: string;
}

export const SESSION_COOKIE = 'demo_session';

export class Sessions {
  readonly #byId = new Map<string, Session>();

  create(session: Session): string {
    const id = randomBytes(24).toString('base64url');
    this.#byId.set(id, session);
    return id;
  }

  get(cookieHeader: string | undefined): Session | undefined {
    const id = readCookie(cookieHeader, SESSION_COOKIE);
    return id === undefined ? undefined : this.#byId.get(id);
  }

  destroy(cookieHeader: string | undefined): void {
    const id = readCookie(cookieHeader, SESSION_COOKIE);
    if (id !== undefined) this.#byId.delete(id);
  }
}

export function sessionCookie(id: string | undefined): string {
  return id === undefined
    ? `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`
    : `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
