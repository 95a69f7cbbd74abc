// Types of build.mjs, for the tests that import it.
/** Every published package as [name, directory], each after the ones it depends on. */
export declare const packages: ReadonlyArray<readonly [string, string]>;
