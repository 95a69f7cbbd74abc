// @tessera/browser end to end: one real Tessera server, one page server on another origin, one
// headless Chromium (one of each per file keeps the 2-core CI machine free for other suites).
import { afterAll, beforeAll } from 'vitest';
import { deliveryFlows } from './delivery.suite.ts';
import { startBrowserEnv, type BrowserEnv } from './helpers/env.ts';
import { identityFlows } from './identity.suite.ts';

let env: BrowserEnv | undefined;
beforeAll(async () => {
  env = await startBrowserEnv();
});
afterAll(() => env?.close());

const environment = () => {
  if (!env) throw new Error('browser environment not started');
  return env;
};
identityFlows(environment);
deliveryFlows(environment);
