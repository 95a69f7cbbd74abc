/** Opaque keyset-pagination cursors: `(timestamp, id)` of the last row, base64url-encoded. */
import { invalidInput } from '../errors.ts';

export interface Cursor {
  at: Date;
  id: string;
}

export function encodeCursor(at: Date, id: string | number): string {
  return Buffer.from(JSON.stringify([at.toISOString(), String(id)])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Cursor | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { at: date, id };
  } catch {
    throw invalidInput('The cursor is not valid; use the nextCursor of a previous page');
  }
}

/** A page size within [1, max], default `fallback`. */
export function pageSize(value: unknown, fallback = 50, max = 200): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw invalidInput(`limit must be a whole number from 1 to ${max}`);
  return n;
}
