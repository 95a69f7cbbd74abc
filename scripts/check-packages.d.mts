// Types of check-packages.mjs, for the test that runs the same checks.
export declare function checkTarball(name: string, tarball: string): { check: string; ok: boolean; output: string }[];
