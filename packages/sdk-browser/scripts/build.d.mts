// Types of build.mjs, for the tests and the size benchmark that import it.
import type { BuildOptions } from 'esbuild';

export declare const mangleProps: RegExp;
export declare const common: BuildOptions;
export declare const iifeOptions: BuildOptions;
export declare function buildAll(): Promise<void>;
