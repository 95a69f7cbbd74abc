/** Types of the native `/v1` API, shared by the server and the SDKs. */

/** Standard profile traits; anything else goes to `custom`. */
export interface StandardTraits {
  email?: string | null;
  phone?: string | null;
  name?: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

export const standardTraitNames = ['email', 'phone', 'name', 'firstName', 'lastName'] as const;
export type StandardTraitName = (typeof standardTraitNames)[number];

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Traits as SDK users pass them: the standard ones plus any custom JSON fields. */
export type Traits = StandardTraits & { [key: string]: JsonValue | undefined };

interface BatchItemBase {
  /** Client-generated id; the same id in an environment is stored once. */
  messageId?: string;
  anonymousUid?: string;
  uid?: string;
  /** ISO 8601; defaults to the time the server received it. */
  timestamp?: string;
  context?: JsonObject;
}

export interface IdentifyItem extends BatchItemBase {
  type: 'identify';
  traits?: Traits;
}

export interface TrackItem extends BatchItemBase {
  type: 'track';
  event: string;
  data?: JsonObject;
}

export type BatchItem = IdentifyItem | TrackItem;

export interface BatchRequest {
  batch: BatchItem[];
  /** When the client sent the batch (ISO 8601), to correct the client's clock skew. */
  sentAt?: string;
  /** For `navigator.sendBeacon`, which cannot set headers. */
  publicKey?: string;
  identityToken?: string;
}

export interface BatchRejection {
  index: number;
  code: string;
  message: string;
}

export interface BatchResponse {
  accepted: number;
  rejected: BatchRejection[];
}
