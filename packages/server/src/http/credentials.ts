/** The credentials every SDK-facing API reads from its request headers: keys, environment, token. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Credentials } from '../services/caller.ts';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Reads DashX's credential headers. Node lower-cases header names, so `X-PUBLIC-KEY` (ios) and
 * `x-public-key` (Apollo) are the same; a repeated header gives its first value; empty = absent.
 * The target environment is passed as sent, including br-npm's literal `"undefined"`.
 * @example readCredentials({ 'x-public-key': 'pk_…' }) // { publicKey: 'pk_…', … }
 */
export function readCredentials(headers: IncomingHttpHeaders): Credentials {
  return {
    publicKey: header(headers, 'x-public-key'),
    privateKey: header(headers, 'x-private-key'),
    targetEnvironment: header(headers, 'x-target-environment'),
    identityToken: header(headers, 'x-identity-token'),
  };
}
