/**
 * Accounts, merges, events and overview numbers as Tessera's APIs send them. `Time` is an ISO 8601
 * string on the wire (the default) and a `Date` inside the server, which reads them from the database.
 */
import type { JsonObject } from './wire.ts';

export type AccountKind = 'VISITOR' | 'USER';

export interface AccountRecord<Time = string> {
  id: string;
  environmentId: string;
  kind: AccountKind;
  uid: string | null;
  anonymousUid: string | null;
  email: string | null;
  phone: string | null;
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  custom: JsonObject;
  /** False when any of the account's data was written without a verified identity. */
  verified: boolean;
  /** Traits whose current value was written without a verified identity. */
  unverifiedTraits: string[];
  mergedIntoId: string | null;
  createdAt: Time;
  updatedAt: Time;
  lastSeenAt: Time;
}

export interface MergeRecord<Time = string> {
  id: string;
  userId: string;
  visitorId: string;
  /** merged; undone by an operator; refused (the visitor already belonged to another user). */
  status: 'merged' | 'undone' | 'refused';
  /** Traits copied from the visitor onto the user, so an undo can take them back. */
  copiedTraits: JsonObject;
  createdAt: Time;
  undoneAt: Time | null;
}

export interface EventRecord<Time = string> {
  id: number;
  accountId: string;
  name: string;
  data: JsonObject;
  timestamp: Time;
  receivedAt: Time;
  systemContext: JsonObject | null;
  verified: boolean;
  /** The client's timestamp was too far in the future and was replaced by the receive time. */
  timestampClamped: boolean;
  messageId: string;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

/** One UTC day of an environment's overview. */
export interface DayStats {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  events: number;
  /** Distinct people with an event that day; a merged visitor counts as its user. */
  activePeople: number;
  newVisitors: number;
  newUsers: number;
  /** Visitors merged into a user that day (undone merges excluded). */
  conversions: number;
}

export interface Overview {
  from: string;
  to: string;
  days: DayStats[];
  /** Sums over the period, except `activePeople`: the people active on the last day. */
  totals: Omit<DayStats, 'day'>;
  topEvents: Array<{ name: string; count: number }>;
}
