/** Who is calling the identity and tracking APIs, once their keys and token have been checked. */
import type { Environment } from './environments.ts';

/** The raw credentials of a request, as read from its headers (or a beacon's body). */
export interface Credentials {
  publicKey?: string | undefined;
  privateKey?: string | undefined;
  /** `X-Target-Environment`; absent or the literal `undefined` means the key's own environment. */
  targetEnvironment?: string | undefined;
  identityToken?: string | undefined;
}

export interface Caller {
  environment: Environment;
  /** True when the request carried the matching private key: an app backend, trusted fully. */
  backend: boolean;
  /** The uid proven by a valid identity token, if one was sent. */
  tokenUid: string | undefined;
  /** The client's IP address, used where DashX SDKs send `ipV4: "NA"`. */
  ip: string;
}

/** Input of identify, from GraphQL's IdentifyAccountInput or a `/v1` identify item. */
export interface IdentifyInput {
  uid?: unknown;
  anonymousUid?: unknown;
  /** Standard and custom traits; `null` means "not provided". */
  traits: Record<string, unknown>;
}

/** Input of track, from GraphQL's TrackEventInput or a `/v1` track item. */
export interface TrackInput {
  event: unknown;
  uid?: unknown;
  anonymousUid?: unknown;
  data?: unknown;
  timestamp?: unknown;
  systemContext?: unknown;
  /** Idempotency key; generated when missing (DashX SDKs send none). */
  messageId?: unknown;
  /** Client clock correction in ms (receivedAt - sentAt); 0 when unknown. */
  skewMs?: number;
}
