/** An account as the server stored it, read through the admin API as an operator would: its row and its timeline. */

/** Calls `/admin/api…` with an admin credential; the JSON answer. */
export type AdminCall = (method: string, path: string) => Promise<{ body: any }>;

export interface StoredAccount {
  id: string;
  kind: 'VISITOR' | 'USER';
  uid: string | null;
  anonymousUid: string | null;
  email: string | null;
  name: string | null;
  custom: Record<string, unknown>;
  verified: boolean;
  /** Visitors merged into this account. */
  visitors: { id: string; anonymousUid: string }[];
  /** Its timeline, newest first, merged visitors' events included. */
  events: {
    name: string;
    accountId: string;
    messageId: string;
    data: Record<string, unknown>;
    verified: boolean;
    systemContext: any;
  }[];
}

/**
 * The account that `query` (`uid=…`, `anonymousUid=…`) finds in `environment`, or undefined.
 * The timeline is read first: a merge commits before the event that waited for it, so an account
 * read after a timeline that shows that event shows the merge too (read the other way round, a
 * poll could pair a timeline from after the merge with visitors from before it).
 */
export async function readAccount(
  admin: AdminCall,
  environment: string,
  query: string,
): Promise<StoredAccount | undefined> {
  const list = await admin('GET', `/environments/${environment}/accounts?${query}`);
  const found = list.body.items?.[0];
  if (!found) return undefined;
  const events = await admin('GET', `/environments/${environment}/accounts/${found.id}/events?limit=200`);
  const detail = await admin('GET', `/environments/${environment}/accounts/${found.id}`);
  return { ...detail.body, events: events.body.items };
}
