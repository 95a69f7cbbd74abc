// Types of build.mjs, for the tests and the size benchmark that import it.
import type { BuildOptions, BuildResult } from 'esbuild';

export declare const common: BuildOptions;
export declare const iifeOptions: BuildOptions;
export declare function buildAll(options?: { write?: boolean }): Promise<{ esm: BuildResult; iife: BuildResult }>;
