/** The JSON shapes of the admin API, as the dashboard reads them (dates arrive as ISO strings). */

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
  /** Only in the answer that creates the pair. */
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
  createdAt: string;
  keyPairs?: KeyPair[];
}

export type Kind = 'VISITOR' | 'USER';

export interface Account {
  id: string;
  kind: Kind;
  uid: string | null;
  anonymousUid: string | null;
  email: string | null;
  phone: string | null;
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  custom: Record<string, unknown>;
  verified: boolean;
  unverifiedTraits: string[];
  mergedIntoId: string | null;
  createdAt: string;
  updatedAt: string;
  lastSeenAt: string;
}

/** A row of the people table. */
export interface AccountRow extends Account {
  firstEventAt?: string | null;
  lastEventAt?: string | null;
  eventCount?: number;
  mergedVisitors?: number;
}

export interface Merge {
  id: string;
  userId: string;
  visitorId: string;
  status: 'merged' | 'undone' | 'refused';
  copiedTraits: Record<string, unknown>;
  createdAt: string;
  undoneAt: string | null;
  userUid?: string | null;
  visitorAnonymousUid?: string | null;
}

export interface AccountDetail extends Account {
  visitors: Account[];
  merges: Merge[];
}

export interface StoredEvent {
  id: number;
  accountId: string;
  name: string;
  data: Record<string, unknown>;
  timestamp: string;
  receivedAt: string;
  systemContext: Record<string, unknown> | null;
  verified: boolean;
  timestampClamped: boolean;
  messageId: string;
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

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface DayStats {
  day: string;
  events: number;
  activePeople: number;
  newVisitors: number;
  newUsers: number;
  conversions: number;
}

export interface Overview {
  from: string;
  to: string;
  days: DayStats[];
  totals: Omit<DayStats, 'day'>;
  topEvents: Array<{ name: string; count: number }>;
}

export interface PeopleFilter {
  q?: string;
  kind?: Kind;
  verified?: boolean;
  hasMerges?: boolean;
}
