/**
 * Files the server reads at run time (SQL migrations, the GraphQL SDL, the built dashboard), found
 * from the package directory. This module sits directly in `src/`, and the production bundle
 * directly in `dist/` (see scripts/build.mjs), so one level up is the package either way.
 */
import { fileURLToPath } from 'node:url';

const packageDir = new URL('../', import.meta.url);

/**
 * The absolute path of a file or directory, given relative to the server package.
 * @example serverPath('src/storage/migrations') // '/…/packages/server/src/storage/migrations'
 */
export function serverPath(relativePath: string): string {
  return fileURLToPath(new URL(relativePath, packageDir));
}
