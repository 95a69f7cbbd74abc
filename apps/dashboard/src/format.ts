/** How the dashboard writes dates, numbers and people. */
import type { Account } from './api/types.ts';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const number = new Intl.NumberFormat();

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : dateTime.format(d);
}

/** "3 min ago", "2 h ago", "5 d ago"; the full date past a month. */
export function formatAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const ms = now - new Date(iso).getTime();
  if (ms < 60_000) return 'just now';
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ago`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)} h ago`;
  if (ms < 30 * 86_400_000) return `${Math.floor(ms / 86_400_000)} d ago`;
  return formatDateTime(iso);
}

export function formatNumber(n: number): string {
  return number.format(n);
}

/** The server stops counting at 10,000 events per person. */
export function formatEventCount(n: number | undefined): string {
  if (n === undefined) return '—';
  return n > 10_000 ? '10,000+' : formatNumber(n);
}

/** A person's name for headings: name, first + last, email, uid, or the anonymous uid. */
export function displayName(
  a: Pick<Account, 'name' | 'firstName' | 'lastName' | 'email' | 'uid' | 'anonymousUid'>,
): string {
  const full = [a.firstName, a.lastName].filter(Boolean).join(' ');
  return a.name || full || a.email || a.uid || (a.anonymousUid ? `Visitor ${a.anonymousUid.slice(0, 8)}` : 'Unknown');
}

/** The id people know an account by: its uid, or its anonymous uid. */
export function identityOf(a: Pick<Account, 'uid' | 'anonymousUid'>): string {
  return a.uid ?? a.anonymousUid ?? '—';
}
