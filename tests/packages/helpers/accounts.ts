/** What the server stored, read through its admin API as an operator would: accounts and their timelines. */
import { eventually } from '../../helpers/chromium.ts';
import type { ServerProcess } from './server.ts';

export interface StoredAccount {
  id: string;
  kind: 'VISITOR' | 'USER';
  uid: string | null;
  anonymousUid: string | null;
  email: string | null;
  custom: Record<string, unknown>;
  verified: boolean;
  /** Visitors merged into this account. */
  visitors: { id: string; anonymousUid: string }[];
  /** Its timeline, newest first, merged visitors' events included. */
  events: { name: string; accountId: string; data: Record<string, unknown>; verified: boolean; systemContext: any }[];
}

/**
 * The account that `query` (`uid=…`, `anonymousUid=…`) finds in `environment`, once `until` holds
 * for it (polled: deliveries land in the background).
 */
export function storedAccount(
  server: ServerProcess,
  environment: string,
  query: string,
  until: (account: StoredAccount) => boolean = () => true,
): Promise<StoredAccount> {
  let last: StoredAccount | undefined;
  return eventually(async () => {
    const list = await server.admin('GET', `/environments/${environment}/accounts?${query}`);
    const found = list.body.items?.[0];
    if (!found) return undefined;
    // The timeline before the account, so that a merge the timeline shows is in the account too.
    const events = await server.admin('GET', `/environments/${environment}/accounts/${found.id}/events?limit=200`);
    const detail = await server.admin('GET', `/environments/${environment}/accounts/${found.id}`);
    const account: StoredAccount = { ...detail.body, events: events.body.items };
    last = account;
    return until(account) ? account : undefined;
  }).catch((err: unknown) => {
    throw new Error(
      `${environment}?${query}: ${last ? `the account never matched; last seen:\n${JSON.stringify(last, null, 2)}` : 'no such account'} (${String(err)})`,
    );
  });
}

/** The names of an account's events, oldest first. */
export const eventNames = (account: StoredAccount): string[] => account.events.map((e) => e.name).reverse();
