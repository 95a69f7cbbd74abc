/** First start: an empty database gets a project with `production` and `staging`, one key pair each. */
import type { Database } from '../../storage/database.ts';
import type { Environment, EnvironmentService, KeyPair } from '../environments.ts';
import { lockInstallation } from './lock.ts';

export interface FirstStart {
  environments: Array<{ environment: Environment; keyPair: KeyPair }>;
}

/**
 * Returns what it created, or undefined when the installation was already set up (by an earlier
 * start, `tessera init` or `tessera environments create`). Both environments or neither.
 */
export async function bootstrap(db: Database, environments: EnvironmentService): Promise<FirstStart | undefined> {
  return db.transaction(async (tx) => {
    await lockInstallation(tx);
    if (await environments.defaultProjectId(tx)) return undefined;
    const created = [];
    for (const name of ['production', 'staging']) created.push(await environments.createIn(tx, name));
    return { environments: created };
  });
}
