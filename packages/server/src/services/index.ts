/** Wires the services over one database. Services know nothing of HTTP or GraphQL. */
import type { Database } from '../storage/database.ts';
import type { MigrationResult } from '../storage/migrate.ts';
import { serverVersion } from '../version.ts';
import { AccountIds } from './account-ids.ts';
import { AccountPrivacyService } from './account-privacy.ts';
import { AccountReads } from './account-reads.ts';
import { AccountWriter } from './account-writer.ts';
import { BackupService } from './backup.ts';
import { BatchIngest } from './batch-ingest.ts';
import { BrowserOrigins } from './browser-origins.ts';
import { CallerResolver } from './callers.ts';
import { ContactService } from './contacts.ts';
import { createDashboardServices, type DashboardServices } from './dashboard.ts';
import { EnvironmentService } from './environments.ts';
import { EventWriter } from './event-writer.ts';
import { AdminTokenService } from './installation/admin-tokens.ts';
import { InstallationService } from './installation/initialize.ts';
import { StatusService } from './installation/status.ts';
import { KeyCache } from './key-cache.ts';
import { LoadShedder } from './load-shedder.ts';
import { IdentityTokenService } from './keys/identity-tokens.ts';
import { MergeService } from './merges.ts';
import { PreferenceService } from './preferences.ts';
import { TrackingService } from './tracking.ts';

export interface Services extends DashboardServices {
  environments: EnvironmentService;
  /** The union of every environment's allowed origins, for CORS preflights. */
  origins: BrowserOrigins;
  accountReads: AccountReads;
  /** Export and delete one person's data (backend API, dashboard). */
  privacy: AccountPrivacyService;
  callers: CallerResolver;
  tracking: TrackingService;
  batches: BatchIngest;
  /** The group-commit writer of events (its `stats` show how well writes coalesce). */
  eventWriter: EventWriter;
  /** Admits or sheds ingest requests (queue depth, event-loop lag). */
  load: LoadShedder;
  merges: MergeService;
  preferences: PreferenceService;
  contacts: ContactService;
  /** Admin API tokens stored in the database (`tessera init` makes the first). */
  adminTokens: AdminTokenService;
  /** `tessera init`: set up an empty installation in one transaction. */
  installation: InstallationService;
  /** Identity tokens minted by the installation (`tessera token`). */
  identityTokens: IdentityTokenService;
  /** The server's version and schema state. */
  status: StatusService;
  /** Consistent backups of the whole installation (`tessera backup`). */
  backups: BackupService;
}

export interface ServicesOptions {
  /** What the migrations did when this process opened the database, for the status. */
  migratedAtStart?: MigrationResult;
  /** The server's load shedding (its bounds come from the settings); default: sheds nothing. */
  load?: LoadShedder;
}

export function createServices(db: Database, options: ServicesOptions = {}): Services {
  let keys: KeyCache | undefined = undefined;
  let origins: BrowserOrigins | undefined = undefined;
  const environments = new EnvironmentService(
    db,
    () => keys?.clear(),
    async () => origins?.refresh(),
  );
  keys = new KeyCache(environments);
  origins = new BrowserOrigins(() => environments.allowedOriginLists());
  const accountWriter = new AccountWriter(db);
  const accountIds = new AccountIds(accountWriter);
  const merges = new MergeService(db);
  const writer = new EventWriter(db);
  const tracking = new TrackingService(db, accountIds, accountWriter, merges, writer);
  const dashboard = createDashboardServices(db);
  const adminTokens = new AdminTokenService(db);
  return {
    ...dashboard,
    adminTokens,
    installation: new InstallationService(db, environments, dashboard.operators, adminTokens),
    identityTokens: new IdentityTokenService(environments),
    status: new StatusService(db, serverVersion(), options.migratedAtStart),
    backups: new BackupService(db, serverVersion()),
    environments,
    origins,
    accountReads: new AccountReads(db),
    privacy: new AccountPrivacyService(db, accountIds, merges),
    callers: new CallerResolver(keys),
    tracking,
    batches: new BatchIngest(tracking, writer),
    eventWriter: writer,
    load: options.load ?? LoadShedder.unbounded(),
    merges,
    preferences: new PreferenceService(db, accountIds),
    contacts: new ContactService(db, accountIds),
  };
}
