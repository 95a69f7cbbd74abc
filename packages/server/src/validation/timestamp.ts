/** Strict parsing of client timestamps, clock-skew correction and clamping of far-future times. */
import { Limits } from '@tessera/protocol';
import { invalidInput } from '../errors.ts';
import { typeName } from './type-name.ts';

/**
 * `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`. Fixed-width pieces and no nested quantifiers, so
 * matching is linear; inputs longer than the longest valid form are refused before matching.
 */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;
const MAX_ISO_LENGTH = 35;
const MIN_MS = 0; // 1970-01-01T00:00:00.000Z
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const FORMAT_HINT = 'an ISO 8601 date-time with a Z or ±hh:mm offset (e.g. 2026-11-29T17:51:58Z) or epoch milliseconds';

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Parses an ISO 8601 date-time string to epoch ms, or returns undefined when it is not one. */
function parseIso(s: string): number | undefined {
  if (s.length > MAX_ISO_LENGTH) return undefined;
  const m = ISO_DATE_TIME.exec(s);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(`${m[7]}00`.slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  // Years below 100 would be read as 19xx by Date.UTC; they are refused as < 1970 below anyway.
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}

/** Parses a timestamp value (ISO string or epoch ms) and checks it lies in years 1970–9999. */
function parseTimestamp(input: unknown, field: string): number {
  let ms: number | undefined;
  if (typeof input === 'string') ms = parseIso(input);
  else if (typeof input === 'number') ms = Number.isFinite(input) ? Math.trunc(input) : undefined;
  else throw invalidInput(`${field} must be ${FORMAT_HINT}, got ${typeName(input)}`);
  if (ms === undefined) throw invalidInput(`${field} must be ${FORMAT_HINT}`);
  if (ms < MIN_MS || ms > MAX_MS) throw invalidInput(`${field} must be between the years 1970 and 9999`);
  return ms;
}

/**
 * Resolves the time of an event or identify.
 * `undefined`/`null` give `receivedAt`. Otherwise `input` must be an ISO 8601 date-time with
 * optional fractional seconds and a `Z` or `±hh:mm` offset, or a number of epoch milliseconds, in
 * the years 1970–9999. `skewMs` (see {@link clockSkewMs}) is added to correct the client's clock;
 * a result more than `Limits.maxFutureSkewMs` after `receivedAt` becomes `receivedAt`, flagged
 * `clamped: true`.
 * @throws TesseraError INVALID_INPUT
 */
export function resolveTimestamp(input: unknown, receivedAt: Date, skewMs = 0): { timestamp: Date; clamped: boolean } {
  const now = receivedAt.getTime();
  if (input === undefined || input === null) return { timestamp: new Date(now), clamped: false };
  const corrected = parseTimestamp(input, 'timestamp') + (Number.isFinite(skewMs) ? skewMs : 0);
  if (corrected - now > Limits.maxFutureSkewMs) return { timestamp: new Date(now), clamped: true };
  if (corrected < MIN_MS) throw invalidInput('timestamp is before 1970 once corrected for clock skew');
  return { timestamp: new Date(corrected), clamped: false };
}

/**
 * Clock-skew correction for a batch: `receivedAt - sentAt` in ms, to add to every item's
 * timestamp. 0 when `sentAt` is absent or not a valid timestamp (never throws).
 */
export function clockSkewMs(sentAt: unknown, receivedAt: Date): number {
  if (sentAt === undefined || sentAt === null) return 0;
  let sent: number;
  try {
    sent = parseTimestamp(sentAt, 'sentAt');
  } catch {
    return 0;
  }
  const skew = receivedAt.getTime() - sent;
  return Number.isFinite(skew) ? skew : 0;
}
