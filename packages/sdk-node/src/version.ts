/** This package's version, sent in `context.library` and the User-Agent (a test keeps it in step with package.json). */
export const VERSION = '0.2.0';
