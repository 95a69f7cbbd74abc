/**
 * Admin API tokens kept in the database (made by `tessera init`), accepted beside
 * TESSERA_ADMIN_TOKEN. The database keeps only each token's SHA-256, like dashboard sessions, so
 * a copy of it cannot be replayed against the API.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../../storage/database.ts';

/** A recognisable prefix, so secret scanners and people can tell what leaked. */
const PREFIX = 'tsa_';
/** 32 random bytes, base64url: 256 bits. */
const TOKEN_PATTERN = /^tsa_[A-Za-z0-9_-]{43}$/;

export interface AdminToken {
  id: string;
  label: string;
  createdAt: Date;
}

export class AdminTokenService {
  constructor(private readonly db: Database) {}

  /**
   * Makes a token, on the database or in the caller's transaction. The token itself is returned
   * this once and never stored.
   * @example const { token } = await adminTokens.create(tx, 'tessera init');
   */
  async create(q: Queryable, label: string): Promise<AdminToken & { token: string }> {
    const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
    const [row] = await q.query<AdminToken>(
      `INSERT INTO admin_tokens (label, token_hash) VALUES ($1, $2) RETURNING id, label, created_at AS "createdAt"`,
      [label, sha256(token)],
    );
    if (!row) throw new Error('INSERT returned no row');
    return { ...row, token };
  }

  /** Whether a bearer token is one of ours. Anything not shaped like one costs no query. */
  async verify(token: string): Promise<boolean> {
    if (!TOKEN_PATTERN.test(token)) return false;
    const rows = await this.db.query('SELECT 1 FROM admin_tokens WHERE token_hash = $1', [sha256(token)]);
    return rows.length > 0;
  }

  async count(q: Queryable = this.db): Promise<number> {
    const [row] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM admin_tokens');
    return row?.n ?? 0;
  }
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
