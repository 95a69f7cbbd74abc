/**
 * Recognises "the database cannot be reached, refuses or hangs" among driver errors, so callers
 * can answer 503 (an outage) rather than 500.
 */

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (CONNECTION_CODES.has(code)) return true;
    // 08xxx connection exceptions; 53xxx insufficient resources (53300 too many connections);
    // 57014 statement timeout; 57P01-57P03 admin shutdown, crash shutdown, cannot connect now.
    if (code.startsWith('08') || code.startsWith('53') || code === '57014') return true;
    if (code === '57P01' || code === '57P02' || code === '57P03') return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout|Connection is closed/i.test(
    err.message,
  );
}
