/** Absolute paths the bench needs, independent of the working directory. */
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The `tessera` command of the server package. */
export const tesseraBin = fileURLToPath(new URL('../../packages/server/bin/tessera.js', import.meta.url));
/** Where results (and CPU profiles) are written; git-ignored. */
export const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
