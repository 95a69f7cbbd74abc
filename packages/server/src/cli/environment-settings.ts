/**
 * The per-environment settings flags of `tessera environments create|update`, as admin API fields:
 * `--allowed-origins a,b|open` and `--rate-limit-per-key N|default`. The server checks the values
 * themselves (services/allowed-origins.ts), so the CLI, the dashboard and the API agree.
 */
import { invalidInput } from '../errors.ts';

export interface SettingsFlags {
  allowedOrigins?: string;
  rateLimitPerKey?: string;
}

/** `open` (or an empty value): any origin; otherwise a comma-separated list. */
export function allowedOriginsOf(flag: string | undefined): string[] | null | undefined {
  if (flag === undefined) return undefined;
  const trimmed = flag.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'open') return null;
  return trimmed
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
}

/** `default`: the server-wide TESSERA_RATE_LIMIT_PER_KEY; otherwise requests a second. */
export function rateLimitOf(flag: string | undefined): number | null | undefined {
  if (flag === undefined) return undefined;
  const trimmed = flag.trim();
  if (trimmed.toLowerCase() === 'default') return null;
  if (!/^\d+$/.test(trimmed)) {
    throw invalidInput(
      `--rate-limit-per-key takes a whole number of requests a second, or "default" for TESSERA_RATE_LIMIT_PER_KEY (got "${flag}")`,
    );
  }
  return Number(trimmed);
}

/** The admin API fields the flags set; absent flags leave their setting unchanged. */
export function settingsOf(flags: SettingsFlags): {
  allowedOrigins?: string[] | null;
  rateLimitPerKey?: number | null;
} {
  const allowedOrigins = allowedOriginsOf(flags.allowedOrigins);
  const rateLimitPerKey = rateLimitOf(flags.rateLimitPerKey);
  return {
    ...(allowedOrigins !== undefined && { allowedOrigins }),
    ...(rateLimitPerKey !== undefined && { rateLimitPerKey }),
  };
}

/** For tables and messages: `any` or the list; `default` or `N/s`. */
export function describeOrigins(origins: readonly string[] | null): string {
  return origins === null ? 'any' : origins.join(',');
}

export function describeRate(rate: number | null): string {
  return rate === null ? 'default' : `${rate}/s`;
}
