/** What the server stored, read through its admin API as an operator would: accounts and their timelines. */
import { eventually } from '../../helpers/chromium.ts';
import { readAccount, type StoredAccount } from '../../helpers/stored-account.ts';
import type { ServerProcess } from './server.ts';

export type { StoredAccount };

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
    const account = await readAccount((method, path) => server.admin(method, path), environment, query);
    if (!account) return undefined;
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
