/** Load generation with wrk (Debian's package, C, one thread) pinned to its own core, replaying bench/lua/replay.lua. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUN_ID } from '../workload.ts';
import { hasCommand, run } from './processes.ts';

const script = fileURLToPath(new URL('../lua/replay.lua', import.meta.url));

/** One request wrk may send: headers and a body (empty for GET). */
export interface RequestSpec {
  headers: Record<string, string>;
  body: string;
}

export interface WrkOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:4000. */
  url: string;
  method: 'GET' | 'POST';
  path: string;
  /** A pool of requests; wrk sends one at random each time. */
  requests: readonly RequestSpec[];
  /** Text that every good answer (status 200) contains. */
  expect: string;
  connections: number;
  durationSeconds: number;
  /** Core to pin wrk to. */
  core: number;
  /** Replace each `@@ID@@` of a body with a fresh id per request. Default false. */
  vary?: boolean;
}

export interface WrkResult {
  /** Answers that were 200 and contained the expected text. */
  good: number;
  /** Answers that were not (the first one is in `firstBad`). */
  bad: number;
  firstBad: string;
  /** Socket errors and timeouts. */
  errors: number;
  seconds: number;
  /** Good answers per second. */
  rps: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
}

interface RawResult {
  requests: number;
  bad: number;
  firstBad: string;
  durationUs: number;
  errors: Record<'connect' | 'read' | 'write' | 'status' | 'timeout', number>;
  latencyUs: { p50: number; p90: number; p99: number; max: number; mean: number };
}

/**
 * Makes sure `wrk` is installed: if it is missing, installs Debian's package with apt-get.
 * @example await ensureWrk(console.log);
 */
export async function ensureWrk(log: (line: string) => void): Promise<string> {
  if (!hasCommand('wrk')) {
    log('wrk is not installed: installing it with `apt-get install -y wrk` (Debian package)');
    let result = await run('apt-get', ['install', '-y', 'wrk']);
    if (result.code !== 0) {
      await run('apt-get', ['update']);
      result = await run('apt-get', ['install', '-y', 'wrk']);
    }
    if (result.code !== 0 || !hasCommand('wrk')) throw new Error(`could not install wrk:\n${result.stderr}`);
  }
  const { stdout, stderr } = await run('wrk', ['-v']);
  return /wrk (\S+)/.exec(stdout + stderr)?.[1] ?? 'unknown';
}

/**
 * Runs wrk once (`-t1 -cN -dSs --latency`) and returns what its `done()` printed.
 * @throws when wrk fails or prints no result.
 */
export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-wrk-'));
  try {
    const file = join(dir, 'requests.txt');
    writeFileSync(file, options.requests.map(requestLine).join('\n') + '\n');
    const args = [
      '-t1',
      `-c${options.connections}`,
      `-d${options.durationSeconds}s`,
      '--latency',
      '--timeout',
      '10s',
      '-s',
      script,
      `${options.url}${options.path}`,
      '--',
      file,
      options.method,
      options.path,
      options.expect,
      options.vary ? '1' : '0',
      RUN_ID,
    ];
    const result = await run('wrk', args, { core: options.core });
    const line = result.stdout.split('\n').find((l) => l.startsWith('WRK_RESULT '));
    if (result.code !== 0 || !line) {
      throw new Error(`wrk failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
    }
    return summarize(JSON.parse(line.slice('WRK_RESULT '.length)) as RawResult);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function requestLine(spec: RequestSpec): string {
  const fields = Object.entries(spec.headers).map(([name, value]) => `${name}: ${value}`);
  const line = [...fields, spec.body].join('\t');
  if (/[\n\r]/.test(line)) throw new Error('a request line cannot contain a line break');
  return line;
}

function summarize(raw: RawResult): WrkResult {
  const seconds = raw.durationUs / 1e6;
  const good = raw.requests - raw.bad;
  const ms = (us: number) => us / 1000;
  const { connect, read, write, timeout } = raw.errors;
  return {
    good,
    bad: raw.bad,
    firstBad: raw.firstBad,
    errors: connect + read + write + timeout,
    seconds,
    rps: good / seconds,
    latencyMs: {
      p50: ms(raw.latencyUs.p50),
      p90: ms(raw.latencyUs.p90),
      p99: ms(raw.latencyUs.p99),
      max: ms(raw.latencyUs.max),
      mean: ms(raw.latencyUs.mean),
    },
  };
}

/**
 * A warm-up run (discarded), then the measured run, with `during` called around the latter.
 * @example const r = await warmThenMeasure(options, 3, 10);
 */
export async function warmThenMeasure(
  options: Omit<WrkOptions, 'durationSeconds'>,
  warmupSeconds: number,
  durationSeconds: number,
  during?: Hooks,
): Promise<WrkResult> {
  if (warmupSeconds > 0) await runWrk({ ...options, durationSeconds: warmupSeconds });
  await during?.start();
  try {
    return await runWrk({ ...options, durationSeconds });
  } finally {
    await during?.stop();
  }
}

/** Called just before and just after a measured run (not around the warm-up). */
export interface Hooks {
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}
