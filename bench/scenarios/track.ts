/**
 * B1, P1 and P2: DashX `trackEvent` over GraphQL at c=50. B1 is a bare Fastify route receiving the
 * same bodies; P1 sends them as visitors (public key, 1000 anonymous ids); P2 as 1000 logged-in
 * users (public key + identity token, with the visitor id their browser had, as @dashx/browser does).
 * The server's RSS is sampled during P1. They are measured in rounds (`BENCH_ROUNDS`), each round
 * B1, P1, P2 back to back, so that every ratio compares runs taken within a minute of each other.
 */
import { startBareFastify } from '../baselines/index.ts';
import { medianBy } from '../lib/median.ts';
import { cpuSeconds, sampleRss } from '../lib/processes.ts';
import type { TesseraProcess } from '../lib/tessera.ts';
import type { RequestSpec } from '../lib/wrk.ts';
import { signJwt } from '../../packages/server/src/tokens/sign.ts';
import { POOL_SIZE, loginUid, loginVisitorUid, range, trackBody, visitorUid } from '../workload.ts';
import { load, type Measured, type ScenarioContext } from './context.ts';

const expect = '"trackEvent":{"success":true}';

function visitorRequests(publicKey: string): RequestSpec[] {
  return range(POOL_SIZE).map((i) => ({
    headers: { 'Content-Type': 'application/json', 'X-Public-Key': publicKey },
    body: trackBody({ accountUid: null, accountAnonymousUid: visitorUid(i) }),
  }));
}

function loggedInRequests(publicKey: string, privateKey: string): RequestSpec[] {
  return range(POOL_SIZE).map((i) => ({
    headers: {
      'Content-Type': 'application/json',
      'X-Public-Key': publicKey,
      'X-Identity-Token': signJwt({ uid: loginUid(i), secret: privateKey, expiresInSeconds: 3600 }),
    },
    body: trackBody({ accountUid: loginUid(i), accountAnonymousUid: loginVisitorUid(i) }),
  }));
}

/** B1: the bare Fastify route, in its own pinned process, started and stopped here. */
export async function measureBareFastify(ctx: ScenarioContext): Promise<Measured> {
  const bare = await startBareFastify(ctx.config);
  try {
    return await load(ctx, {
      url: bare.ready,
      method: 'POST',
      path: '/graphql',
      requests: visitorRequests(ctx.seeded.environment.publicKey),
      expect,
    });
  } finally {
    await bare.stop();
  }
}

/** What P1 measures besides wrk's figures. */
export interface ServerUse {
  /** The server's largest RSS seen during the measured run. */
  rssMaxBytes: number;
  /**
   * CPU time the server process used during the measured run (all its threads; on PGlite the
   * embedded database's too, on PostgreSQL not PostgreSQL's) per good answer, in µs.
   */
  serverCpuUsPerRequest: number;
}

/** P1, with the server's largest RSS and its CPU per request during the measured run. */
export async function measureVisitorTrack(ctx: ScenarioContext, server: TesseraProcess): Promise<Measured & ServerUse> {
  let rss: ReturnType<typeof sampleRss> | undefined;
  let rssMaxBytes = 0;
  let cpuBefore = 0;
  let cpuUsed = 0;
  const result = await load(
    ctx,
    {
      url: server.url,
      method: 'POST',
      path: '/graphql',
      requests: visitorRequests(ctx.seeded.environment.publicKey),
      expect,
      watchCommits: true,
    },
    {
      start: () => {
        rss = sampleRss(server.pid);
        cpuBefore = cpuSeconds(server.pid) ?? 0;
      },
      stop: () => {
        cpuUsed = (cpuSeconds(server.pid) ?? cpuBefore) - cpuBefore;
        rssMaxBytes = rss?.stop().maxBytes ?? 0;
      },
    },
  );
  return { ...result, rssMaxBytes, serverCpuUsPerRequest: (cpuUsed * 1e6) / Math.max(1, result.good) };
}

/** P2. */
export function measureTokenTrack(ctx: ScenarioContext, server: TesseraProcess): Promise<Measured> {
  const { publicKey, privateKey } = ctx.seeded.environment;
  return load(ctx, {
    url: server.url,
    method: 'POST',
    path: '/graphql',
    requests: loggedInRequests(publicKey, privateKey),
    expect,
    watchCommits: true,
  });
}

/** One round of the track scenarios: B1, P1 and (when wanted) P2, measured back to back. */
export interface TrackRound {
  B1: Measured;
  P1: Measured & ServerUse;
  P2?: Measured;
}

/** P1 ÷ B1 of a round. */
export const trackRatio = (round: TrackRound): number => round.P1.rps / round.B1.rps;

/**
 * The round whose P1 ÷ B1 ratio is the median, with the largest RSS seen in any round's P1: the
 * figures the report shows.
 * @throws Error for no rounds.
 */
export function medianRound(rounds: readonly TrackRound[]): TrackRound {
  const median = medianBy(rounds, trackRatio);
  const rssMaxBytes = Math.max(...rounds.map((r) => r.P1.rssMaxBytes));
  return { ...median, P1: { ...median.P1, rssMaxBytes } };
}
