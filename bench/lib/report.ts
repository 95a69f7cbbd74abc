/** Turns the measurements into goal rows (ratio, pass/fail), prints them as a table and writes JSON. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CopyMeasured } from '../scenarios/backup.ts';
import { DISTURBED_CORES, type Noise } from '../scenarios/context.ts';
import type { LimitsRound } from '../scenarios/limits.ts';
import type { CommitStats } from './commits.ts';
import type { LoopResult } from './loop.ts';
import type { WrkResult } from './wrk.ts';

type Http = WrkResult & Noise & { commits?: CommitStats };
type Loop = LoopResult & Noise;

export interface Measurements {
  B0?: Loop;
  B1?: Http;
  P1?: Http & { rssMaxBytes: number; serverCpuUsPerRequest?: number };
  P2?: Http;
  B3?: Loop & { rowsPerSecond: number };
  P3?: Http & { rowsPerSecond: number };
  B4?: Loop;
  P4?: Http;
  B5?: Loop;
  P5?: Http;
  B6?: CopyMeasured;
  P6?: CopyMeasured;
  B7?: CopyMeasured;
  P7?: CopyMeasured;
  /** The median round of P1's workload with rate limits and metrics off and on. */
  P8?: LimitsRound;
}

export interface ResultRow {
  id: string;
  what: string;
  /** Human-readable absolute figures. */
  measured: string;
  /** What the ratio is taken against. */
  against: string;
  ratio: number | null;
  goal: string;
  status: 'baseline' | 'pass' | 'fail';
  /** The stretch goal, where there is one, was met too. */
  stretch?: boolean;
  /** The absolute figures as numbers (req/s, rows/s, ms, bytes). */
  figures: Record<string, number>;
  /** Other processes used ≥ DISTURBED_CORES during the run: the figures are not reliable. */
  disturbed?: boolean;
}

const int = (n: number) => Math.round(n).toLocaleString('en');
const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`;
const wrkText = (r: WrkResult) => `${int(r.rps)} req/s, p50 ${ms(r.latencyMs.p50)}, p99 ${ms(r.latencyMs.p99)}`;
const wrkFigures = (r: Http) => ({
  rps: r.rps,
  p50Ms: r.latencyMs.p50,
  p90Ms: r.latencyMs.p90,
  p99Ms: r.latencyMs.p99,
  maxMs: r.latencyMs.max,
  requests: r.good,
  bad: r.bad,
  socketErrors: r.errors,
  seconds: r.seconds,
  busyBefore: r.busyBefore,
  otherCores: r.interference.otherCores,
  ...(r.commits && {
    commitsPerSecond: r.commits.commitsPerSecond,
    requestsPerCommit: r.rps / r.commits.commitsPerSecond,
    eventsPerCommit: r.commits.eventsPerCommit,
  }),
});
const loopFigures = (r: Loop) => ({
  perSecond: r.perSecond,
  p50Ms: r.latencyMs.p50,
  p99Ms: r.latencyMs.p99,
  meanMs: r.latencyMs.mean,
  count: r.count,
  seconds: r.seconds,
  busyBefore: r.busyBefore,
  otherCores: r.interference.otherCores,
});
const copyText = (r: CopyMeasured) =>
  `${int(r.rowsPerSecond)} rows/s (${int(r.rows)} rows in ${r.seconds < 10 ? r.seconds.toFixed(2) : r.seconds.toFixed(1)} s)`;
const copyFigures = (r: CopyMeasured) => ({
  rowsPerSecond: r.rowsPerSecond,
  rows: r.rows,
  seconds: r.seconds,
  bytes: r.bytes,
  ...(r.innerSeconds !== undefined && { innerSeconds: r.innerSeconds }),
  ...(r.openSeconds !== undefined && { openSeconds: r.openSeconds }),
  busyBefore: r.busyBefore,
  otherCores: r.interference.otherCores,
});
/** A run with failed requests cannot pass, whatever its speed. */
const clean = (r: WrkResult) => r.bad === 0 && r.errors === 0;

/**
 * @example const rows = evaluate(measurements);
 */
export function evaluate(m: Measurements): ResultRow[] {
  const rows: ResultRow[] = [];
  const baseline = (id: string, what: string, measured: string, figures: Record<string, number>) =>
    rows.push({ id, what, measured, against: '', ratio: null, goal: '', status: 'baseline', figures });

  if (m.B0) {
    baseline(
      'B0',
      'durable one-row commit, 1 client (context)',
      `p50 ${ms(m.B0.latencyMs.p50)}, p99 ${ms(m.B0.latencyMs.p99)}, ${int(m.B0.perSecond)} commits/s`,
      loopFigures(m.B0),
    );
  }
  if (m.B1) baseline('B1', 'bare Fastify POST route, c=50', wrkText(m.B1), wrkFigures(m.B1));
  if (m.P1) {
    const ratio = m.B1 ? m.P1.rps / m.B1.rps : null;
    const ok = ratio !== null && ratio >= 0.5 && m.P1.latencyMs.p99 <= 10 && clean(m.P1);
    rows.push({
      id: 'P1',
      what: 'trackEvent (GraphQL), visitor, c=50, durable',
      measured: wrkText(m.P1),
      against: 'B1',
      ratio,
      goal: '≥ 0.5× B1 (stretch 0.75×), p99 ≤ 10 ms',
      status: ok ? 'pass' : 'fail',
      stretch: ok && ratio >= 0.75,
      figures: {
        ...wrkFigures(m.P1),
        ...(m.P1.serverCpuUsPerRequest !== undefined && { serverCpuUsPerRequest: m.P1.serverCpuUsPerRequest }),
      },
    });
  }
  if (m.P2) {
    const ratio = m.P1 ? m.P2.rps / m.P1.rps : null;
    rows.push({
      id: 'P2',
      what: 'trackEvent with identity token, c=50',
      measured: wrkText(m.P2),
      against: 'P1',
      ratio,
      goal: '≥ 0.95× P1',
      status: ratio !== null && ratio >= 0.95 && clean(m.P2) ? 'pass' : 'fail',
      figures: wrkFigures(m.P2),
    });
  }
  if (m.B3) {
    baseline(
      'B3',
      'COPY, one 100-row batch per statement, 1 client',
      `${int(m.B3.rowsPerSecond)} rows/s (${int(m.B3.perSecond)} COPY/s, p50 ${ms(m.B3.latencyMs.p50)})`,
      { ...loopFigures(m.B3), rowsPerSecond: m.B3.rowsPerSecond },
    );
  }
  if (m.P3) {
    const ratio = m.B3 ? m.P3.rowsPerSecond / m.B3.rowsPerSecond : null;
    const ok = ratio !== null && ratio >= 0.5 && clean(m.P3);
    rows.push({
      id: 'P3',
      what: '/v1/batch, 100 events per request, c=50',
      measured: `${int(m.P3.rowsPerSecond)} rows/s (${wrkText(m.P3)})`,
      against: 'B3',
      ratio,
      goal: '≥ 0.5× B3 (stretch 0.8×)',
      status: ok ? 'pass' : 'fail',
      stretch: ok && ratio >= 0.8,
      figures: { ...wrkFigures(m.P3), rowsPerSecond: m.P3.rowsPerSecond },
    });
  }
  if (m.B4) {
    baseline(
      'B4',
      'single-row account upsert, pool 10, 50 loops',
      `${int(m.B4.perSecond)} upserts/s, p50 ${ms(m.B4.latencyMs.p50)}, p99 ${ms(m.B4.latencyMs.p99)}`,
      loopFigures(m.B4),
    );
  }
  if (m.P4) {
    const ratio = m.B4 ? m.P4.rps / m.B4.perSecond : null;
    rows.push({
      id: 'P4',
      what: 'identifyAccount (backend keys), c=50',
      measured: wrkText(m.P4),
      against: 'B4',
      ratio,
      goal: '≥ 0.8× B4',
      status: ratio !== null && ratio >= 0.8 && clean(m.P4) ? 'pass' : 'fail',
      figures: wrkFigures(m.P4),
    });
  }
  if (m.B5) {
    baseline(
      'B5',
      'raw query: 50 newest events of 1 account, 1 client',
      `p50 ${ms(m.B5.latencyMs.p50)}, p99 ${ms(m.B5.latencyMs.p99)}, ${int(m.B5.perSecond)} queries/s`,
      loopFigures(m.B5),
    );
  }
  if (m.P5) {
    // Ratio of medians: both sides run one request at a time, and the goal's bound is a p50.
    const ratio = m.B5 ? m.B5.latencyMs.p50 / m.P5.latencyMs.p50 : null;
    rows.push({
      id: 'P5',
      what: 'admin API timeline, limit 50, c=1',
      measured: `p50 ${ms(m.P5.latencyMs.p50)}, p99 ${ms(m.P5.latencyMs.p99)}, ${int(m.P5.rps)} req/s`,
      against: 'B5 (p50 ÷ p50)',
      ratio,
      goal: '≥ 0.7× B5, p50 ≤ 1 ms',
      status: ratio !== null && ratio >= 0.7 && m.P5.latencyMs.p50 <= 1 && clean(m.P5) ? 'pass' : 'fail',
      figures: wrkFigures(m.P5),
    });
  }
  if (m.B6) {
    baseline('B6', 'COPY TO of every table, 1 client, read fully', copyText(m.B6), copyFigures(m.B6));
  }
  if (m.P6) {
    const ratio = m.B6 ? m.P6.rowsPerSecond / m.B6.rowsPerSecond : null;
    rows.push({
      id: 'P6',
      what: 'tessera backup --to FILE',
      measured: `${copyText(m.P6)}, ${(m.P6.bytes / 1e6).toFixed(0)} MB`,
      against: 'B6',
      ratio,
      goal: '≥ 0.5× B6',
      status: ratio !== null && ratio >= 0.5 ? 'pass' : 'fail',
      figures: copyFigures(m.P6),
    });
  }
  if (m.B7) {
    baseline('B7', 'COPY FROM STDIN into PostgreSQL, 1 transaction', copyText(m.B7), copyFigures(m.B7));
  }
  if (m.P7) {
    const ratio = m.B7 ? m.P7.rowsPerSecond / m.B7.rowsPerSecond : null;
    rows.push({
      id: 'P7',
      what: 'tessera move --to postgres://… (from PGlite)',
      measured: copyText(m.P7),
      against: 'B7',
      ratio,
      goal: '≥ 0.5× B7',
      status: ratio !== null && ratio >= 0.5 ? 'pass' : 'fail',
      figures: copyFigures(m.P7),
    });
  }
  if (m.P8) {
    const { on, off } = m.P8;
    const ratio = on.rps / off.rps;
    const cpu = on.serverCpuUsPerRequest - off.serverCpuUsPerRequest;
    rows.push({
      id: 'P8',
      what: 'P1 with rate limits + metrics on ÷ off',
      measured:
        `on ${int(on.rps)}, off ${int(off.rps)} req/s; server CPU ${on.serverCpuUsPerRequest.toFixed(1)} vs ` +
        `${off.serverCpuUsPerRequest.toFixed(1)} µs/req (${cpu >= 0 ? '+' : ''}${cpu.toFixed(1)})`,
      against: 'off',
      ratio,
      goal: '≥ 0.97× off',
      status: ratio >= 0.97 && clean(on) && clean(off) ? 'pass' : 'fail',
      figures: {
        onRps: on.rps,
        offRps: off.rps,
        onP99Ms: on.latencyMs.p99,
        offP99Ms: off.latencyMs.p99,
        onServerCpuUsPerRequest: on.serverCpuUsPerRequest,
        offServerCpuUsPerRequest: off.serverCpuUsPerRequest,
        serverCpuUsPerRequestDelta: cpu,
        onBad: on.bad + on.errors,
        offBad: off.bad + off.errors,
        otherCores: Math.max(on.interference.otherCores, off.interference.otherCores),
      },
    });
  }
  if (m.P1) {
    // MiB, the unit of /proc, top and ps (their "MB"/"M"); the decimal figure is shown beside it.
    const mib = m.P1.rssMaxBytes / 2 ** 20;
    rows.push({
      id: 'RSS',
      what: 'server RSS, max during P1',
      measured: `${mib.toFixed(0)} MiB (${(m.P1.rssMaxBytes / 1e6).toFixed(0)} MB)`,
      against: '',
      ratio: null,
      goal: '≤ 200 MiB',
      status: m.P1.rssMaxBytes > 0 && mib <= 200 ? 'pass' : 'fail',
      figures: { rssMaxBytes: m.P1.rssMaxBytes, otherCores: m.P1.interference.otherCores },
    });
  }
  for (const row of rows) row.disturbed = (row.figures.otherCores ?? 0) >= DISTURBED_CORES;
  return rows;
}

/** The rows as an aligned text table. */
export function formatTable(rows: readonly ResultRow[]): string {
  // "other CPU": cores that processes outside the bench used during the run; above ~0.1 the
  // figures of that run are low and its ratios unreliable.
  const header = ['', 'what', 'measured', 'ratio', 'goal', 'result', 'other CPU'];
  const cells = rows.map((r) => [
    r.id,
    r.what,
    r.measured,
    r.ratio === null ? '' : `${r.ratio.toFixed(2)}× ${r.against}`,
    r.goal,
    r.status === 'baseline' ? 'baseline' : r.status === 'pass' ? (r.stretch ? 'PASS (stretch)' : 'PASS') : 'FAIL',
    r.figures.otherCores === undefined ? '' : `${r.figures.otherCores.toFixed(2)}${r.disturbed ? ' !' : ''}`,
  ]);
  const all = [header, ...cells];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join(' │ ')
      .trimEnd();
  const table = [line(header), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...cells.map(line)];
  if (rows.some((r) => r.disturbed)) {
    table.push(
      '',
      `! other processes used ≥ ${DISTURBED_CORES} cores during that run: its figures (and ratios built on them) are not reliable.`,
    );
  }
  return table.join('\n');
}

/**
 * Writes `latest.json` and `latest-<database>.json` into `dir`.
 * @example writeReport(resultsDir, 'postgres', { rows, … });
 */
export function writeReport(dir: string, database: string, report: object): string[] {
  mkdirSync(dir, { recursive: true });
  const text = `${JSON.stringify(report, null, 2)}\n`;
  const files = [join(dir, 'latest.json'), join(dir, `latest-${database}.json`)];
  for (const file of files) writeFileSync(file, text);
  return files;
}
