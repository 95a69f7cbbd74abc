/** The JSON shapes of the admin API, as the dashboard reads them (dates arrive as ISO strings). */
import type { AccountKind, AccountRecord, EventRecord, MergeRecord } from '@tessera/protocol';

export type { DayStats, Overview, Page } from '@tessera/protocol';
export type Account = AccountRecord;
export type StoredEvent = EventRecord;

export interface Operator {
  id: string;
  email: string;
  lastLoginAt: string | null;
}

export interface SessionState {
  operator: Operator | null;
  setupRequired: boolean;
  csrfToken?: string;
}

export interface KeyPair {
  publicKey: string;
  /** Only in the answer that creates the pair, and in a reveal. */
  privateKey?: string;
  active: boolean;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export type Verification = 'required' | 'optional';

export interface Environment {
  id: string;
  name: string;
  identityVerification: Verification;
  allowLegacyTokens: boolean;
  /** Browser origins whose pages may use its keys; null: any origin. */
  allowedOrigins: string[] | null;
  /** Ingest requests a second per public key; null: the server-wide default. */
  rateLimitPerKey: number | null;
  createdAt: string;
  keyPairs?: KeyPair[];
}

/** What PATCH /environments/:name changes; absent fields stay as they are. */
export interface EnvironmentChanges {
  identityVerification?: Verification;
  allowLegacyTokens?: boolean;
  /** null: any origin. */
  allowedOrigins?: string[] | null;
  /** null: the server-wide default. */
  rateLimitPerKey?: number | null;
}

export type Kind = AccountKind;

/** A row of the people table. */
export interface AccountRow extends Account {
  firstEventAt?: string | null;
  lastEventAt?: string | null;
  eventCount?: number;
  mergedVisitors?: number;
}

export interface Merge extends MergeRecord {
  userUid?: string | null;
  visitorAnonymousUid?: string | null;
}

export interface AccountDetail extends Account {
  visitors: Account[];
  merges: Merge[];
}

export interface LiveEvent {
  id: number;
  accountId: string;
  name: string;
  data: Record<string, unknown>;
  timestamp: string;
  receivedAt: string;
  verified: boolean;
  kind: Kind;
  uid: string | null;
  anonymousUid: string | null;
  mergedIntoId: string | null;
}

export interface PeopleFilter {
  q?: string;
  kind?: Kind;
  verified?: boolean;
  hasMerges?: boolean;
}
