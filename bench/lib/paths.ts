/** Absolute paths the bench needs, independent of the working directory. */
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The server package. */
export const serverDir = fileURLToPath(new URL('../../packages/server/', import.meta.url));
/** The `tessera` command as deployed: the production build (`npm run build -w @tessera/server`). */
export const tesseraBin = fileURLToPath(new URL('../../packages/server/bin/tessera.js', import.meta.url));
/** Where results (and CPU profiles) are written; git-ignored. */
export const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
