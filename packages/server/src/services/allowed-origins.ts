/**
 * Browser origins an environment accepts ingest from (docs/operations.md, "Allowed origins").
 * An entry is an origin exactly as browsers send it in `Origin` — `scheme://host[:port]`, no path,
 * query, fragment or credentials — or a subdomain wildcard `scheme://*.example.com[:port]`, which
 * matches any subdomain (at any depth) of `example.com` but not `example.com` itself. Entries are
 * stored normalised: scheme and host lower-cased, the default port of http/https dropped,
 * international host names in punycode, duplicates removed.
 */
import { invalidInput } from '../errors.ts';

/** Most entries one environment may list: a list is scanned on every browser request. */
export const MAX_ALLOWED_ORIGINS = 100;
/** Longest entry accepted. */
const MAX_ORIGIN_LENGTH = 255;

const defaultPorts: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };
/** `scheme://authority` and nothing else; the authority is checked further below. */
const originShape = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)$/i;
/** A host name (letters, digits, `-`, dots) or an IPv6 literal in brackets, with an optional port. */
const hostShape = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/;

/**
 * The canonical form of one origin, or undefined when `raw` is not one. Accepts exactly what a
 * browser could send (plus upper case and explicit default ports), and `*.` subdomain wildcards
 * when `wildcard` is set.
 * @example normalizeOrigin('HTTPS://App.Example.com:443') // 'https://app.example.com'
 */
export function normalizeOrigin(raw: string, options: { wildcard?: boolean } = {}): string | undefined {
  if (raw.length > MAX_ORIGIN_LENGTH) return undefined;
  const shape = originShape.exec(raw);
  if (!shape) return undefined;
  const scheme = `${shape[1]!.toLowerCase()}:`;
  let authority = shape[2]!;
  let prefix = '';
  if (options.wildcard && authority.startsWith('*.')) {
    prefix = '*.';
    authority = authority.slice(2);
  }
  if (authority.includes('@') || authority.includes('*')) return undefined;
  let host: string;
  if (scheme in defaultPorts) {
    // The WHATWG parser browsers use: it lower-cases, converts to punycode and drops default ports.
    let url: URL;
    try {
      url = new URL(`${scheme}//${authority}`);
    } catch {
      return undefined;
    }
    host = url.host;
  } else {
    // Custom schemes (capacitor://localhost, app://…): the URL parser keeps no origin for them.
    host = authority.toLowerCase();
  }
  const hostParts = hostShape.exec(host);
  if (!hostParts) return undefined;
  const port = hostParts[1];
  if (port !== undefined && (Number(port) > 65535 || port === defaultPorts[scheme])) return undefined;
  if (prefix && (host.startsWith('[') || !/\.[a-z0-9-]+\.[a-z0-9-]+(?::\d+)?$/.test(`.${host}`))) return undefined;
  return `${scheme}//${prefix}${host}`;
}

/**
 * Validates and normalises an environment's list as written through the admin API or the CLI:
 * null or an empty list means open to any origin (stored as null).
 * @throws TesseraError INVALID_INPUT naming the first bad entry and why.
 * @example parseAllowedOrigins(['https://shop.example.com', 'https://*.preview.example.com'])
 */
export function parseAllowedOrigins(list: readonly string[] | null | undefined): string[] | null {
  if (list === null || list === undefined || list.length === 0) return null;
  if (list.length > MAX_ALLOWED_ORIGINS) {
    throw invalidInput(`An environment may list at most ${MAX_ALLOWED_ORIGINS} allowed origins (got ${list.length})`);
  }
  const normalized = new Set<string>();
  for (const entry of list) {
    const origin = typeof entry === 'string' ? normalizeOrigin(entry.trim(), { wildcard: true }) : undefined;
    if (origin === undefined) throw invalidInput(whyNotAnOrigin(entry));
    normalized.add(origin);
  }
  return [...normalized];
}

/**
 * Whether a request's `Origin` header may use an environment whose list is `allowed` (null: any).
 * Browsers send origins already canonical, so the common case is one exact comparison per entry.
 */
export function originAllowed(allowed: readonly string[] | null, origin: string): boolean {
  if (allowed === null) return true;
  if (allowed.includes(origin)) return true;
  const canonical = normalizeOrigin(origin);
  if (canonical === undefined) return false;
  return allowed.some((entry) => entry === canonical || wildcardMatches(entry, canonical));
}

/** `https://*.example.com` matches `https://a.example.com` and `https://a.b.example.com`, same port. */
export function wildcardMatches(entry: string, origin: string): boolean {
  const star = entry.indexOf('//*.');
  if (star < 0) return false;
  const scheme = entry.slice(0, star + 2);
  const suffix = entry.slice(star + 3); // ".example.com[:port]"
  if (!origin.startsWith(scheme) || !origin.endsWith(suffix)) return false;
  const label = origin.slice(scheme.length, origin.length - suffix.length);
  return label.length > 0 && !label.includes(':') && !label.includes('/');
}

function whyNotAnOrigin(entry: unknown): string {
  const shown = typeof entry === 'string' ? `"${entry.slice(0, 80)}"` : String(entry);
  const hint =
    'an allowed origin is scheme://host[:port] exactly as browsers send it, e.g. https://app.example.com or ' +
    'http://localhost:3000, or a subdomain wildcard such as https://*.example.com';
  if (typeof entry !== 'string' || entry.trim() === '') return `Not an origin: ${shown}; ${hint}`;
  const trimmed = entry.trim();
  const shape = originShape.exec(trimmed);
  if (!shape) {
    const withPath = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)[/?#]/i.exec(trimmed);
    if (withPath) return `${shown} has a path, query or fragment: use ${withPath[1]} (${hint})`;
    return `${shown} is not an origin: ${hint}`;
  }
  if (shape[2]!.includes('*')) {
    return `${shown}: the only wildcard allowed is a leading "*." before a domain of at least two labels (${hint})`;
  }
  if (shape[2]!.includes('@')) return `${shown}: an origin carries no user name or password (${hint})`;
  return `${shown} is not an origin: ${hint}`;
}
