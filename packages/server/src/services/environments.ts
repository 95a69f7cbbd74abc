/** Environments and their key pairs: create, list, change, rotate, revoke, import. */
import { ErrorCode, Limits } from '@tessera/protocol';
import { TesseraError, invalidInput } from '../errors.ts';
import { UNIQUE_VIOLATION, sqlState, type Database, type Queryable } from '../storage/database.ts';
import { Lru } from '../util/lru.ts';
import { parseAllowedOrigins } from './allowed-origins.ts';
import { lockInstallation } from './installation/lock.ts';
import { generateKeyPair, privateKeyPattern, publicKeyPattern } from './key-material.ts';

export type IdentityVerification = 'required' | 'optional';

export interface Environment {
  id: string;
  projectId: string;
  name: string;
  identityVerification: IdentityVerification;
  allowLegacyTokens: boolean;
  /** Browser origins its ingest may come from (services/allowed-origins.ts); null: any origin. */
  allowedOrigins: string[] | null;
  /** Ingest requests a second per public key; null: the server-wide TESSERA_RATE_LIMIT_PER_KEY. */
  rateLimitPerKey: number | null;
  createdAt: Date;
}

export interface KeyPair {
  id: string;
  environmentId: string;
  publicKey: string;
  privateKey: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface EnvironmentChanges {
  identityVerification?: IdentityVerification;
  allowLegacyTokens?: boolean;
  /** null or empty: any origin. Absent: unchanged. */
  allowedOrigins?: readonly string[] | null;
  /** null: the server-wide rate. Absent: unchanged. */
  rateLimitPerKey?: number | null;
}

/** The highest per-environment rate accepted (requests a second per key). */
export const MAX_RATE_LIMIT_PER_KEY = 1_000_000;

const ENV_COLUMNS = `id, project_id AS "projectId", name, identity_verification AS "identityVerification",
  allow_legacy_tokens AS "allowLegacyTokens", allowed_origins AS "allowedOrigins",
  rate_limit_per_key AS "rateLimitPerKey", created_at AS "createdAt"`;
const keyColumns = (t = '') =>
  `${t}id, ${t}environment_id AS "environmentId", ${t}public_key AS "publicKey", ${t}private_key AS "privateKey",
   ${t}created_at AS "createdAt", ${t}expires_at AS "expiresAt", ${t}revoked_at AS "revokedAt"`;
const KEY_COLUMNS = keyColumns();

export const environmentNamePattern = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** A key pair may be used now: not revoked, not past its expiry. */
export function isActive(pair: KeyPair, now = new Date()): boolean {
  return pair.revokedAt === null && (pair.expiresAt === null || pair.expiresAt > now);
}

export class EnvironmentService {
  /** Other processes' changes to an environment's settings show here within 5 s. */
  readonly #byName = new Lru<string, Environment>({ maxEntries: 1000, ttlMs: 5_000 });

  constructor(
    private readonly db: Database,
    /** Called after any key pair changes, so caches can forget it. */
    private readonly onKeyChange: (publicKey: string) => void = () => {},
    /**
     * Awaited after an environment is created or its settings change through this service, so
     * what depends on every environment (the allowed origins of preflights) is current before
     * the change is answered.
     */
    private readonly onSettingsChange: () => Promise<void> = async () => {},
  ) {}

  async defaultProjectId(q: Queryable = this.db): Promise<string | undefined> {
    const rows = await q.query<{ id: string }>('SELECT id FROM projects ORDER BY created_at, id LIMIT 1');
    return rows[0]?.id;
  }

  async list(): Promise<Environment[]> {
    return this.db.query<Environment>(`SELECT ${ENV_COLUMNS} FROM environments ORDER BY created_at, name`);
  }

  /** The environment of that name; cached for a few seconds (every admin call names one). */
  async get(name: string): Promise<Environment> {
    const cached = this.#byName.get(name);
    if (cached) return cached;
    const rows = await this.db.query<Environment>(`SELECT ${ENV_COLUMNS} FROM environments WHERE name = $1`, [name]);
    const env = rows[0];
    if (!env) throw new TesseraError(ErrorCode.NOT_FOUND, `No environment named "${name}"`);
    this.#byName.set(name, env);
    return env;
  }

  async getById(id: string): Promise<Environment | undefined> {
    const rows = await this.db.query<Environment>(`SELECT ${ENV_COLUMNS} FROM environments WHERE id = $1`, [id]);
    return rows[0];
  }

  /** Creates an environment with its first key pair. */
  async create(
    name: string,
    settings: EnvironmentChanges = {},
    keys: { publicKey: string; privateKey: string } = generateKeyPair(),
  ): Promise<{ environment: Environment; keyPair: KeyPair }> {
    validateEnvironmentName(name);
    const created = await this.db.transaction((tx) => this.createIn(tx, name, settings, keys));
    await this.onSettingsChange();
    return created;
  }

  /**
   * Creates an environment with its first key pair inside the caller's transaction (`tessera init`
   * makes several at once, all or none).
   */
  async createIn(
    tx: Queryable,
    name: string,
    settings: EnvironmentChanges = {},
    keys: { publicKey: string; privateKey: string } = generateKeyPair(),
  ): Promise<{ environment: Environment; keyPair: KeyPair }> {
    validateEnvironmentName(name);
    const allowedOrigins = parseAllowedOrigins(settings.allowedOrigins);
    const rateLimitPerKey = validateRateLimit(settings.rateLimitPerKey);
    try {
      const projectId = await this.ensureProject(tx);
      const [environment] = await tx.query<Environment>(
        `INSERT INTO environments (project_id, name, identity_verification, allow_legacy_tokens, allowed_origins,
           rate_limit_per_key)
         VALUES ($1, $2, $3, $4, $5::text[], $6) RETURNING ${ENV_COLUMNS}`,
        [
          projectId,
          name,
          settings.identityVerification ?? 'required',
          settings.allowLegacyTokens ?? false,
          allowedOrigins,
          rateLimitPerKey ?? null,
        ],
      );
      if (!environment) throw new Error('INSERT returned no row');
      const keyPair = await insertKeyPair(tx, environment.id, keys);
      return { environment, keyPair };
    } catch (err) {
      if (sqlState(err) === UNIQUE_VIOLATION) {
        throw new TesseraError(ErrorCode.CONFLICT, `An environment named "${name}" already exists`, { cause: err });
      }
      throw err;
    }
  }

  /**
   * The active key pairs of an environment, private keys included: for an owner who lost the
   * ones printed at creation. Revoked and expired pairs are left out (they work nowhere).
   */
  async revealKeyPairs(name: string): Promise<{ environment: Environment; keyPairs: KeyPair[] }> {
    const environment = await this.get(name);
    const keyPairs = (await this.keyPairs(environment.id)).filter((p) => isActive(p));
    return { environment, keyPairs };
  }

  async update(name: string, changes: EnvironmentChanges): Promise<Environment> {
    const origins = changes.allowedOrigins === undefined ? undefined : parseAllowedOrigins(changes.allowedOrigins);
    const rate = validateRateLimit(changes.rateLimitPerKey);
    // Unchanged settings keep their stored value (not a cached one another process may have changed).
    // The two nullable ones take a flag, as null is a value they may be set to.
    const [updated] = await this.db.query<Environment>(
      `UPDATE environments SET identity_verification = coalesce($2, identity_verification),
         allow_legacy_tokens = coalesce($3, allow_legacy_tokens),
         allowed_origins = CASE WHEN $4::boolean THEN $5::text[] ELSE allowed_origins END,
         rate_limit_per_key = CASE WHEN $6::boolean THEN $7::integer ELSE rate_limit_per_key END
       WHERE name = $1 RETURNING ${ENV_COLUMNS}`,
      [
        name,
        changes.identityVerification ?? null,
        changes.allowLegacyTokens ?? null,
        origins !== undefined,
        origins ?? null,
        rate !== undefined,
        rate ?? null,
      ],
    );
    if (!updated) throw new TesseraError(ErrorCode.NOT_FOUND, `No environment named "${name}"`);
    this.#byName.set(name, updated);
    for (const pair of await this.keyPairs(updated.id)) this.onKeyChange(pair.publicKey);
    await this.onSettingsChange();
    return updated;
  }

  /** Every environment's allowed origins (null: open to any), for the union preflights use. */
  async allowedOriginLists(): Promise<Array<string[] | null>> {
    const rows = await this.db.query<{ origins: string[] | null }>(
      'SELECT allowed_origins AS origins FROM environments',
    );
    return rows.map((r) => r.origins);
  }

  async keyPairs(environmentId: string, q: Queryable = this.db): Promise<KeyPair[]> {
    return q.query<KeyPair>(`SELECT ${KEY_COLUMNS} FROM key_pairs WHERE environment_id = $1 ORDER BY created_at, id`, [
      environmentId,
    ]);
  }

  /** The environment of that name as the caller's transaction sees it (never cached), or undefined. */
  async findIn(tx: Queryable, name: string): Promise<Environment | undefined> {
    const [env] = await tx.query<Environment>(`SELECT ${ENV_COLUMNS} FROM environments WHERE name = $1`, [name]);
    return env;
  }

  /**
   * The environment's newest active key pair (the one new tokens are signed with), or a new one
   * when none is active, inside the caller's transaction.
   */
  async usableKeyPairIn(tx: Queryable, environment: Environment): Promise<KeyPair> {
    const active = (await this.keyPairs(environment.id, tx)).filter((p) => isActive(p)).pop();
    return active ?? insertKeyPair(tx, environment.id, generateKeyPair());
  }

  /** Every key pair of the installation, newest environments last. */
  async allKeyPairs(): Promise<Array<KeyPair & { environmentName: string }>> {
    return this.db.query(
      `SELECT ${keyColumns('k.')}, e.name AS "environmentName"
       FROM key_pairs k JOIN environments e ON e.id = k.environment_id ORDER BY e.created_at, k.created_at`,
    );
  }

  /**
   * Adds a key pair (new, or imported from DashX). At most two may be active at once: the
   * environment row is locked so concurrent requests on several processes cannot exceed that.
   */
  async addKeyPair(
    environmentName: string,
    options: { keys?: { publicKey: string; privateKey: string }; expiresAt?: Date } = {},
  ): Promise<KeyPair> {
    const keys = options.keys ?? generateKeyPair();
    if (options.keys) validateImportedKeys(keys);
    const env = await this.get(environmentName);
    try {
      const pair = await this.db.transaction(async (tx) => {
        await tx.query('SELECT id FROM environments WHERE id = $1 FOR UPDATE', [env.id]);
        const [row] = await tx.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM key_pairs
           WHERE environment_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
          [env.id],
        );
        if ((row?.n ?? 0) >= Limits.maxActiveKeyPairs) {
          throw new TesseraError(
            ErrorCode.CONFLICT,
            `Environment "${environmentName}" already has ${Limits.maxActiveKeyPairs} active key pairs; revoke one first`,
          );
        }
        return insertKeyPair(tx, env.id, keys, options.expiresAt);
      });
      this.onKeyChange(pair.publicKey);
      return pair;
    } catch (err) {
      if (sqlState(err) === UNIQUE_VIOLATION) {
        throw new TesseraError(ErrorCode.CONFLICT, 'That public key is already registered', { cause: err });
      }
      throw err;
    }
  }

  async revokeKeyPair(publicKey: string): Promise<KeyPair> {
    const [pair] = await this.db.query<KeyPair>(
      `UPDATE key_pairs SET revoked_at = coalesce(revoked_at, now()) WHERE public_key = $1 RETURNING ${KEY_COLUMNS}`,
      [publicKey],
    );
    if (!pair) throw new TesseraError(ErrorCode.NOT_FOUND, 'No key pair with that public key');
    this.onKeyChange(publicKey);
    return pair;
  }

  /** The key pair and environment of a public key, whatever their state (callers check). */
  async findByPublicKey(publicKey: string): Promise<{ keyPair: KeyPair; environment: Environment } | undefined> {
    const [keyPair] = await this.db.query<KeyPair>(`SELECT ${KEY_COLUMNS} FROM key_pairs WHERE public_key = $1`, [
      publicKey,
    ]);
    if (!keyPair) return undefined;
    const environment = await this.getById(keyPair.environmentId);
    return environment && { keyPair, environment };
  }

  private async ensureProject(tx: Queryable): Promise<string> {
    const existing = await this.defaultProjectId(tx);
    if (existing) return existing;
    // The first project: wait for a concurrent first start or `tessera init`, then look again.
    await lockInstallation(tx);
    const made = await this.defaultProjectId(tx);
    if (made) return made;
    const [row] = await tx.query<{ id: string }>(`INSERT INTO projects (name) VALUES ('Default project') RETURNING id`);
    if (!row) throw new Error('INSERT returned no row');
    return row.id;
  }
}

async function insertKeyPair(
  tx: Queryable,
  environmentId: string,
  keys: { publicKey: string; privateKey: string },
  expiresAt?: Date,
): Promise<KeyPair> {
  const [pair] = await tx.query<KeyPair>(
    `INSERT INTO key_pairs (environment_id, public_key, private_key, expires_at) VALUES ($1, $2, $3, $4)
     RETURNING ${KEY_COLUMNS}`,
    [environmentId, keys.publicKey, keys.privateKey, expiresAt ?? null],
  );
  if (!pair) throw new Error('INSERT returned no row');
  return pair;
}

/** @throws TesseraError INVALID_INPUT for a name the database would refuse. */
export function validateEnvironmentName(name: string): void {
  if (!environmentNamePattern.test(name)) {
    throw invalidInput(
      `Environment names are 1-63 lower-case letters, digits, "-" or "_", starting with a letter or digit (got "${name}")`,
    );
  }
}

/**
 * A per-environment ingest rate: a whole number of requests a second, or null for the server-wide
 * one; undefined (unchanged) passes through.
 * @throws TesseraError INVALID_INPUT
 */
function validateRateLimit(rate: number | null | undefined): number | null | undefined {
  if (rate === undefined || rate === null) return rate;
  if (!Number.isInteger(rate) || rate < 1 || rate > MAX_RATE_LIMIT_PER_KEY) {
    throw invalidInput(
      `rateLimitPerKey must be a whole number of requests a second from 1 to ${MAX_RATE_LIMIT_PER_KEY}, or null for the server-wide TESSERA_RATE_LIMIT_PER_KEY (got ${String(rate)})`,
    );
  }
  return rate;
}

/**
 * Keys moved over from DashX keep their format; we only insist on what the protocol needs:
 * printable, at most 255 characters, and a private key of exactly 32 bytes (legacy tokens use it
 * as an AES-256 key; HS256 needs at least 256 bits).
 */
function validateImportedKeys(keys: { publicKey: string; privateKey: string }): void {
  const printable = /^[\x21-\x7e]{8,255}$/;
  if (!printable.test(keys.publicKey)) throw invalidInput('The public key must be 8-255 printable characters');
  if (!printable.test(keys.privateKey)) throw invalidInput('The private key must be printable characters');
  if (Buffer.byteLength(keys.privateKey) !== 32) {
    throw invalidInput(`The private key must be exactly 32 bytes long (got ${Buffer.byteLength(keys.privateKey)})`);
  }
  if (publicKeyPattern.test(keys.privateKey) || privateKeyPattern.test(keys.publicKey)) {
    throw invalidInput('The public and private keys look swapped');
  }
}
