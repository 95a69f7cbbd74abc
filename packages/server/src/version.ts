/** The server package's version, read from its package.json (one level above src/ and dist/ alike). */
import { readFileSync } from 'node:fs';
import { serverPath } from './paths.ts';

let version: string | undefined;

/**
 * @example serverVersion() // '0.2.0'
 */
export function serverVersion(): string {
  return (version ??= (JSON.parse(readFileSync(serverPath('package.json'), 'utf8')) as { version: string }).version);
}
