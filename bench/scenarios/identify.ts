/** P4: DashX `identifyAccount` from a backend (public + private key), 1000 users with traits, c=50. */
import type { TesseraProcess } from '../lib/tessera.ts';
import type { RequestSpec } from '../lib/wrk.ts';
import { POOL_SIZE, identifyBody, identifyUid, range } from '../workload.ts';
import { load, type Measured, type ScenarioContext } from './context.ts';

export function measureIdentify(ctx: ScenarioContext, server: TesseraProcess): Promise<Measured> {
  const { publicKey, privateKey } = ctx.seeded.environment;
  const requests: RequestSpec[] = range(POOL_SIZE).map((i) => ({
    headers: { 'Content-Type': 'application/json', 'X-Public-Key': publicKey, 'X-Private-Key': privateKey },
    body: identifyBody(identifyUid(i)),
  }));
  return load(ctx, {
    url: server.url,
    method: 'POST',
    path: '/graphql',
    requests,
    expect: '"identifyAccount":{"id":',
    watchCommits: true,
  });
}
