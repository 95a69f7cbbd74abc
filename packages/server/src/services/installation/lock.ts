/** The installation's advisory lock: one set-up of an empty database at a time, across processes. */
import type { Queryable } from '../../storage/database.ts';

/** Arbitrary constant shared by every Tessera process: "tessera-bootstrap". */
const INSTALLATION_LOCK = 0x7e55e7a2;

/**
 * Holds the lock until the caller's transaction ends, so that the first start, `tessera init` and
 * the first `environments create` never both set up the same database (on PostgreSQL, from any
 * number of processes; PGlite's one connection runs one transaction at a time anyway).
 */
export async function lockInstallation(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [INSTALLATION_LOCK]);
}
