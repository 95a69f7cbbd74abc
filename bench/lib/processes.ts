/** Child processes pinned to one core (`taskset`): start and wait for a ready line, run to the end, sample RSS. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** Every child still running, so that a failing bench never leaves one behind. */
const running = new Set<ChildProcess>();
let cleanupInstalled = false;

function remember(child: ChildProcess): void {
  if (!cleanupInstalled) {
    cleanupInstalled = true;
    process.on('exit', () => {
      for (const c of running) c.kill('SIGKILL');
    });
  }
  running.add(child);
}

export interface StartOptions {
  /** For messages. */
  name: string;
  /** CPU core to pin the process to. */
  core: number;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** A stdout line matching this means the process is ready; its first group is returned as `ready`. */
  ready: RegExp;
  /** Give up after this long. Default 120 s (PGlite opening a large data directory takes a while). */
  timeoutMs?: number;
}

export interface Started {
  readonly pid: number;
  /** The first capture group of the ready line. */
  readonly ready: string;
  /** Every stdout and stderr line so far (for diagnostics). */
  readonly output: readonly string[];
  /** SIGTERM, then waits for the exit (SIGKILL after 15 s). */
  stop(): Promise<void>;
}

/**
 * Starts `taskset -c CORE command …args` and resolves once it prints its ready line.
 * @example const s = await startPinned({ name: 'server', core: 0, command: 'node', args: ['x.js'], ready: /on (http\S+)/ });
 */
export function startPinned(options: StartOptions): Promise<Started> {
  const child = spawn('taskset', ['-c', String(options.core), options.command, ...options.args], {
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  remember(child);
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };

  return new Promise<Started>((resolve, reject) => {
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      void stop();
      reject(new Error(`${options.name}: ${message}\n${output.slice(-30).join('\n')}`));
    };
    const timer = setTimeout(() => fail('not ready in time'), options.timeoutMs ?? 120_000);
    createInterface({ input: child.stderr }).on('line', (line) => output.push(line));
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      const match = options.ready.exec(line);
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ pid: child.pid!, ready: match[1] ?? line, output, stop });
      }
    });
    child.once('error', (err) => fail(err.message));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before it was ready`));
  });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to its end (pinned when `core` is given) and collects its output.
 * @example const { stdout } = await run('wrk', ['-v'], { core: 1 });
 */
export function run(command: string, args: readonly string[], options: { core?: number } = {}): Promise<RunResult> {
  const [cmd, argv] =
    options.core === undefined ? [command, args] : ['taskset', ['-c', String(options.core), command, ...args]];
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  remember(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      running.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Whether a command can be found on PATH. */
export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Pins this process (all its threads) to one core, so it stays off the server's core. */
export function pinSelf(core: number): void {
  spawnSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' });
}

/** Resident set size of a process in bytes, from /proc (undefined once it is gone). */
export function rssBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, all threads) a process has used so far, in seconds (undefined once it is gone). */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name, which is in parentheses and may contain spaces.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in USER_HZ (1/100 s)
  } catch {
    return undefined;
  }
}

/**
 * Samples a process's RSS every `everyMs` until stopped; `stop()` gives the largest sample.
 * @example const rss = sampleRss(pid); …; const maxBytes = rss.stop();
 */
export function sampleRss(pid: number, everyMs = 200): { stop(): { maxBytes: number; samples: number } } {
  let maxBytes = 0;
  let samples = 0;
  const take = () => {
    const bytes = rssBytes(pid);
    if (bytes === undefined) return;
    samples += 1;
    maxBytes = Math.max(maxBytes, bytes);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { maxBytes, samples };
    },
  };
}
