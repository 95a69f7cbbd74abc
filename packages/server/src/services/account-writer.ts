/**
 * Group commit for account upserts, like the EventWriter for events: identify calls and
 * first-seen accounts queue up, one flush at a time writes them all in a transaction of
 * set-based statements, and each caller is answered after the commit. Writes to the same
 * account in one flush are combined in arrival order (later values win), since one statement
 * cannot touch a row twice. Uniqueness stays with the database: `INSERT … ON CONFLICT DO NOTHING`
 * then `UPDATE … FROM unnest(…)`, so several processes converge on one row.
 */
import type { Database, Queryable } from '../storage/database.ts';
import { isDatabaseUnavailable } from '../util/database-errors.ts';
import { ACCOUNT_COLUMNS, type Account } from './account-reads.ts';
import { STANDARD_TRAIT_COLUMNS as STANDARD, type AccountKey, type TraitChanges } from './account-writes.ts';

export interface AccountWrite {
  environmentId: string;
  key: AccountKey;
  traits: TraitChanges;
  /** Whether the caller's identity was proven (see docs/identity.md). */
  verified: boolean;
}

interface Pending {
  write: AccountWrite;
  /** Whether the caller wants the whole stored account back, or only its id. */
  full: boolean;
  resolve: (result: { id: string; account?: Account }) => void;
  reject: (err: unknown) => void;
}

/** Several writes to one account, folded into one row of the statements. */
interface Combined {
  environmentId: string;
  kind: AccountKey['kind'];
  id: string;
  standard: Record<string, string>;
  custom: Record<string, unknown>;
  verified: boolean;
  /** Trait names whose last write in this flush was unverified / verified. */
  unverifiedNames: Set<string>;
  verifiedNames: Set<string>;
  waiting: Pending[];
}

export class AccountWriter {
  readonly #queue: Pending[] = [];
  #flushing = false;

  constructor(private readonly db: Database) {}

  /** Creates or updates the account; resolves with the stored account after the commit. */
  async upsert(write: AccountWrite): Promise<Account> {
    const { account } = await this.#enqueue(write, true);
    if (!account) throw new Error('account missing after upsert');
    return account;
  }

  /** Creates the account if new; resolves with its id after the commit. */
  async ensure(environmentId: string, key: AccountKey, verified: boolean): Promise<string> {
    const { id } = await this.#enqueue({ environmentId, key, traits: { standard: {}, custom: {} }, verified }, false);
    return id;
  }

  #enqueue(write: AccountWrite, full: boolean): Promise<{ id: string; account?: Account }> {
    const done = new Promise<{ id: string; account?: Account }>((resolve, reject) =>
      this.#queue.push({ write, full, resolve, reject }),
    );
    if (!this.#flushing) {
      this.#flushing = true;
      setImmediate(() => void this.#drain());
    }
    return done;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) await this.#flush(this.#queue.splice(0, 1000));
    } finally {
      this.#flushing = false;
    }
  }

  async #flush(batch: Pending[]): Promise<void> {
    try {
      await this.#write(combine(batch));
    } catch (err) {
      if (batch.length === 1 || isDatabaseUnavailable(err)) {
        for (const p of batch) p.reject(err);
        return;
      }
      // Find the write that fails (or ride out a deadlock with another process) one by one.
      for (const p of batch) await this.#write(combine([p])).catch((e: unknown) => p.reject(e));
    }
  }

  async #write(rows: Combined[]): Promise<void> {
    const ids = await this.db.transaction(async (tx) => {
      const found = new Map<Combined, string>();
      for (const kind of ['USER', 'VISITOR'] as const) {
        const ofKind = rows.filter((r) => r.kind === kind);
        if (ofKind.length > 0) for (const [row, id] of await upsertKind(tx, kind, ofKind)) found.set(row, id);
      }
      return found;
    });
    const wanted = rows.filter((r) => r.waiting.some((p) => p.full)).map((r) => ids.get(r));
    const accounts = new Map<string, Account>();
    if (wanted.length > 0) {
      for (const a of await this.db.query<Account>(
        `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ANY($1::uuid[])`,
        [wanted],
      )) {
        accounts.set(a.id, a);
      }
    }
    for (const row of rows) {
      const id = ids.get(row);
      for (const p of row.waiting) {
        if (id === undefined) p.reject(new Error('account upsert returned no row'));
        else p.resolve({ id, ...(p.full ? { account: accounts.get(id) } : {}) });
      }
    }
  }
}

function combine(batch: Pending[]): Combined[] {
  const byKey = new Map<string, Combined>();
  for (const p of batch) {
    const { environmentId, key, traits, verified } = p.write;
    const id = key.kind === 'USER' ? key.uid : key.anonymousUid;
    const mapKey = `${environmentId}\0${key.kind}\0${id}`;
    let row = byKey.get(mapKey);
    if (!row) {
      row = {
        environmentId,
        kind: key.kind,
        id,
        standard: {},
        custom: {},
        verified: false,
        unverifiedNames: new Set(),
        verifiedNames: new Set(),
        waiting: [],
      };
      byKey.set(mapKey, row);
    }
    row.verified ||= verified;
    Object.assign(row.standard, traits.standard);
    Object.assign(row.custom, traits.custom);
    for (const name of [...Object.keys(traits.standard), ...Object.keys(traits.custom)]) {
      (verified ? row.verifiedNames : row.unverifiedNames).add(name);
      (verified ? row.unverifiedNames : row.verifiedNames).delete(name);
    }
    row.waiting.push(p);
  }
  return [...byKey.values()];
}

/** Inserts the missing accounts of one kind, then applies every row's changes. */
async function upsertKind(
  tx: Queryable,
  kind: AccountKey['kind'],
  rows: Combined[],
): Promise<Array<[Combined, string]>> {
  const column = kind === 'USER' ? 'uid' : 'anonymous_uid';
  const env = rows.map((r) => r.environmentId);
  const ids = rows.map((r) => r.id);
  await tx.query(
    `INSERT INTO accounts (environment_id, kind, ${column}, verified)
     SELECT t.env, $3, t.key, t.verified FROM unnest($1::uuid[], $2::text[], $4::boolean[]) AS t(env, key, verified)
     ON CONFLICT DO NOTHING`,
    [env, ids, kind, rows.map((r) => r.verified)],
  );
  const updated = await tx.query<{ id: string; env: string; key: string }>(
    `UPDATE accounts AS a SET
       ${STANDARD.map(([, col]) => `${col} = coalesce(t.${col}, a.${col})`).join(', ')},
       custom = a.custom || t.custom,
       verified = a.verified OR t.verified,
       unverified_traits = array(
         SELECT DISTINCT x FROM unnest(a.unverified_traits || array(SELECT jsonb_array_elements_text(t.unverified))) AS x
         WHERE NOT (t.verified_names ? x)),
       updated_at = CASE WHEN t.changed THEN now() ELSE a.updated_at END,
       last_seen_at = now()
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[],
                 $9::boolean[], $10::jsonb[], $11::jsonb[], $12::boolean[])
       AS t(env, key, email, phone, name, first_name, last_name, custom, verified, unverified, verified_names, changed)
     WHERE a.environment_id = t.env AND a.${column} = t.key
     RETURNING a.id, t.env, t.key`,
    [
      env,
      ids,
      ...STANDARD.map(([trait]) => rows.map((r) => r.standard[trait] ?? null)),
      rows.map((r) => JSON.stringify(r.custom)),
      rows.map((r) => r.verified),
      rows.map((r) => JSON.stringify([...r.unverifiedNames])),
      rows.map((r) => JSON.stringify([...r.verifiedNames])),
      rows.map((r) => r.unverifiedNames.size + r.verifiedNames.size > 0),
    ],
  );
  const byKey = new Map(updated.map((u) => [`${u.env}\0${u.key}`, u.id]));
  return rows.flatMap((r) => {
    const id = byKey.get(`${r.environmentId}\0${r.id}`);
    return id === undefined ? [] : [[r, id] as [Combined, string]];
  });
}
