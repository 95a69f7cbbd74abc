/** Wires the services over one database. Services know nothing of HTTP or GraphQL. */
import type { Database } from '../storage/database.ts';
import { AccountReads } from './account-reads.ts';
import { EnvironmentService } from './environments.ts';

export interface Services {
  environments: EnvironmentService;
  accountReads: AccountReads;
}

export function createServices(db: Database): Services {
  const environments = new EnvironmentService(db);
  return { environments, accountReads: new AccountReads(db) };
}
