/** Wires the services over one database. Services know nothing of HTTP or GraphQL. */
import type { Database } from '../storage/database.ts';
import { AccountIds } from './account-ids.ts';
import { AccountReads } from './account-reads.ts';
import { BatchIngest } from './batch-ingest.ts';
import { CallerResolver } from './callers.ts';
import { ContactService } from './contacts.ts';
import { EnvironmentService } from './environments.ts';
import { EventWriter } from './event-writer.ts';
import { KeyCache } from './key-cache.ts';
import { MergeService } from './merges.ts';
import { PreferenceService } from './preferences.ts';
import { TrackingService } from './tracking.ts';

export interface Services {
  environments: EnvironmentService;
  accountReads: AccountReads;
  callers: CallerResolver;
  tracking: TrackingService;
  batches: BatchIngest;
  /** The group-commit writer of events (its `stats` show how well writes coalesce). */
  eventWriter: EventWriter;
  merges: MergeService;
  preferences: PreferenceService;
  contacts: ContactService;
}

export function createServices(db: Database): Services {
  let keys: KeyCache | undefined = undefined;
  const environments = new EnvironmentService(db, () => keys?.clear());
  keys = new KeyCache(environments);
  const accountIds = new AccountIds(db);
  const merges = new MergeService(db);
  const writer = new EventWriter(db);
  const tracking = new TrackingService(db, accountIds, merges, writer);
  return {
    environments,
    accountReads: new AccountReads(db),
    callers: new CallerResolver(keys),
    tracking,
    batches: new BatchIngest(tracking, writer),
    eventWriter: writer,
    merges,
    preferences: new PreferenceService(db, accountIds),
    contacts: new ContactService(db, accountIds),
  };
}
