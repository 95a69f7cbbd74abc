/** Wires the services over one database. Services know nothing of HTTP or GraphQL. */
import type { Database } from '../storage/database.ts';
import { AccountIds } from './account-ids.ts';
import { AccountPrivacyService } from './account-privacy.ts';
import { AccountReads } from './account-reads.ts';
import { AccountWriter } from './account-writer.ts';
import { BatchIngest } from './batch-ingest.ts';
import { CallerResolver } from './callers.ts';
import { ContactService } from './contacts.ts';
import { createDashboardServices, type DashboardServices } from './dashboard.ts';
import { EnvironmentService } from './environments.ts';
import { EventWriter } from './event-writer.ts';
import { KeyCache } from './key-cache.ts';
import { MergeService } from './merges.ts';
import { PreferenceService } from './preferences.ts';
import { TrackingService } from './tracking.ts';

export interface Services extends DashboardServices {
  environments: EnvironmentService;
  accountReads: AccountReads;
  /** Export and delete one person's data (backend API, dashboard). */
  privacy: AccountPrivacyService;
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
  const accountWriter = new AccountWriter(db);
  const accountIds = new AccountIds(accountWriter);
  const merges = new MergeService(db);
  const writer = new EventWriter(db);
  const tracking = new TrackingService(db, accountIds, accountWriter, merges, writer);
  return {
    ...createDashboardServices(db),
    environments,
    accountReads: new AccountReads(db),
    privacy: new AccountPrivacyService(db, accountIds, merges),
    callers: new CallerResolver(keys),
    tracking,
    batches: new BatchIngest(tracking, writer),
    eventWriter: writer,
    merges,
    preferences: new PreferenceService(db, accountIds),
    contacts: new ContactService(db, accountIds),
  };
}
