/**
 * Dashboard operators: accounts (email + scrypt hash), sign-in with throttling, and sessions.
 * A session is a random 256-bit token in an HttpOnly cookie; the database keeps only its SHA-256.
 * The CSRF token is an HMAC of the session token, so it needs no storage and dies with the session.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ErrorCode } from '@tessera/protocol';
import { TesseraError, invalidInput } from '../errors.ts';
import { UNIQUE_VIOLATION, sqlState, type Database, type Queryable } from '../storage/database.ts';
import { LoginThrottle, type ThrottleOptions, type ThrottleRule } from './login-throttle.ts';
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';

export interface Operator {
  id: string;
  email: string;
  createdAt: Date;
  lastLoginAt: Date | null;
}

/** Checked credentials of an operator to be created, the password already hashed. */
export interface NewOperator {
  email: string;
  passwordHash: string;
}

export interface OperatorSession {
  operator: Operator;
  sessionId: string;
  expiresAt: Date;
}

export interface OperatorServiceOptions {
  /** Absolute session lifetime in ms. Default 7 days. */
  sessionTtlMs?: number;
  /** A session unused this long ends, in ms. Default 24 h. */
  idleTimeoutMs?: number;
  /** Failed sign-ins in a row before an email is locked. Default 5. */
  emailThreshold?: number;
  /** Failed sign-ins in a row before an IP address is locked. Default 20. */
  ipThreshold?: number;
  throttle?: ThrottleOptions;
}

const OPERATOR_COLUMNS = `o.id, o.email, o.created_at AS "createdAt", o.last_login_at AS "lastLoginAt"`;
/** `last_used_at` is written at most this often, in ms, so reads do not turn into writes. */
const TOUCH_INTERVAL_MS = 5 * 60_000;
const emailPattern = /^[^\s@]{1,64}@[^\s@]{1,189}$/;

export class OperatorService {
  readonly #throttle: LoginThrottle;
  readonly #sessionTtlMs: number;
  readonly #idleTimeoutMs: number;
  readonly #emailThreshold: number;
  readonly #ipThreshold: number;

  constructor(
    private readonly db: Database,
    options: OperatorServiceOptions = {},
  ) {
    this.#throttle = new LoginThrottle(db, options.throttle);
    this.#sessionTtlMs = options.sessionTtlMs ?? 7 * 24 * 3600_000;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 24 * 3600_000;
    this.#emailThreshold = options.emailThreshold ?? 5;
    this.#ipThreshold = options.ipThreshold ?? 20;
  }

  /** Session lifetime in seconds, for the cookie's Max-Age. */
  get sessionTtlSeconds(): number {
    return Math.floor(this.#sessionTtlMs / 1000);
  }

  async count(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM operators');
    return row?.n ?? 0;
  }

  async list(): Promise<Operator[]> {
    return this.db.query<Operator>(`SELECT ${OPERATOR_COLUMNS} FROM operators o ORDER BY o.created_at, o.email`);
  }

  /**
   * Adds an operator. 409 when the email is taken.
   * @example await operators.create('ada@example.com', 'a long passphrase');
   */
  async create(email: string, password: string): Promise<Operator> {
    return this.insert(this.db, await this.prepare(email, password));
  }

  /**
   * Checks and hashes new credentials (scrypt, ~170 ms) before any transaction opens, so none is
   * held open while hashing.
   */
  async prepare(email: string, password: string): Promise<NewOperator> {
    const clean = validateCredentials(email, password);
    return { email: clean, passwordHash: await hashPassword(password) };
  }

  /** Inserts prepared credentials, on the database or in the caller's transaction. 409 when the email is taken. */
  async insert(q: Queryable, operator: NewOperator): Promise<Operator> {
    try {
      const [row] = await q.query<Operator>(
        `INSERT INTO operators AS o (email, password_hash) VALUES ($1, $2) RETURNING ${OPERATOR_COLUMNS}`,
        [operator.email, operator.passwordHash],
      );
      if (!row) throw new Error('INSERT returned no row');
      return row;
    } catch (err) {
      if (sqlState(err) === UNIQUE_VIOLATION) {
        throw new TesseraError(ErrorCode.CONFLICT, `An operator with the email ${operator.email} already exists`, {
          cause: err,
        });
      }
      throw err;
    }
  }

  /**
   * The one-time setup: creates the first operator, only while there is none. The table is locked
   * for the check and the insert, so two processes cannot both create a "first" operator.
   */
  async setup(email: string, password: string): Promise<Operator> {
    const operator = await this.prepare(email, password);
    return this.db.transaction(async (tx) => {
      await tx.query('LOCK TABLE operators IN SHARE ROW EXCLUSIVE MODE');
      const [existing] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM operators');
      if ((existing?.n ?? 0) > 0) {
        throw new TesseraError(ErrorCode.CONFLICT, 'Setup is already done: sign in with an operator account');
      }
      return this.insert(tx, operator);
    });
  }

  /** Replaces an operator's password and ends all of their sessions. */
  async setPassword(email: string, password: string): Promise<Operator> {
    const clean = validateCredentials(email, password);
    const hash = await hashPassword(password);
    const [row] = await this.db.query<Operator>(
      `UPDATE operators o SET password_hash = $2 WHERE lower(o.email) = lower($1) RETURNING ${OPERATOR_COLUMNS}`,
      [clean, hash],
    );
    if (!row) throw new TesseraError(ErrorCode.NOT_FOUND, `No operator with the email ${clean}`);
    await this.db.query('DELETE FROM operator_sessions WHERE operator_id = $1', [row.id]);
    return row;
  }

  /**
   * Checks email and password (throttled per email and per IP address) and opens a session.
   * Unknown emails cost the same scrypt time as known ones, so timing does not reveal which exist.
   * @returns the session and its token (for the cookie; never stored).
   */
  async signIn(
    email: string,
    password: string,
    client: { ip: string; userAgent?: string | undefined },
  ): Promise<{ token: string; session: OperatorSession }> {
    const normalized = email.trim().toLowerCase();
    if (typeof password !== 'string' || password.length > 1024 || normalized.length > 254) {
      throw invalidInput('Email or password is too long');
    }
    const rules: ThrottleRule[] = [
      { key: `email:${normalized}`, threshold: this.#emailThreshold },
      { key: `ip:${client.ip}`, threshold: this.#ipThreshold },
    ];
    await this.#throttle.attempt(rules);
    const [row] = await this.db.query<Operator & { passwordHash: string }>(
      `SELECT ${OPERATOR_COLUMNS}, o.password_hash AS "passwordHash" FROM operators o WHERE lower(o.email) = $1`,
      [normalized],
    );
    const ok = await verifyPassword(password, row?.passwordHash ?? (await dummyPasswordHash()));
    if (!row || !ok) throw new TesseraError(ErrorCode.UNAUTHORIZED, 'The email or password is not correct');
    await this.#throttle.succeeded(rules);

    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.#sessionTtlMs);
    const [session] = await this.db.query<{ id: string }>(
      `INSERT INTO operator_sessions (operator_id, token_hash, expires_at, user_agent, ip)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [row.id, sha256(token), expiresAt, client.userAgent?.slice(0, 512) ?? null, client.ip],
    );
    await this.db.query('UPDATE operators SET last_login_at = now() WHERE id = $1', [row.id]);
    // Expired sessions are swept here rather than by a timer: sign-ins are rare and any process may do it.
    await this.db.query('DELETE FROM operator_sessions WHERE expires_at < now()');
    const { passwordHash: _, ...operator } = row;
    return { token, session: { operator, sessionId: session!.id, expiresAt } };
  }

  /** The live session of a cookie token, or undefined when it is unknown, expired or idle too long. */
  async authenticate(token: string): Promise<OperatorSession | undefined> {
    if (token.length < 20 || token.length > 100) return undefined;
    const [row] = await this.db.query<Operator & { sessionId: string; expiresAt: Date; lastUsedAt: Date }>(
      `SELECT ${OPERATOR_COLUMNS}, s.id AS "sessionId", s.expires_at AS "expiresAt", s.last_used_at AS "lastUsedAt"
       FROM operator_sessions s JOIN operators o ON o.id = s.operator_id
       WHERE s.token_hash = $1 AND s.expires_at > now() AND s.last_used_at > now() - $2 * interval '1 millisecond'`,
      [sha256(token), this.#idleTimeoutMs],
    );
    if (!row) return undefined;
    const { sessionId, expiresAt, lastUsedAt, ...operator } = row;
    if (Date.now() - lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.db.query('UPDATE operator_sessions SET last_used_at = now() WHERE id = $1', [sessionId]);
    }
    return { operator, sessionId, expiresAt };
  }

  /** Ends the session of a cookie token (sign out). */
  async signOut(token: string): Promise<void> {
    await this.db.query('DELETE FROM operator_sessions WHERE token_hash = $1', [sha256(token)]);
  }

  /** The CSRF token bound to a session token: the dashboard echoes it in `X-Tessera-CSRF`. */
  csrfToken(sessionToken: string): string {
    return createHmac('sha256', sessionToken).update('tessera-csrf').digest('base64url');
  }

  /** Whether a CSRF header matches the session, in constant time. */
  checkCsrf(sessionToken: string, header: string | undefined): boolean {
    if (header === undefined) return false;
    const expected = Buffer.from(this.csrfToken(sessionToken));
    const given = Buffer.from(header);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

function validateCredentials(email: string, password: string): string {
  const clean = email.trim();
  if (!emailPattern.test(clean)) throw invalidInput('Enter a valid email address');
  const problem = passwordProblem(password);
  if (problem) throw invalidInput(problem);
  return clean;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
