/** The public data types of @tessera/node: what its calls take and give back. */
import type { AccountRecord, JsonObject, JsonValue } from '@tessera/protocol';
import type { FlushResult } from '@tessera/sdk-core';

export type { JsonObject, JsonValue };

/** A person's profile: the standard traits and any custom ones (JSON values). */
export interface Traits {
  email?: string | null;
  phone?: string | null;
  name?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  /** Custom traits: any JSON value. `null` or `undefined` means "not provided". */
  [trait: string]: unknown;
}

/**
 * What `identify()` takes: traits, plus two fields that are not traits — `anonymousUid` (a
 * visitor to merge into the user, or the visitor itself in `identify(traits)`) and, in
 * `identify(traits)` only, `uid`.
 */
export interface IdentifyTraits extends Traits {
  uid?: string | number;
  anonymousUid?: string;
}

export interface IdentifyResult {
  /** The user identified; undefined when a visitor was. */
  uid: string | undefined;
  /** The visitor: the anonymous uid passed, or the fresh one `identify(traits)` made. */
  anonymousUid: string | undefined;
}

/** Event properties: any JSON object. */
export type EventData = Record<string, unknown>;

export interface TrackOptions {
  /** When it happened. Default: when `track()` was called. */
  timestamp?: Date | string;
  /**
   * Idempotency key: the same id in the same environment is stored once, ever. Default: a new
   * UUID. Pass your own (e.g. `order-123-placed`) to make your own retries safe too.
   */
  messageId?: string;
}

export interface IdentityTokenOptions {
  /**
   * How long the token is valid: whole seconds (`3600`), or a number with a unit: `30s`, `15m`,
   * `12h`, `7d`, `2w`. Default: `'7d'`.
   */
  expiresIn?: number | string;
}

/** What `shutdown()` did: its flush (`kind` is always `done`), and whether time ran out. */
export interface ShutdownResult extends FlushResult {
  /** True when the timeout cut the flush short (the events still waiting count as dropped). */
  timedOut: boolean;
}

/** A visitor (anonymous) account merged into a user. */
export interface LinkedVisitor {
  id: string;
  anonymousUid: string;
  traits: Traits;
  createdAt: Date;
  lastSeenAt: Date;
  /** When it was merged into the user. */
  mergedAt: Date | null;
}

/** A user account as `getAccount()` returns it. */
export interface Account {
  /** The server's id of the account. */
  id: string;
  kind: 'USER';
  uid: string;
  /** Standard traits that are set, and the custom ones: the shape `identify()` takes. */
  traits: Traits;
  /** False when some of its data was written without a verified identity. */
  verified: boolean;
  /** Traits whose current value was written without a verified identity. */
  unverifiedTraits: string[];
  createdAt: Date;
  updatedAt: Date;
  lastSeenAt: Date;
  /** Visitors merged into this user: their events are on its timeline. */
  visitors: LinkedVisitor[];
}

/** An event as `listEvents()` returns it. */
export interface TrackedEvent {
  id: string;
  messageId: string;
  event: string;
  data: JsonObject;
  timestamp: Date;
  receivedAt: Date;
  /** The system context sent with it (the SDK's name and version, for this SDK). */
  context: JsonObject | null;
  verified: boolean;
  /** True when its timestamp was too far in the future and was replaced by the receive time. */
  timestampClamped: boolean;
  /** The merged visitor that recorded it; null when the user did. */
  anonymousUid: string | null;
}

export interface ListEventsOptions {
  /** Events per page, 1-1000. Default: 50. */
  limit?: number;
  /** Only events before this: a time, or the `nextBefore` of the previous page. */
  before?: Date | string;
}

/** One page of a timeline, newest first. */
export interface EventPage {
  events: TrackedEvent[];
  /** Pass as `before` for the next page; null on the last one. */
  nextBefore: string | null;
}

/** An account row as stored, in an export. Times are ISO 8601 strings. */
export type ExportedAccount = AccountRecord;

export interface ExportedEvent {
  id: number;
  accountId: string;
  name: string;
  data: JsonObject;
  timestamp: string;
  receivedAt: string;
  systemContext: JsonObject | null;
  verified: boolean;
  timestampClamped: boolean;
  messageId: string;
}

export interface ExportedMerge {
  id: string;
  userId: string;
  visitorId: string;
  status: 'merged' | 'undone' | 'refused';
  copiedTraits: JsonObject;
  createdAt: string;
  undoneAt: string | null;
}

export interface ExportedContact {
  id: string;
  accountId: string;
  name: string | null;
  kind: string;
  value: string;
  unverifiedValue: string | null;
  verifiedAt: string | null;
  status: string;
  tag: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Everything the server stores about a person, as plain JSON (write it to a file as is). */
export interface AccountExport {
  format: 'tessera.account-export.v1';
  exportedAt: string;
  /** The environment's name and id. */
  environment: string;
  environmentId: string;
  account: ExportedAccount;
  /** The visitors merged into the account. */
  visitors: ExportedAccount[];
  merges: ExportedMerge[];
  /** The events of the account and its visitors, oldest first. */
  events: ExportedEvent[];
  storedPreferences: Array<{ accountId: string; data: JsonObject; updatedAt: string }>;
  contacts: ExportedContact[];
}

export interface DeleteResult {
  uid: string;
  /** False when there was no such user (already deleted, or never seen). */
  deleted: boolean;
  /** Accounts removed: the user and the visitors merged into it. */
  accounts: number;
  events: number;
}
