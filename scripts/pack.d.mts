// Types of pack.mjs, for the tests that import it.
/** Builds and packs every published package; returns package name → absolute tarball path. */
export declare function packAll(out?: string): Record<string, string>;
