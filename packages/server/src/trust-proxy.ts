/**
 * `TESSERA_TRUST_PROXY`: which peers may tell the server, through `X-Forwarded-For` and
 * `X-Forwarded-Proto`, who the client really is and whether it spoke https.
 */
import { isIP } from 'node:net';
import { invalidInput } from './errors.ts';

/**
 * Off (`false`: forwarded headers are ignored), everyone (`true`), a hop count (that many proxies
 * in front of the server, whoever they are), or the addresses/CIDRs of trusted proxies.
 */
export type TrustProxy = boolean | number | readonly string[];

/** Names of address ranges understood as list entries, besides addresses and CIDRs. */
const rangeNames = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * Parses the setting's text; throws one line naming `setting` when it is not valid.
 * @example parseTrustProxy('127.0.0.1, 10.0.0.0/8') // ['127.0.0.1', '10.0.0.0/8']
 * @example parseTrustProxy('2') // 2
 */
export function parseTrustProxy(text: string | undefined, setting = 'TESSERA_TRUST_PROXY'): TrustProxy {
  const value = text?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 100) throw invalidInput(`${setting} must be a hop count from 1 to 100, got "${text}"`);
    return hops;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (!validEntry(entry)) {
      throw invalidInput(
        `${setting} must be true, a hop count or a comma-separated list of addresses and CIDRs (e.g. 127.0.0.1,10.0.0.0/8); "${entry}" is not an address or CIDR`,
      );
    }
  }
  return Object.freeze(entries);
}

function validEntry(entry: string): boolean {
  if (rangeNames.includes(entry)) return true;
  const slash = entry.indexOf('/');
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const family = isIP(address);
  if (family === 0) return false;
  if (slash === -1) return true;
  const prefix = entry.slice(slash + 1);
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
