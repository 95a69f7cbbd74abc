/** The backend API's JSON for accounts and events, turned into the SDK's types (times as Dates). */
import type { Account, EventPage, LinkedVisitor, TrackedEvent } from './types.ts';

type Wire<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

export type WireVisitor = Wire<LinkedVisitor>;
export type WireAccount = Omit<Wire<Account>, 'visitors'> & { visitors: WireVisitor[] };
export type WireEvent = Wire<TrackedEvent>;
export interface WireEventPage {
  events: WireEvent[];
  nextBefore: string | null;
}

const date = (value: string) => new Date(value);
const maybeDate = (value: string | null) => (value === null ? null : new Date(value));

export const fromWire = {
  account(a: WireAccount): Account {
    return {
      ...a,
      createdAt: date(a.createdAt),
      updatedAt: date(a.updatedAt),
      lastSeenAt: date(a.lastSeenAt),
      visitors: a.visitors.map((v) => ({
        ...v,
        createdAt: date(v.createdAt),
        lastSeenAt: date(v.lastSeenAt),
        mergedAt: maybeDate(v.mergedAt),
      })),
    };
  },

  eventPage(page: WireEventPage): EventPage {
    return {
      events: page.events.map((e) => ({ ...e, timestamp: date(e.timestamp), receivedAt: date(e.receivedAt) })),
      nextBefore: page.nextBefore,
    };
  },
};
