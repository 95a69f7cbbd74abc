/** First start: an empty database gets a project with `production` and `staging`, one key pair each. */
import type { Database } from '../storage/database.ts';
import type { Environment, EnvironmentService, KeyPair } from './environments.ts';

/** Arbitrary constant shared by every Tessera process: "tessera-bootstrap". */
const BOOTSTRAP_LOCK = 0x7e55e7a2;

export interface FirstStart {
  environments: Array<{ environment: Environment; keyPair: KeyPair }>;
}

/** Returns what it created, or undefined when the installation was already set up. */
export async function bootstrap(db: Database, environments: EnvironmentService): Promise<FirstStart | undefined> {
  return db.withLock(BOOTSTRAP_LOCK, async () => {
    if (await environments.defaultProjectId()) return undefined;
    const created = [];
    for (const name of ['production', 'staging']) created.push(await environments.create(name));
    return { environments: created };
  });
}
